package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP_VALUE;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.map.QueueMap;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.osgi.service.component.annotations.Component;

/**
 * {@code long bpf_map_peek_elem(void *map, void *value)} on a queue or stack: copies the next value into value, leaving it in place; 0, or -ENOENT if
 * empty. Linux types value as writable, possibly uninitialized map-value memory
 * ({@code ARG_PTR_TO_MAP_VALUE | MEM_UNINIT | MEM_WRITE}); the API's nearest kind is PTR_TO_MAP_VALUE.
 */
@Component(service = Helper.class)
public final class MapPeekElem extends CoreHelper {
    public MapPeekElem() {
        super(89, "bpf_map_peek_elem", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_MAP, PTR_TO_MAP_VALUE));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        Memory memory = context.memory();
        QueueMap queue = memory.handle(r1, QueueMap.class);
        Region value = memory.region(r2, queue.definition().valueSize(), true);
        return queue.peekInto(value.bytes(), value.base() + (int) r2) ? 0 : Errno.fail(Errno.ENOENT);
    }
}

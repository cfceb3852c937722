package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.ANYTHING;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP_VALUE;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.map.QueueMap;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.osgi.service.component.annotations.Component;

/**
 * {@code long bpf_map_push_elem(void *map, const void *value, u64 flags)} on a queue or stack: 0, -E2BIG
 * when full (unless flags is BPF_EXIST, which drops the oldest), -EINVAL for other flags.
 */
@Component(service = Helper.class)
public final class MapPushElem extends CoreHelper {
    public MapPushElem() {
        super(87, "bpf_map_push_elem", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_MAP, PTR_TO_MAP_VALUE, ANYTHING));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        Memory memory = context.memory();
        QueueMap queue = memory.handle(r1, QueueMap.class);
        Region value = memory.region(r2, queue.definition().valueSize(), false);
        try {
            queue.push(value.bytes(), value.base() + (int) r2, r3);
            return 0;
        } catch (MapException refused) {
            return Errno.fail(refused.errno());
        }
    }
}

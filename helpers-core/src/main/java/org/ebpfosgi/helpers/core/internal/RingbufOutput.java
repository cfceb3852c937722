package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.ANYTHING;
import static org.ebpfosgi.api.helper.ArgKind.CONST_SIZE_OR_ZERO;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_READABLE_MEM;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.map.RingBufferMap;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.osgi.service.component.annotations.Component;

/**
 * {@code long bpf_ringbuf_output(void *ringbuf, void *data, u64 size, u64 flags)}: copies size bytes into
 * a new record and commits it; 0, -EAGAIN if the ring has no room, -EINVAL for bad flags.
 */
@Component(service = Helper.class)
public final class RingbufOutput extends CoreHelper {
    public RingbufOutput() {
        super(130, "bpf_ringbuf_output", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_MAP, PTR_TO_READABLE_MEM, CONST_SIZE_OR_ZERO, ANYTHING));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        Memory memory = context.memory();
        RingBufferMap ring = memory.handle(r1, RingBufferMap.class);
        if (r3 == 0) {
            return ring.output(new byte[0], 0, 0, r4);
        }
        int size = r3 < 0 || r3 > Integer.MAX_VALUE ? -1 : (int) r3;
        Region data = memory.region(r2, size, false);
        return ring.output(data.bytes(), data.base() + (int) r2, size, r4);
    }
}

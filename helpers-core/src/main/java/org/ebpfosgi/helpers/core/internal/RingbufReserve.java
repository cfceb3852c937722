package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.ANYTHING;
import static org.ebpfosgi.api.helper.ArgKind.CONST_SIZE_OR_ZERO;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.map.RingBufferMap;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.osgi.service.component.annotations.Component;

/**
 * {@code void *bpf_ringbuf_reserve(void *ringbuf, u64 size, u64 flags)}: a writable record of size bytes
 * that the program must submit or discard, or NULL if the ring has no room or flags is not 0.
 */
@Component(service = Helper.class)
public final class RingbufReserve extends CoreHelper {
    public RingbufReserve() {
        super(131, "bpf_ringbuf_reserve", HelperPrototype.of(ReturnKind.PTR_TO_ALLOC_MEM_OR_NULL, PTR_TO_MAP, CONST_SIZE_OR_ZERO, ANYTHING));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        Memory memory = context.memory();
        RingBufferMap ring = memory.handle(r1, RingBufferMap.class);
        Region record = ring.reserve(r2, r3);
        if (record == null) {
            return 0;
        }
        RingReservations.add(record, ring);
        // A record the run never submits would hold back every later record of the ring: discard it then.
        context.atRunEnd(() -> RingReservations.discardIfOutstanding(record));
        return memory.map(record);
    }
}

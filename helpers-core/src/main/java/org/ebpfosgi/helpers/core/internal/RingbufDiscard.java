package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.ANYTHING;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_ALLOC_MEM;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.memory.MemoryAccessException;
import org.osgi.service.component.annotations.Component;

/**
 * {@code void bpf_ringbuf_discard(void *data, u64 flags)}: drops the record: consumers skip it. Flags BPF_RB_NO_WAKEUP and
 * BPF_RB_FORCE_WAKEUP steer the consumer's wake-up. A pointer that is not an outstanding reservation
 * fails the run (the verifier's reference tracking rules it out).
 */
@Component(service = Helper.class)
public final class RingbufDiscard extends CoreHelper {
    public RingbufDiscard() {
        super(133, "bpf_ringbuf_discard", HelperPrototype.of(ReturnKind.VOID, PTR_TO_ALLOC_MEM, ANYTHING));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        RingReservations.Reservation reservation = RingReservations.remove(context.memory(), r1);
        try {
            reservation.ring.discard(reservation.record, r2);
        } catch (MapException refused) {
            throw new MemoryAccessException(refused.getMessage(), r1, 0);
        }
        return 0;
    }
}

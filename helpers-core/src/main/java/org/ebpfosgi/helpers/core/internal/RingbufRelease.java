package org.ebpfosgi.helpers.core.internal;

import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.map.RingBufferMap;
import org.ebpfosgi.api.memory.MemoryAccessException;
import org.ebpfosgi.api.memory.Region;

/**
 * submit and discard: both end a reservation, which must be outstanding (the verifier's reference
 * tracking rules anything else out; here such a pointer fails the run).
 */
abstract class RingbufRelease extends CoreHelper {
    RingbufRelease(int id, String name, HelperPrototype prototype) {
        super(id, name, prototype);
    }

    /** What ending the reservation does to the ring. */
    abstract void release(RingBufferMap ring, Region record, long flags);

    @Override
    public final long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        RingReservations.Reservation reservation = RingReservations.remove(context.memory(), r1);
        try {
            release(reservation.ring, reservation.record, r2);
        } catch (MapException refused) {
            throw new MemoryAccessException(refused.getMessage(), r1, 0);
        }
        return 0;
    }
}

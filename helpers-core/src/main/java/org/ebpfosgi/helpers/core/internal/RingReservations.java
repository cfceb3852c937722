package org.ebpfosgi.helpers.core.internal;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;
import org.ebpfosgi.api.map.RingBufferMap;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.MemoryAccessException;
import org.ebpfosgi.api.memory.Region;

/**
 * Which ring buffer each outstanding reservation belongs to: submit and discard get only the record's
 * pointer. A program releases its reservations in the run that made them (the verifier's reference
 * tracking), on the thread that made them, so the table is per thread and needs no locking. Entries are
 * weak both ways, and a reservation a run leaves behind (aborted, or a buggy unverified program) is
 * discarded when that run ends ({@link RingbufReserve} asks the engine for it).
 */
final class RingReservations {
    private static final ThreadLocal<Map<Region, WeakReference<RingBufferMap>>> OUTSTANDING =
            ThreadLocal.withInitial(WeakHashMap::new);

    private RingReservations() {
    }

    static void add(Region record, RingBufferMap ring) {
        OUTSTANDING.get().put(record, new WeakReference<>(ring));
    }

    /**
     * Forgets the reservation {@code address} points to and returns it with its ring; fails the run if
     * {@code address} is not the start of a record this thread reserved and has not released.
     */
    static Reservation remove(Memory memory, long address) {
        Object entry = memory.entry(address);
        WeakReference<RingBufferMap> ring = entry instanceof Region && (int) address == 0
                ? OUTSTANDING.get().remove(entry) : null;
        RingBufferMap owner = ring == null ? null : ring.get();
        if (owner == null) {
            throw new MemoryAccessException("0x" + Long.toHexString(address)
                    + " is not an outstanding ring buffer reservation", address, 0);
        }
        return new Reservation((Region) entry, owner);
    }

    /** Discards {@code record} if the run that reserved it ended without submitting or discarding it. */
    static void discardIfOutstanding(Region record) {
        WeakReference<RingBufferMap> ring = OUTSTANDING.get().remove(record);
        RingBufferMap owner = ring == null ? null : ring.get();
        if (owner != null) {
            owner.discard(record, 0);
        }
    }

    /** A released record and its ring. */
    static final class Reservation {
        final Region record;
        final RingBufferMap ring;

        Reservation(Region record, RingBufferMap ring) {
            this.record = record;
            this.ring = ring;
        }
    }
}

package org.ebpfosgi.api.map;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.ebpfosgi.api.memory.Region;

/**
 * A {@code ringbuf}: programs reserve records, write them and submit (or discard) them; Java
 * consumes them in reservation order. Capacity behaves as Linux's: every record takes an 8-byte
 * header plus its size rounded up to 8, and the producer may run at most {@code size - 1} bytes
 * ahead of the consumer. A record reserved earlier and not yet submitted holds back later ones.
 * Wake-ups follow Linux: by default a consumer blocked in {@link #poll} is woken when the record
 * it waits for is committed; {@link #NO_WAKEUP} skips that, {@link #FORCE_WAKEUP} always wakes.
 * The key/value operations of {@link EbpfMap} fail with ENOTSUP.
 */
public interface RingBufferMap extends EbpfMap {
    /** Commit flags. */
    long NO_WAKEUP = 1, FORCE_WAKEUP = 2;
    /** {@link #query} selectors. */
    long AVAIL_DATA = 0, RING_SIZE = 1, CONS_POS = 2, PROD_POS = 3;
    /** Bytes of the header in front of every record. */
    int HEADER_SIZE = 8;

    /** {@code bpf_ringbuf_reserve}: a writable region of {@code size} bytes, or null if it does not fit or flags != 0. */
    Region reserve(long size, long flags);

    /**
     * {@code bpf_ringbuf_submit}; EINVAL if {@code sample} is not an outstanding reservation of this ring
     * (a helper passes the region its pointer argument names; the pointer must be at its offset 0).
     */
    void submit(Region sample, long flags);

    /** {@code bpf_ringbuf_discard}: the record is skipped by consumers; EINVAL as for submit. */
    void discard(Region sample, long flags);

    /** {@code bpf_ringbuf_output}: copies a record in; returns 0, -EINVAL (bad flags) or -EAGAIN (no room). */
    long output(byte[] src, int offset, int length, long flags);

    /** {@code bpf_ringbuf_query}: {@link #AVAIL_DATA}, {@link #RING_SIZE}, {@link #CONS_POS}, {@link #PROD_POS}; else 0. */
    long query(long flags);

    /**
     * Hands every committed record to {@code handler} without waiting and returns how many. A
     * handler that throws stops consumption; its record counts as consumed (as libbpf does).
     */
    int consume(RecordHandler handler);

    /** Waits up to {@code timeout} for a record, then consumes like {@link #consume}; 0 on timeout. */
    int poll(RecordHandler handler, long timeout, TimeUnit unit) throws InterruptedException;

    /** Waits up to {@code timeout} for one record and returns a copy of it. */
    Optional<byte[]> pollRecord(long timeout, TimeUnit unit) throws InterruptedException;

    /** Receives records; the buffer (little-endian, read-only) is valid only during the call. */
    @FunctionalInterface
    interface RecordHandler {
        void onRecord(ByteBuffer record);
    }
}

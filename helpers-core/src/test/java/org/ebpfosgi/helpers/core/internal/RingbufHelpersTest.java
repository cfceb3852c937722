package org.ebpfosgi.helpers.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.ebpfosgi.api.map.RingBufferMap;
import org.ebpfosgi.api.memory.MemoryAccessException;
import org.junit.jupiter.api.Test;

/** reserve, submit, discard, output and query on a real ring buffer. */
class RingbufHelpersTest {
    private static final int SIZE = 4096;
    private final RunContext run = new RunContext();
    private final RingBufferMap ring = (RingBufferMap) TestMaps.create("events", TestMaps.RINGBUF, 0, 0, SIZE);
    private final long handle = run.memory.mapHandle(ring);
    private final RingbufReserve reserve = new RingbufReserve();
    private final RingbufSubmit submit = new RingbufSubmit();
    private final RingbufDiscard discard = new RingbufDiscard();
    private final RingbufOutput output = new RingbufOutput();
    private final RingbufQuery query = new RingbufQuery();

    private List<byte[]> consume() {
        List<byte[]> records = new ArrayList<>();
        ring.consume(record -> {
            byte[] copy = new byte[record.remaining()];
            record.get(copy);
            records.add(copy);
        });
        return records;
    }

    @Test
    void reservedRecordsReachTheConsumerOnSubmit() {
        long record = reserve.call(run, handle, 8, 0, 0, 0);
        assertNotEquals(0, record);
        run.memory.store(record, 8, 0x0102030405060708L);
        assertEquals(0, consume().size(), "not yet submitted");
        submit.call(run, record, 0, 0, 0, 0);
        List<byte[]> records = consume();
        assertEquals(1, records.size());
        assertEquals(0x0102030405060708L, ByteBuffer.wrap(records.get(0)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
    }

    @Test
    void discardedRecordsAreSkipped() {
        long first = reserve.call(run, handle, 4, 0, 0, 0);
        long second = reserve.call(run, handle, 4, 0, 0, 0);
        run.memory.store(second, 4, 2);
        discard.call(run, first, 0, 0, 0, 0);
        submit.call(run, second, 0, 0, 0, 0);
        List<byte[]> records = consume();
        assertEquals(1, records.size());
        assertArrayEquals(new byte[] {2, 0, 0, 0}, records.get(0));
    }

    @Test
    void aRecordARunLeavesBehindIsDiscardedWhenTheRunEnds() {
        long forgotten = reserve.call(run, handle, 8, 0, 0, 0);
        assertNotEquals(0, forgotten);
        long data = run.stack(new byte[] {5, 6});
        assertEquals(0, output.call(run, handle, data, 2, 0, 0));
        assertEquals(0, consume().size(), "the outstanding record holds back the later one, as in Linux");
        run.endRun();
        List<byte[]> records = consume();
        assertEquals(1, records.size(), "once the run ended, the forgotten record is discarded and the ring flows");
        assertArrayEquals(new byte[] {5, 6}, records.get(0));
        assertThrows(MemoryAccessException.class, () -> submit.call(run, forgotten, 0, 0, 0, 0),
                "the discarded record can no longer be submitted");
    }

    @Test
    void outputCopiesARecordIn() {
        long data = run.stack(new byte[] {9, 8, 7});
        assertEquals(0, output.call(run, handle, data, 3, 0, 0));
        assertEquals(0, output.call(run, handle, 0, 0, 0, 0), "an empty record");
        assertEquals(-Errno.EINVAL, output.call(run, handle, data, 3, 4, 0), "bad flags");
        List<byte[]> records = consume();
        assertEquals(2, records.size());
        assertArrayEquals(new byte[] {9, 8, 7}, records.get(0));
        assertEquals(0, records.get(1).length);
        assertThrows(MemoryAccessException.class, () -> output.call(run, handle, data, 4, 0, 0), "size beyond data");
    }

    @Test
    void fullRingsAndBadFlagsReserveNothing() {
        assertEquals(0, reserve.call(run, handle, SIZE, 0, 0, 0), "a record must leave room for its header");
        assertEquals(0, reserve.call(run, handle, 8, 1, 0, 0), "flags must be 0");
        long big = reserve.call(run, handle, SIZE / 2, 0, 0, 0);
        assertNotEquals(0, big);
        assertEquals(0, reserve.call(run, handle, SIZE / 2, 0, 0, 0), "no room while the first is outstanding");
        discard.call(run, big, 0, 0, 0, 0);
    }

    @Test
    void queryReportsPositionsAndSize() {
        assertEquals(SIZE, query.call(run, handle, RingBufferMap.RING_SIZE, 0, 0, 0));
        long data = run.stack(new byte[16]);
        output.call(run, handle, data, 16, 0, 0);
        assertEquals(24, query.call(run, handle, RingBufferMap.AVAIL_DATA, 0, 0, 0), "8-byte header + 16");
        assertEquals(24, query.call(run, handle, RingBufferMap.PROD_POS, 0, 0, 0));
        assertEquals(0, query.call(run, handle, RingBufferMap.CONS_POS, 0, 0, 0));
        consume();
        assertEquals(24, query.call(run, handle, RingBufferMap.CONS_POS, 0, 0, 0));
        assertEquals(0, query.call(run, handle, RingBufferMap.AVAIL_DATA, 0, 0, 0));
    }

    @Test
    void onlyOutstandingReservationsCanBeReleased() {
        long record = reserve.call(run, handle, 8, 0, 0, 0);
        assertThrows(MemoryAccessException.class, () -> submit.call(run, record + 1, 0, 0, 0, 0), "not the record's start");
        assertThrows(MemoryAccessException.class, () -> submit.call(run, run.stack(new byte[8]), 0, 0, 0, 0), "stack memory");
        assertThrows(MemoryAccessException.class, () -> discard.call(run, 0, 0, 0, 0, 0), "NULL");
        submit.call(run, record, 0, 0, 0, 0);
        assertThrows(MemoryAccessException.class, () -> submit.call(run, record, 0, 0, 0, 0), "submitted twice");
        assertThrows(MemoryAccessException.class, () -> discard.call(run, record, 0, 0, 0, 0), "discarded after submit");
    }
}

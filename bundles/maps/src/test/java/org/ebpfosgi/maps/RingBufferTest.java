package org.ebpfosgi.maps;

import static org.ebpfosgi.api.map.MapException.E2BIG;
import static org.ebpfosgi.api.map.MapException.EINVAL;
import static org.ebpfosgi.api.map.MapException.ENOTSUP;
import static org.ebpfosgi.maps.TestMaps.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.ebpfosgi.api.map.RingBufferMap;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.junit.jupiter.api.Test;

class RingBufferTest {
    static final int RINGBUF = 27;

    static RingBufferMap ring(int size) {
        return (RingBufferMap) TestMaps.create(RINGBUF, 0, 0, size);
    }

    static void fill(Region r, int value) {
        for (int i = 0; i < r.length(); i++) {
            r.bytes()[r.base() + i] = (byte) value;
        }
    }

    static List<byte[]> drain(RingBufferMap rb) {
        List<byte[]> out = new ArrayList<>();
        rb.consume(b -> {
            byte[] copy = new byte[b.remaining()];
            b.get(copy);
            out.add(copy);
        });
        return out;
    }

    @Test
    void definitionsAreCheckedLikeLinux() {
        assertErrno(EINVAL, () -> TestMaps.create(RINGBUF, 0, 0, 4096 + 8));
        assertErrno(EINVAL, () -> TestMaps.create(RINGBUF, 0, 0, 2048));
        assertErrno(EINVAL, () -> TestMaps.create(RINGBUF, 4, 0, 4096));
        assertErrno(EINVAL, () -> TestMaps.create(RINGBUF, 0, 4, 4096));
        assertErrno(EINVAL, () -> TestMaps.create(RINGBUF, 0, 0, 4096, 1));
        assertErrno(E2BIG, () -> TestMaps.create(RINGBUF, 0, 0, 1 << 30));
        ring(4096 * 4);
    }

    @Test
    void recordsComeOutInReservationOrderOnceCommitted() {
        RingBufferMap rb = ring(4096);
        Region a = rb.reserve(3, 0);
        Region b = rb.reserve(10, 0);
        Region c = rb.reserve(8, 0);
        fill(a, 1);
        fill(b, 2);
        fill(c, 3);
        rb.submit(b, 0);
        assertEquals(0, drain(rb).size(), "a reserved, uncommitted record holds back later ones");
        rb.discard(a, 0);
        List<byte[]> out = drain(rb);
        assertEquals(1, out.size(), "a discarded record is skipped, c is still reserved");
        assertArrayEquals(new byte[] {2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, out.get(0));
        rb.submit(c, RingBufferMap.NO_WAKEUP);
        assertArrayEquals(new byte[] {3, 3, 3, 3, 3, 3, 3, 3}, drain(rb).get(0));
        assertEquals(0, rb.query(RingBufferMap.AVAIL_DATA));
        // 3 -> 16, 10 -> 24, 8 -> 16 bytes with their headers, 8-byte aligned.
        assertEquals(56, rb.query(RingBufferMap.PROD_POS));
        assertEquals(56, rb.query(RingBufferMap.CONS_POS));
        assertEquals(4096, rb.query(RingBufferMap.RING_SIZE));
        assertEquals(0, rb.query(99));
    }

    @Test
    void capacityIsLinuxs() {
        RingBufferMap rb = ring(4096);
        // The producer may run at most size - 1 bytes ahead: a 4088-byte record (4080 payload) fits, 4081 does not.
        assertNull(rb.reserve(4081, 0));
        assertNull(rb.reserve(5000, 0));
        assertNull(rb.reserve(8, 1), "reserve takes no flags");
        Region big = rb.reserve(4080, 0);
        assertNotNull(big);
        assertNull(rb.reserve(0, 0), "full");
        assertEquals(4088, rb.query(RingBufferMap.AVAIL_DATA));
        assertEquals(-11, rb.output(new byte[1], 0, 1, 0), "bpf_ringbuf_output answers -EAGAIN when full");
        assertEquals(-EINVAL, rb.output(new byte[1], 0, 1, 4));
        rb.submit(big, 0);
        assertEquals(4080, drain(rb).get(0).length);
        // After wrapping, records that cross the end are still contiguous and intact.
        for (int round = 0; round < 50; round++) {
            byte[] payload = new byte[100 + round];
            java.util.Arrays.fill(payload, (byte) round);
            assertEquals(0, rb.output(payload, 0, payload.length, 0));
            assertEquals(0, rb.output(payload, 0, payload.length, 0));
            List<byte[]> out = drain(rb);
            assertEquals(2, out.size());
            assertArrayEquals(payload, out.get(0));
            assertArrayEquals(payload, out.get(1));
        }
    }

    @Test
    void fillingUpAndDrainingKeepsEveryRecord() {
        RingBufferMap rb = ring(4096);
        int written = 0;
        while (rb.output(new byte[] {(byte) written, 1, 2, 3, 4}, 0, 5, 0) == 0) {
            written++;
        }
        // 16 bytes a record: 255 of them fit in 4095 bytes.
        assertEquals(255, written);
        List<byte[]> out = drain(rb);
        assertEquals(255, out.size());
        for (int i = 0; i < out.size(); i++) {
            assertEquals((byte) i, out.get(i)[0]);
        }
    }

    @Test
    void submitChecksItsRecord() {
        RingBufferMap rb = ring(4096);
        Region r = rb.reserve(8, 0);
        rb.submit(r, 0);
        assertErrno(EINVAL, () -> rb.submit(r, 0));
        assertErrno(EINVAL, () -> rb.discard(Region.of(Region.Kind.MEMORY, "x", new byte[64], 8, 8, true), 0));
        assertErrno(ENOTSUP, () -> rb.lookup(new byte[0]));
        assertErrno(ENOTSUP, () -> rb.update(new byte[0], new byte[0], 0));
        assertNull(rb.lookupRegion(new byte[0]));
    }

    @Test
    void programsWriteThroughTheReservedRegion() {
        RingBufferMap rb = ring(4096);
        Memory memory = new Memory();
        long address = memory.map(rb.reserve(16, 0));
        memory.store(address, 8, 0x0102030405060708L);
        memory.store(address + 8, 4, 0xAABBCCDDL);
        rb.submit((Region) memory.entry(address), 0);
        byte[] record = drain(rb).get(0);
        assertEquals(0x0102030405060708L, TestMaps.u64(record, 0));
        assertEquals(0xAABBCCDD, TestMaps.u32(java.util.Arrays.copyOfRange(record, 8, 12)));
    }

    @Test
    void aHandlerThatThrowsConsumesItsRecordAndStops() {
        RingBufferMap rb = ring(4096);
        rb.output(new byte[] {1}, 0, 1, 0);
        rb.output(new byte[] {2}, 0, 1, 0);
        assertThrows(IllegalStateException.class, () -> rb.consume(b -> {
            throw new IllegalStateException();
        }));
        assertEquals(2, drain(rb).get(0)[0]);
    }

    @Test
    void aBlockedPollerIsWokenByACommit() throws Exception {
        RingBufferMap rb = ring(4096);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            List<Byte> got = new ArrayList<>();
            Thread[] poller = new Thread[1];
            Future<Integer> polled = pool.submit(() -> {
                poller[0] = Thread.currentThread();
                return rb.poll(b -> got.add(b.get(0)), 60, TimeUnit.SECONDS);
            });
            awaitWaiting(poller);
            rb.output(new byte[] {42}, 0, 1, 0);
            assertEquals(1, polled.get(60, TimeUnit.SECONDS));
            assertEquals(List.of((byte) 42), got);

            // A NO_WAKEUP commit leaves a waiting consumer asleep until its timeout, as epoll would.
            Future<Integer> quiet = pool.submit(() -> rb.poll(b -> { }, 300, TimeUnit.MILLISECONDS));
            awaitWaiting(poller);
            rb.output(new byte[] {7}, 0, 1, RingBufferMap.NO_WAKEUP);
            assertEquals(0, quiet.get(60, TimeUnit.SECONDS));
            assertEquals(Optional.of(List.of((byte) 7)), Optional.of(drain(rb).stream().map(b -> b[0]).toList()));

            // A record committed behind a held one is not yet ready; the held one's commit wakes the consumer.
            Region held = rb.reserve(1, 0);
            Future<Optional<byte[]>> one = pool.submit(() -> rb.pollRecord(60, TimeUnit.SECONDS));
            awaitWaiting(poller);
            Region later = rb.reserve(1, 0);
            later.bytes()[later.base()] = 9;
            rb.submit(later, RingBufferMap.NO_WAKEUP);
            held.bytes()[held.base()] = 8;
            rb.submit(held, 0); // the consumer is at this record: adaptive wake-up
            assertEquals(8, one.get(60, TimeUnit.SECONDS).orElseThrow()[0]);
            assertEquals(9, rb.pollRecord(0, TimeUnit.SECONDS).orElseThrow()[0]);
            assertEquals(Optional.empty(), rb.pollRecord(10, TimeUnit.MILLISECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits until the pool thread blocks (not a timing assertion: it only orders the test's steps). */
    private static void awaitWaiting(Thread[] poller) throws InterruptedException {
        while (poller[0] == null || poller[0].getState() != Thread.State.TIMED_WAITING) {
            Thread.sleep(1);
        }
    }

    @Test
    void manyProducersOneConsumerInOrderPerProducer() throws Exception {
        RingBufferMap rb = ring(4096 * 4);
        int producers = 4;
        int perProducer = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        int[] next = new int[producers];
        int[] received = {0};
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        Region r;
                        while ((r = rb.reserve(8, 0)) == null) {
                            Thread.onSpinWait();
                        }
                        r.bytes()[r.base()] = (byte) id;
                        java.nio.ByteBuffer.wrap(r.bytes(), r.base() + 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(i);
                        rb.submit(r, 0);
                    }
                    return null;
                }));
            }
            while (received[0] < producers * perProducer) {
                rb.poll(b -> {
                    int id = b.get(0);
                    assertEquals(next[id]++, b.getInt(4), "producer " + id + " out of order");
                    received[0]++;
                }, 100, TimeUnit.MILLISECONDS);
                assertTrue(tasks.stream().noneMatch(f -> f.isDone() && !succeeded(f)));
            }
            for (Future<?> f : tasks) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(producers * perProducer, received[0]);
    }

    private static boolean succeeded(Future<?> f) {
        try {
            f.get();
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}

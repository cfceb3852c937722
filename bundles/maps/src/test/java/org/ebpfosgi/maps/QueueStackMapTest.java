package org.ebpfosgi.maps;

import static org.ebpfosgi.api.map.EbpfMap.ANY;
import static org.ebpfosgi.api.map.EbpfMap.EXIST;
import static org.ebpfosgi.api.map.EbpfMap.NOEXIST;
import static org.ebpfosgi.api.map.MapException.E2BIG;
import static org.ebpfosgi.api.map.MapException.EINVAL;
import static org.ebpfosgi.maps.TestMaps.assertErrno;
import static org.ebpfosgi.maps.TestMaps.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.ebpfosgi.api.map.QueueMap;
import org.junit.jupiter.api.Test;

class QueueStackMapTest {
    static final int QUEUE = 22, STACK = 23;

    static QueueMap make(int type, int max) {
        return (QueueMap) TestMaps.create(type, 0, 4, max);
    }

    static int popInt(QueueMap m) {
        return m.pop().map(TestMaps::u32).orElse(-1);
    }

    @Test
    void queueIsFifoAndStackIsLifo() {
        QueueMap q = make(QUEUE, 8);
        QueueMap s = make(STACK, 8);
        for (int i = 1; i <= 3; i++) {
            q.push(u32(i), ANY);
            s.push(u32(i), ANY);
        }
        assertEquals(1, TestMaps.u32(q.peek().orElseThrow()));
        assertEquals(3, TestMaps.u32(s.peek().orElseThrow()));
        assertEquals(List.of(1, 2, 3), List.of(popInt(q), popInt(q), popInt(q)));
        assertEquals(List.of(3, 2, 1), List.of(popInt(s), popInt(s), popInt(s)));
        assertEquals(Optional.empty(), q.pop());
        assertEquals(Optional.empty(), s.peek());
    }

    @Test
    void fullPushFailsUnlessExistOverwritesTheOldest() {
        for (int type : new int[] {QUEUE, STACK}) {
            QueueMap m = make(type, 2);
            m.push(u32(1), ANY);
            m.push(u32(2), ANY);
            assertErrno(E2BIG, () -> m.push(u32(3), ANY));
            m.push(u32(3), EXIST);
            List<Integer> left = List.of(popInt(m), popInt(m));
            assertEquals(type == QUEUE ? List.of(2, 3) : List.of(3, 2), left, "type " + type);
            assertErrno(EINVAL, () -> m.push(u32(1), NOEXIST));
            assertErrno(EINVAL, () -> m.push(u32(1), 4));
            assertErrno(EINVAL, () -> m.push(new byte[3], ANY));
        }
    }

    @Test
    void syscallOperationsMapToPushPeek() {
        QueueMap m = make(QUEUE, 4);
        m.update(null, u32(5), ANY);
        m.update(new byte[0], u32(6), ANY);
        assertEquals(5, TestMaps.u32(m.lookup(null).orElseThrow()));
        assertEquals(5, TestMaps.u32(m.lookup(new byte[0]).orElseThrow()), "lookup peeks");
        assertErrno(EINVAL, () -> m.update(u32(0), u32(1), ANY));
        assertErrno(EINVAL, () -> m.delete(null));
        assertErrno(EINVAL, () -> m.nextKey(null));
        assertNull(m.lookupRegion(new byte[0]));
    }

    @Test
    void popAndPeekIntoProgramBuffers() {
        QueueMap m = make(STACK, 4);
        byte[] stack = new byte[16];
        assertFalse(m.popInto(stack, 4));
        m.push(new byte[] {0, 0, 9, 9, 9, 9, 0}, 2, ANY);
        assertTrue(m.peekInto(stack, 4));
        assertTrue(m.popInto(stack, 8));
        assertEquals(9, stack[4]);
        assertEquals(9, stack[11]);
        assertFalse(m.peekInto(stack, 0));
        assertErrno(EINVAL, () -> m.popInto(stack, 13));
        assertErrno(EINVAL, () -> m.push(new byte[5], 2, ANY));
    }

    @Test
    void definitionsAreCheckedLikeLinux() {
        assertErrno(EINVAL, () -> TestMaps.create(QUEUE, 4, 4, 1));
        assertErrno(EINVAL, () -> TestMaps.create(QUEUE, 0, 0, 1));
        assertErrno(EINVAL, () -> TestMaps.create(STACK, 0, 4, 0));
        assertErrno(EINVAL, () -> TestMaps.create(STACK, 0, 4, 1, 1)); // BPF_F_NO_PREALLOC
        assertErrno(E2BIG, () -> TestMaps.create(QUEUE, 0, (1 << 22) + 1, 1));
    }

    @Test
    void concurrentProducersAndConsumersLoseAndDuplicateNothing() throws Exception {
        QueueMap m = make(QUEUE, 64);
        int producers = 3;
        int perProducer = 3_000;
        ExecutorService pool = Executors.newFixedThreadPool(producers + 2);
        Set<Integer> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int base = p * perProducer;
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        while (true) {
                            try {
                                m.push(u32(base + i), ANY);
                                break;
                            } catch (org.ebpfosgi.api.map.MapException full) {
                                assertEquals(E2BIG, full.errno());
                                Thread.onSpinWait();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (int c = 0; c < 2; c++) {
                tasks.add(pool.submit(() -> {
                    while (seen.size() < producers * perProducer) {
                        m.pop().ifPresent(v -> assertTrue(seen.add(TestMaps.u32(v)), "duplicate"));
                    }
                    return null;
                }));
            }
            for (Future<?> f : tasks) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Set<Integer> all = new HashSet<>();
        for (int i = 0; i < producers * perProducer; i++) {
            all.add(i);
        }
        assertEquals(all, seen);
        assertEquals(Optional.empty(), m.pop());
    }
}

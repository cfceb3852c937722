package org.ebpfosgi.maps;

import static org.ebpfosgi.api.map.EbpfMap.ANY;
import static org.ebpfosgi.api.map.EbpfMap.EXIST;
import static org.ebpfosgi.api.map.EbpfMap.NOEXIST;
import static org.ebpfosgi.api.map.MapException.EEXIST;
import static org.ebpfosgi.api.map.MapException.ENOENT;
import static org.ebpfosgi.api.map.MapException.ENOTSUP;
import static org.ebpfosgi.maps.TestMaps.assertErrno;
import static org.ebpfosgi.maps.TestMaps.create;
import static org.ebpfosgi.maps.TestMaps.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.ebpfosgi.api.map.EbpfMap;
import org.junit.jupiter.api.Test;

class LruHashMapTest {
    static final int LRU_HASH = 9;

    @Test
    void insertingIntoAFullMapEvictsTheLeastRecentlyUsed() {
        EbpfMap m = create(LRU_HASH, 8, 8, 3);
        m.update(u64(1), u64(1), ANY);
        m.update(u64(2), u64(2), ANY);
        m.update(u64(3), u64(3), ANY);
        assertNotNull(m.lookupRegion(u64(1))); // a program's lookup is a use: 2 is now the oldest
        m.update(u64(4), u64(4), ANY);
        assertTrue(m.lookup(u64(2)).isEmpty(), "2 should have been evicted");
        assertTrue(m.lookup(u64(1)).isPresent());
        m.update(u64(3), u64(33), EXIST); // an update is a use: 1 is now the oldest
        m.update(u64(5), u64(5), NOEXIST);
        assertTrue(m.lookup(u64(1)).isEmpty(), "1 should have been evicted");
        assertEquals(Set.of(3L, 4L, 5L), keys(m));
    }

    @Test
    void syscallLookupsAreNotUses() {
        EbpfMap m = create(LRU_HASH, 8, 8, 2);
        m.update(u64(1), u64(1), ANY);
        m.update(u64(2), u64(2), ANY);
        m.lookup(u64(1)); // Linux's syscall lookup does not mark the element
        m.update(u64(3), u64(3), ANY);
        assertEquals(Set.of(2L, 3L), keys(m));
    }

    @Test
    void flagsAndErrorsAsForHash() {
        EbpfMap m = create(LRU_HASH, 8, 8, 2);
        assertErrno(ENOENT, () -> m.update(u64(1), u64(1), EXIST));
        m.update(u64(1), u64(1), NOEXIST);
        assertErrno(EEXIST, () -> m.update(u64(1), u64(1), NOEXIST));
        assertErrno(ENOENT, () -> m.delete(u64(9)));
        m.delete(u64(1));
        assertTrue(keys(m).isEmpty());
        assertErrno(ENOTSUP, () -> create(LRU_HASH, 8, 8, 2, 1)); // BPF_F_NO_PREALLOC
        create(LRU_HASH, 8, 8, 2, 1 << 1); // BPF_F_NO_COMMON_LRU is accepted
    }

    /** Single-threaded, the order is exact: compare with an access-ordered LinkedHashMap. */
    @Test
    void randomOperationsMatchAnExactLruModel() {
        int capacity = 64;
        EbpfMap m = create(LRU_HASH, 8, 8, capacity);
        LinkedHashMap<Long, Long> model = new LinkedHashMap<>(16, 0.75f, true);
        Random random = new Random(42);
        for (int step = 0; step < 20_000; step++) {
            long key = random.nextInt(200);
            int op = random.nextInt(10);
            if (op < 5) {
                m.update(u64(key), u64(step), ANY);
                if (!model.containsKey(key) && model.size() == capacity) {
                    Long eldest = model.keySet().iterator().next();
                    model.remove(eldest);
                }
                model.put(key, (long) step);
            } else if (op < 8) {
                boolean present = m.lookupRegion(u64(key)) != null;
                assertEquals(model.get(key) != null, present, "step " + step);
            } else {
                boolean present = model.remove(key) != null;
                if (present) {
                    m.delete(u64(key));
                } else {
                    assertErrno(ENOENT, () -> m.delete(u64(key)));
                }
            }
            if (step % 500 == 0) {
                assertEquals(model.keySet(), keys(m), "step " + step);
            }
        }
        assertEquals(model.keySet(), keys(m));
        for (var e : model.entrySet()) {
            assertEquals(e.getValue(), u64(m.lookup(u64(e.getKey())).orElseThrow()));
        }
    }

    @Test
    void concurrentInsertsNeverExceedCapacity() throws Exception {
        int capacity = 100;
        EbpfMap m = create(LRU_HASH, 8, 8, capacity);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long base = t * 1_000_000L;
                done.add(pool.submit(() -> {
                    for (long i = 0; i < 20_000; i++) {
                        m.update(u64(base + i), u64(i), ANY);
                        m.lookupRegion(u64(base + i / 2));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Set<Long> keys = keys(m);
        assertEquals(capacity, keys.size());
        for (long k : keys) {
            assertEquals(k % 1_000_000L, u64(m.lookup(u64(k)).orElseThrow()));
        }
        assertFalse(keys.contains(0L), "the first key inserted is long evicted");
    }

    static Set<Long> keys(EbpfMap m) {
        Set<Long> keys = new HashSet<>();
        HashMapTest.iterate(m).forEach(k -> keys.add(u64(k)));
        return keys;
    }
}

package org.ebpfosgi.maps;

import static org.ebpfosgi.api.map.EbpfMap.ANY;
import static org.ebpfosgi.api.map.EbpfMap.EXIST;
import static org.ebpfosgi.api.map.EbpfMap.NOEXIST;
import static org.ebpfosgi.api.map.MapException.E2BIG;
import static org.ebpfosgi.api.map.MapException.EBADF;
import static org.ebpfosgi.api.map.MapException.EEXIST;
import static org.ebpfosgi.api.map.MapException.EINVAL;
import static org.ebpfosgi.api.map.MapException.ENOENT;
import static org.ebpfosgi.maps.TestMaps.assertErrno;
import static org.ebpfosgi.maps.TestMaps.create;
import static org.ebpfosgi.maps.TestMaps.u64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HashMapTest {
    static final int HASH = 1;

    @Test
    void updateFlagsFollowLinux() {
        EbpfMap m = create(HASH, 8, 8, 4);
        assertErrno(ENOENT, () -> m.update(u64(1), u64(10), EXIST));
        m.update(u64(1), u64(10), NOEXIST);
        assertErrno(EEXIST, () -> m.update(u64(1), u64(11), NOEXIST));
        m.update(u64(1), u64(12), EXIST);
        assertEquals(12, u64(m.lookup(u64(1)).orElseThrow()));
        m.update(u64(1), u64(13), ANY);
        assertEquals(13, u64(m.lookup(u64(1)).orElseThrow()));
        m.update(u64(2), u64(20), ANY);
        assertErrno(EINVAL, () -> m.update(u64(3), u64(1), 3));
        assertErrno(EINVAL, () -> m.update(u64(3), u64(1), 4)); // BPF_F_LOCK: no spin lock in the value
        assertErrno(EINVAL, () -> m.update(u64(3), u64(1), -1));
    }

    @Test
    void fullMapRefusesNewKeysButReplacesExisting() {
        EbpfMap m = create(HASH, 8, 8, 2);
        m.update(u64(1), u64(1), ANY);
        m.update(u64(2), u64(2), ANY);
        assertErrno(E2BIG, () -> m.update(u64(3), u64(3), ANY));
        assertErrno(E2BIG, () -> m.update(u64(3), u64(3), NOEXIST));
        m.update(u64(2), u64(22), ANY);
        assertEquals(22, u64(m.lookup(u64(2)).orElseThrow()));
        m.delete(u64(1));
        m.update(u64(3), u64(3), ANY);
        assertEquals(3, u64(m.lookup(u64(3)).orElseThrow()));
    }

    @Test
    void missingKeysAndBadLengths() {
        EbpfMap m = create(HASH, 8, 16, 4);
        assertEquals(Optional.empty(), m.lookup(u64(5)));
        assertNull(m.lookupRegion(u64(5)));
        assertErrno(ENOENT, () -> m.delete(u64(5)));
        assertErrno(EINVAL, () -> m.lookup(new byte[4]));
        assertErrno(EINVAL, () -> m.lookupRegion(new byte[9]));
        assertErrno(EINVAL, () -> m.update(u64(1), new byte[8], ANY));
        assertErrno(EINVAL, () -> m.update(null, new byte[16], ANY));
        assertErrno(EINVAL, () -> m.delete(new byte[7]));
        assertErrno(EINVAL, () -> m.lookupRegion(new byte[10], 3));
    }

    @Test
    void regionAliasesTheLiveValue() {
        EbpfMap m = create(HASH, 8, 16, 4);
        m.update(u64(7), new byte[16], ANY);
        Region r = m.lookupRegion(u64(7));
        assertEquals(Region.Kind.MAP_VALUE, r.kind());
        assertEquals(16, r.length());
        assertTrue(r.writable());
        assertSame(r, m.lookupRegion(u64(7)), "a lookup must not allocate a new region");
        r.bytes()[r.base() + 3] = 42;
        assertEquals(42, m.lookup(u64(7)).orElseThrow()[3]);
        // A copy from lookup is not live.
        m.lookup(u64(7)).orElseThrow()[4] = 9;
        assertEquals(0, m.lookup(u64(7)).orElseThrow()[4]);
        // Replacing the value makes a new element; the old region stays valid Java memory.
        m.update(u64(7), new byte[16], ANY);
        assertEquals(0, m.lookup(u64(7)).orElseThrow()[3]);
        assertEquals(42, r.bytes()[r.base() + 3]);
        m.delete(u64(7));
        r.bytes()[r.base()] = 1; // still writable after delete, harmlessly
        assertNull(m.lookupRegion(u64(7)));
    }

    @Test
    void lookupWithOffsetReadsTheKeyInPlace() {
        EbpfMap m = create(HASH, 8, 8, 4);
        m.update(u64(0x1122334455667788L), u64(5), ANY);
        byte[] stack = new byte[32];
        System.arraycopy(u64(0x1122334455667788L), 0, stack, 13, 8);
        assertSame(m.lookupRegion(u64(0x1122334455667788L)), m.lookupRegion(stack, 13));
        assertNull(m.lookupRegion(stack, 12));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 7, 8, 12, 16, 33, 512})
    void keysOfEverySizeRoundTrip(int keySize) {
        int n = keySize == 1 ? 256 : 300;
        EbpfMap m = create(HASH, keySize, 4, n);
        for (int i = 0; i < n; i++) {
            m.update(key(keySize, i), TestMaps.u32(i), NOEXIST);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(i, TestMaps.u32(m.lookup(key(keySize, i)).orElseThrow()), "key " + i);
        }
        assertEquals(n, iterate(m).size());
    }

    /** Distinct keys of any size for i below 256^min(size, 4). */
    static byte[] key(int size, int i) {
        byte[] k = new byte[size];
        for (int b = 0; b < Math.min(size, 4); b++) {
            k[b] = (byte) (i >>> (8 * b));
        }
        if (size > 8) {
            k[size - 1] = (byte) 0xA5; // beyond the first 8 bytes too
        }
        return size == 1 ? new byte[] {(byte) i} : k;
    }

    static List<byte[]> iterate(EbpfMap m) {
        List<byte[]> keys = new ArrayList<>();
        Set<ByteBuffer> seen = new HashSet<>();
        byte[] k = null;
        for (Optional<byte[]> next; (next = m.nextKey(k)).isPresent(); ) {
            k = next.get();
            assertTrue(seen.add(ByteBuffer.wrap(k)), "iteration repeated a key");
            keys.add(k);
        }
        return keys;
    }

    @Test
    void nextKeyVisitsEveryKeyOnceAndRestartsFromADeletedKey() {
        EbpfMap m = create(HASH, 8, 8, 1000);
        assertEquals(Optional.empty(), m.nextKey(null));
        for (int i = 0; i < 1000; i++) {
            m.update(u64(i * 7919L), u64(i), ANY);
        }
        List<byte[]> keys = iterate(m);
        assertEquals(1000, keys.size());
        Set<Long> values = new HashSet<>();
        keys.forEach(k -> values.add(u64(k)));
        for (int i = 0; i < 1000; i++) {
            assertTrue(values.contains(i * 7919L));
        }
        byte[] first = m.nextKey(null).orElseThrow();
        assertArrayEquals(first, m.nextKey(u64(-1)).orElseThrow(), "an absent key restarts at the first");
        byte[] middle = keys.get(500);
        m.delete(middle);
        assertArrayEquals(first, m.nextKey(middle).orElseThrow(), "a deleted key restarts at the first");
        assertEquals(Optional.empty(), m.nextKey(keys.get(999)));
    }

    @Test
    void definitionsAreCheckedLikeLinux() {
        assertErrno(EINVAL, () -> create(HASH, 0, 8, 1));
        assertErrno(EINVAL, () -> create(HASH, 8, 0, 1));
        assertErrno(EINVAL, () -> create(HASH, 8, 8, 0));
        assertErrno(E2BIG, () -> create(HASH, 513, 8, 1));
        assertErrno(E2BIG, () -> create(HASH, 8, 1 << 22, 1));
        assertErrno(EINVAL, () -> create(HASH, 8, 8, 1, 1 << 1)); // BPF_F_NO_COMMON_LRU on a plain hash
        assertErrno(EINVAL, () -> create(HASH, 8, 8, 1, 1 << 10)); // BPF_F_MMAPABLE
        assertErrno(EINVAL, () -> create(HASH, 8, 8, 1, (1 << 7) | (1 << 8))); // RDONLY_PROG + WRONLY_PROG
        assertErrno(EINVAL, () -> create(2, 8, 8, 1).close()); // array: key must be 4
        create(HASH, 8, 8, 1, 1); // BPF_F_NO_PREALLOC is fine
        create(HASH, 8, 8, -1, 0); // max_entries is a u32: 4294967295 allocates lazily
    }

    @Test
    void closedMapsRefuseUse() {
        EbpfMap m = create(HASH, 8, 8, 4);
        m.update(u64(1), u64(1), ANY);
        m.close();
        assertErrno(EBADF, () -> m.lookup(u64(1)));
        assertErrno(EBADF, () -> m.update(u64(1), u64(1), ANY));
        assertNull(m.lookupRegion(u64(1)));
    }

    @Test
    void atomicIncrementsFromManyThreadsAddUpExactly() throws Exception {
        TestMaps.assumeMemoryAtomics();
        EbpfMap m = create(HASH, 8, 16, 16);
        m.update(u64(1), new byte[16], ANY);
        int threads = 8;
        int increments = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    Memory memory = new Memory();
                    start.await();
                    for (int i = 0; i < increments; i++) {
                        memory.reset();
                        long address = memory.map(m.lookupRegion(u64(1)));
                        memory.atomic(Memory.AtomicOp.ADD, address, 8, 1, 0);
                        memory.atomic(Memory.AtomicOp.ADD, address + 8, 4, 2, 0);
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
        byte[] v = m.lookup(u64(1)).orElseThrow();
        assertEquals((long) threads * increments, u64(v, 0));
        assertEquals(2L * threads * increments, TestMaps.u32(java.util.Arrays.copyOfRange(v, 8, 12)));
    }

    @Test
    void concurrentInsertsDeletesAndLookupsLoseNothing() throws Exception {
        int threads = 6;
        int perThread = 5_000;
        EbpfMap m = create(HASH, 8, 8, threads * perThread);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        Set<Long> readerSaw = ConcurrentHashMap.newKeySet();
        try {
            CyclicBarrier start = new CyclicBarrier(threads + 1);
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long base = (long) t << 32;
                writers.add(pool.submit(() -> {
                    start.await();
                    // Insert all, delete the odd ones, re-check: each thread owns its keys.
                    for (long i = 0; i < perThread; i++) {
                        m.update(u64(base + i), u64(base + i), NOEXIST);
                    }
                    for (long i = 1; i < perThread; i += 2) {
                        m.delete(u64(base + i));
                    }
                    for (long i = 0; i < perThread; i++) {
                        Region r = m.lookupRegion(u64(base + i));
                        if ((i & 1) == 0) {
                            assertNotNull(r, "lost key " + (base + i));
                            assertEquals(base + i, u64(java.util.Arrays.copyOfRange(r.bytes(), r.base(), r.base() + 8)));
                        } else {
                            assertNull(r, "deleted key still present " + (base + i));
                        }
                    }
                    return null;
                }));
            }
            Future<?> reader = pool.submit(() -> {
                start.await();
                while (!writers.stream().allMatch(Future::isDone)) {
                    for (byte[] k = m.nextKey(null).orElse(null); k != null; k = m.nextKey(k).orElse(null)) {
                        readerSaw.add(u64(k));
                    }
                }
                return null;
            });
            for (Future<?> f : writers) {
                f.get(60, TimeUnit.SECONDS);
            }
            reader.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        List<byte[]> keys = iterate(m);
        assertEquals(threads * perThread / 2, keys.size());
        for (byte[] k : keys) {
            long v = u64(k);
            assertEquals(0, v & 1, "odd key survived");
            assertEquals(v, u64(m.lookup(k).orElseThrow()));
        }
        for (long seen : readerSaw) {
            assertTrue((seen >>> 32) < threads && (seen & 0xFFFF_FFFFL) < perThread, "reader saw a key never inserted");
        }
        assertFalse(readerSaw.isEmpty());
    }

    @Test
    void lockFreeReadersNeverMissAStableKeyWhileTheTableChurnsAndGrows() throws Exception {
        EbpfMap m = create(HASH, 8, 8, 200_000);
        for (long k = 0; k < 64; k++) {
            m.update(u64(k), u64(k), ANY);
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Future<?> writer = pool.submit(() -> {
                // Inserts force the table through every growth step; deletes and replaces relink chains.
                for (long k = 1000; k < 60_000; k++) {
                    m.update(u64(k), u64(k), NOEXIST);
                    if (k % 3 == 0) {
                        m.delete(u64(k - 1));
                    }
                    m.update(u64(k % 64), u64(k % 64), EXIST);
                }
                stop.set(true);
                return null;
            });
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    long rounds = 0;
                    while (!stop.get() || rounds == 0) {
                        for (long k = 0; k < 64; k++) {
                            Region region = m.lookupRegion(u64(k));
                            assertNotNull(region, "stable key " + k + " missed");
                            assertEquals(k, u64(java.util.Arrays.copyOfRange(region.bytes(), region.base(), region.base() + 8)));
                        }
                        rounds++;
                    }
                    return null;
                }));
            }
            writer.get(120, TimeUnit.SECONDS);
            for (Future<?> f : readers) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

package org.ebpfosgi.maps;

import static org.ebpfosgi.api.map.EbpfMap.ANY;
import static org.ebpfosgi.api.map.EbpfMap.EXIST;
import static org.ebpfosgi.api.map.EbpfMap.NOEXIST;
import static org.ebpfosgi.api.map.MapException.E2BIG;
import static org.ebpfosgi.api.map.MapException.EEXIST;
import static org.ebpfosgi.api.map.MapException.ENOENT;
import static org.ebpfosgi.maps.TestMaps.create;
import static org.ebpfosgi.maps.TestMaps.u64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.memory.Region;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code hash} map (open addressing) against a reference model: a Java map of keys to values. */
class HashMapModelTest {
    private static final int HASH = 1;

    private static byte[] key(int keySize, int i) {
        byte[] k = new byte[keySize];
        for (int b = 0; b < keySize; b++) {
            k[b] = (byte) ((i * 0x9E3779B1) >>> (8 * (b & 3)) ^ b);
        }
        return k;
    }

    private static byte[] value(int valueSize, long v) {
        return Arrays.copyOf(u64(v), valueSize);
    }

    private static byte[] window(Region r) {
        return Arrays.copyOfRange(r.bytes(), r.base(), r.base() + r.length());
    }

    /** Random updates (all flags), deletes, lookups and full iterations agree with the model, errnos included. */
    @ParameterizedTest
    @ValueSource(ints = {1, 4, 8, 12, 33})
    void randomOperationsMatchTheModel(int keySize) {
        int maxEntries = 40;
        int universe = keySize == 1 ? 120 : 90;
        int valueSize = 12;
        EbpfMap m = create(HASH, keySize, valueSize, maxEntries);
        Map<ByteBuffer, byte[]> model = new HashMap<>();
        Map<ByteBuffer, Region> regions = new HashMap<>();
        Random random = new Random(keySize * 31L + 7);
        for (int op = 0; op < 20_000; op++) {
            byte[] k = key(keySize, random.nextInt(universe));
            ByteBuffer kb = ByteBuffer.wrap(k);
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    long flags = random.nextInt(3);
                    byte[] v = value(valueSize, op);
                    boolean present = model.containsKey(kb);
                    int expected = present && flags == NOEXIST ? EEXIST
                            : !present && flags == EXIST ? ENOENT
                            : !present && model.size() >= maxEntries ? E2BIG : 0;
                    assertEquals(expected, errno(() -> m.update(k, v, flags)), "update op " + op);
                    if (expected == 0) {
                        model.put(kb, v);
                        regions.remove(kb);
                    }
                }
                case 2 -> {
                    boolean present = model.remove(kb) != null;
                    assertEquals(present ? 0 : ENOENT, errno(() -> m.delete(k)), "delete op " + op);
                    regions.remove(kb);
                }
                case 3 -> {
                    byte[] stack = new byte[keySize + 9];
                    System.arraycopy(k, 0, stack, 5, keySize);
                    Region r = m.lookupRegion(stack, 5);
                    byte[] v = model.get(kb);
                    if (v == null) {
                        assertNull(r, "op " + op);
                    } else {
                        assertNotNull(r, "op " + op);
                        assertArrayEquals(v, window(r));
                        Region earlier = regions.putIfAbsent(kb, r);
                        if (earlier != null) {
                            assertSame(earlier, r, "the same element yields the same region");
                        }
                    }
                }
                default -> {
                    Optional<byte[]> v = m.lookup(k);
                    assertArrayEquals(model.get(kb), v.orElse(null), "op " + op);
                }
            }
            if (op % 500 == 0) {
                assertEquals(model.keySet(), keysByIteration(m), "iteration after op " + op);
            }
        }
    }

    private static Set<ByteBuffer> keysByIteration(EbpfMap m) {
        Set<ByteBuffer> keys = new HashSet<>();
        byte[] k = null;
        for (Optional<byte[]> next; (next = m.nextKey(k)).isPresent(); ) {
            k = next.get();
            assertTrue(keys.add(ByteBuffer.wrap(k)), "iteration repeated a key");
        }
        return keys;
    }

    private static int errno(Runnable action) {
        try {
            action.run();
            return 0;
        } catch (MapException e) {
            return e.errno();
        }
    }

    /** Deleted slots are reused or dropped: endless churn in a tiny map neither hangs probes nor loses keys. */
    @Test
    @Timeout(60)
    void churnThroughDeletedSlotsStaysCorrect() {
        EbpfMap m = create(HASH, 8, 8, 8);
        m.update(u64(-1), u64(-1), ANY);
        for (long k = 0; k < 200_000; k++) {
            m.update(u64(k), u64(k), NOEXIST);
            if (k >= 6) {
                m.delete(u64(k - 6));
            }
            assertNull(m.lookupRegion(u64(k + 1_000_000)), "a miss ends");
            assertEquals(-1, u64(m.lookup(u64(-1)).orElseThrow()), "a stable key stays found");
        }
        assertEquals(7, keysByIteration(m).size());
    }

    /** Readers racing deletes and inserts that reuse deleted slots only ever get the element of their own key. */
    @Test
    @Timeout(120)
    void lockFreeReadersNeverGetAnotherKeysElement() throws Exception {
        EbpfMap m = create(HASH, 8, 8, 16);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            java.util.concurrent.Future<?> writer = pool.submit(() -> {
                Random random = new Random(1);
                for (int op = 0; op < 300_000; op++) {
                    long k = random.nextInt(48);
                    if (m.lookup(u64(k)).isPresent()) {
                        m.delete(u64(k));
                    } else if (errno(() -> m.update(u64(k), u64(k), NOEXIST)) != E2BIG) {
                        assertTrue(m.lookup(u64(k)).isPresent());
                    }
                }
                stop.set(true);
                return null;
            });
            java.util.List<java.util.concurrent.Future<?>> readers = new java.util.ArrayList<>();
            for (int t = 0; t < 2; t++) {
                long seed = t;
                readers.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    long found = 0;
                    while (!stop.get()) {
                        long k = random.nextInt(48);
                        Region r = m.lookupRegion(u64(k));
                        if (r != null) {
                            assertEquals(8, r.length());
                            assertEquals(k, u64(window(r)), "a lookup of " + k + " got another key's element");
                            found++;
                        }
                    }
                    return found;
                }));
            }
            writer.get(100, java.util.concurrent.TimeUnit.SECONDS);
            for (java.util.concurrent.Future<?> f : readers) {
                f.get(100, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A program's window covers the value only, 8-byte aligned for atomics; the key cannot be changed through it. */
    @ParameterizedTest
    @ValueSource(ints = {1, 4, 8, 12})
    void theWindowIsTheAlignedValueOnly(int keySize) {
        EbpfMap m = create(HASH, keySize, 16, 4);
        byte[] k = key(keySize, 3);
        m.update(k, new byte[16], ANY);
        Region r = m.lookupRegion(k);
        assertEquals(16, r.length());
        assertEquals(0, r.base() % 8, "value start aligned");
        Arrays.fill(r.bytes(), r.base(), r.base() + r.length(), (byte) -1);
        assertSame(r, m.lookupRegion(k), "the key survives writes to the value");
        assertArrayEquals(k, m.nextKey(null).orElseThrow());
        byte[] ones = new byte[16];
        Arrays.fill(ones, (byte) -1);
        assertArrayEquals(ones, m.lookup(k).orElseThrow());
    }

    @Test
    void readOnlyForProgramsGivesReadOnlyWindows() {
        EbpfMap m = create(HASH, 8, 8, 4, 1 << 7);
        m.update(u64(1), u64(2), ANY);
        Region r = m.lookupRegion(u64(1));
        assertEquals(false, r.writable());
        assertEquals(2, u64(window(r)));
    }

    @Test
    void closeEmptiesTheMap() {
        EbpfMap m = create(HASH, 8, 8, 4);
        m.update(u64(1), u64(2), ANY);
        Region held = m.lookupRegion(u64(1));
        m.close();
        assertNull(m.lookupRegion(u64(1)));
        assertEquals(2, u64(window(held)), "a held region stays valid memory");
        try {
            m.lookup(u64(1));
            fail("lookup on a closed map");
        } catch (MapException expected) {
            assertEquals(MapException.EBADF, expected.errno());
        }
    }
}

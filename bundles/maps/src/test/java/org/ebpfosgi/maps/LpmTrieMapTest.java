package org.ebpfosgi.maps;

import static org.ebpfosgi.api.map.EbpfMap.ANY;
import static org.ebpfosgi.api.map.EbpfMap.EXIST;
import static org.ebpfosgi.api.map.EbpfMap.NOEXIST;
import static org.ebpfosgi.api.map.MapException.EEXIST;
import static org.ebpfosgi.api.map.MapException.EINVAL;
import static org.ebpfosgi.api.map.MapException.ENOENT;
import static org.ebpfosgi.api.map.MapException.ENOSPC;
import static org.ebpfosgi.maps.TestMaps.assertErrno;
import static org.ebpfosgi.maps.TestMaps.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.junit.jupiter.api.Test;

class LpmTrieMapTest {
    static final int LPM_TRIE = 11;
    static final int NO_PREALLOC = 1;

    static EbpfMap trie(int dataSize, int valueSize, int max) {
        return TestMaps.create(LPM_TRIE, 4 + dataSize, valueSize, max, NO_PREALLOC);
    }

    static byte[] key(int prefixLen, byte[] data) {
        return ByteBuffer.allocate(4 + data.length).order(ByteOrder.LITTLE_ENDIAN).putInt(prefixLen).put(data).array();
    }

    static byte[] ip(String address, int prefixLen) throws Exception {
        return key(prefixLen, InetAddress.getByName(address).getAddress());
    }

    static int value(EbpfMap m, byte[] key) {
        return m.lookup(key).map(TestMaps::u32).orElse(-1);
    }

    @Test
    void ipv4LongestPrefixMatch() throws Exception {
        EbpfMap m = trie(4, 4, 16);
        m.update(ip("192.168.0.0", 16), u32(16), ANY);
        m.update(ip("192.168.0.0", 24), u32(24), ANY);
        m.update(ip("192.168.1.0", 24), u32(124), ANY);
        m.update(ip("192.168.0.0", 23), u32(23), ANY);
        m.update(ip("10.0.0.0", 8), u32(8), ANY);
        m.update(ip("0.0.0.0", 0), u32(0), ANY);
        assertEquals(24, value(m, ip("192.168.0.77", 32)));
        assertEquals(124, value(m, ip("192.168.1.1", 32)));
        assertEquals(16, value(m, ip("192.168.2.1", 32)));
        assertEquals(8, value(m, ip("10.200.3.4", 32)));
        assertEquals(0, value(m, ip("8.8.8.8", 32)));
        // The key's own prefix length bounds the match.
        assertEquals(23, value(m, ip("192.168.0.77", 23)));
        assertEquals(16, value(m, ip("192.168.0.77", 22)));
        assertEquals(0, value(m, ip("192.168.0.77", 15)));
        m.delete(ip("0.0.0.0", 0));
        assertEquals(-1, value(m, ip("8.8.8.8", 32)));
        assertNull(m.lookupRegion(ip("8.8.8.8", 32)));
        assertSame(m.lookupRegion(ip("192.168.0.1", 32)), m.lookupRegion(ip("192.168.0.2", 32)));
    }

    @Test
    void ipv6LongestPrefixMatch() throws Exception {
        EbpfMap m = trie(16, 4, 16);
        m.update(ip("2001:db8::", 32), u32(32), ANY);
        m.update(ip("2001:db8:1234::", 48), u32(48), ANY);
        m.update(ip("2001:db8:1234:5678::1", 128), u32(128), ANY);
        m.update(ip("fe80::", 10), u32(10), ANY);
        assertEquals(128, value(m, ip("2001:db8:1234:5678::1", 128)));
        assertEquals(48, value(m, ip("2001:db8:1234:5678::2", 128)));
        assertEquals(32, value(m, ip("2001:db8:ffff::1", 128)));
        assertEquals(10, value(m, ip("febf::1", 128)));
        assertEquals(-1, value(m, ip("fec0::1", 128)));
        assertEquals(-1, value(m, ip("2001:db9::", 128)));
    }

    @Test
    void nextKeyIsPostOrderLikeLinux() throws Exception {
        // The example in Linux's lpm_trie.c: 192.168.0.0/24, 192.168.1.0/24, 192.168.0.0/23, 192.168.0.0/16.
        EbpfMap m = trie(4, 4, 16);
        m.update(ip("192.168.0.0", 16), u32(1), ANY);
        m.update(ip("192.168.0.0", 23), u32(2), ANY);
        m.update(ip("192.168.0.0", 24), u32(3), ANY);
        m.update(ip("192.168.1.0", 24), u32(4), ANY);
        List<byte[]> order = iterate(m);
        assertEquals(4, order.size());
        assertArrayEquals(ip("192.168.0.0", 24), order.get(0));
        assertArrayEquals(ip("192.168.1.0", 24), order.get(1));
        assertArrayEquals(ip("192.168.0.0", 23), order.get(2));
        assertArrayEquals(ip("192.168.0.0", 16), order.get(3));
        assertArrayEquals(order.get(0), m.nextKey(ip("10.0.0.0", 8)).orElseThrow(), "absent key restarts");
        assertArrayEquals(order.get(0), m.nextKey(ip("10.0.0.0", 33)).orElseThrow(), "bad prefix restarts");
    }

    @Test
    void flagsErrorsAndCapacity() throws Exception {
        EbpfMap m = trie(4, 4, 2);
        assertErrno(ENOENT, () -> m.update(ip("10.0.0.0", 8), u32(1), EXIST));
        m.update(ip("10.0.0.0", 8), u32(1), NOEXIST);
        assertErrno(EEXIST, () -> m.update(ip("10.0.0.0", 8), u32(1), NOEXIST));
        m.update(ip("10.0.0.0", 8), u32(2), EXIST);
        m.update(ip("10.1.0.0", 16), u32(3), ANY);
        assertErrno(ENOSPC, () -> m.update(ip("10.2.0.0", 16), u32(4), ANY));
        m.update(ip("10.1.0.0", 16), u32(5), ANY); // replacing fits in a full trie
        assertEquals(5, value(m, ip("10.1.2.3", 32)));
        assertErrno(EINVAL, () -> m.update(ip("10.0.0.0", 33), u32(1), ANY));
        assertErrno(EINVAL, () -> m.update(ip("10.0.0.0", 8), u32(1), 3));
        assertErrno(EINVAL, () -> m.delete(ip("10.0.0.0", 33)));
        assertErrno(ENOENT, () -> m.delete(ip("10.0.0.0", 9)));
        assertErrno(ENOENT, () -> m.delete(ip("11.0.0.0", 8)));
        m.delete(ip("10.0.0.0", 8));
        assertEquals(-1, value(m, ip("10.9.0.0", 32)));
    }

    @Test
    void definitionsAreCheckedLikeLinux() {
        assertErrno(EINVAL, () -> TestMaps.create(LPM_TRIE, 8, 4, 16, 0)); // BPF_F_NO_PREALLOC is required
        assertErrno(EINVAL, () -> TestMaps.create(LPM_TRIE, 4, 4, 16, NO_PREALLOC)); // no data
        assertErrno(EINVAL, () -> TestMaps.create(LPM_TRIE, 4 + 257, 4, 16, NO_PREALLOC));
        assertErrno(EINVAL, () -> TestMaps.create(LPM_TRIE, 8, 0, 16, NO_PREALLOC));
        assertErrno(EINVAL, () -> TestMaps.create(LPM_TRIE, 8, 4, 0, NO_PREALLOC));
        assertErrno(EINVAL, () -> TestMaps.create(LPM_TRIE, 8, 4, 16, NO_PREALLOC | 1 << 6)); // ZERO_SEED
        TestMaps.create(LPM_TRIE, 4 + 256, 4, 16, NO_PREALLOC);
    }

    /** Random inserts and deletes over 2-byte data (many nested prefixes) against a brute-force model. */
    @Test
    void randomOperationsMatchABruteForceModel() {
        Random random = new Random(7);
        EbpfMap m = trie(2, 4, 10_000);
        Map<String, byte[]> model = new LinkedHashMap<>(); // canonical key -> key
        Map<String, Integer> values = new LinkedHashMap<>();
        for (int step = 0; step < 6000; step++) {
            int prefixLen = random.nextInt(17);
            byte[] k = key(prefixLen, mask(new byte[] {(byte) random.nextInt(4), (byte) random.nextInt(256)}, prefixLen));
            String id = Arrays.toString(k);
            if (random.nextInt(3) < 2) {
                m.update(k, u32(step), ANY);
                model.put(id, k);
                values.put(id, step);
            } else if (model.remove(id) != null) {
                values.remove(id);
                m.delete(k);
            } else {
                assertErrno(ENOENT, () -> m.delete(k));
            }
            if (step % 100 == 0) {
                checkAgainstModel(m, model, values, random);
            }
        }
        checkAgainstModel(m, model, values, random);
        // Delete everything: the trie empties completely.
        for (byte[] k : new ArrayList<>(model.values())) {
            m.delete(k);
        }
        assertEquals(Optional.empty(), m.nextKey(null));
    }

    private static void checkAgainstModel(EbpfMap m, Map<String, byte[]> model, Map<String, Integer> values, Random random) {
        List<byte[]> expected = new ArrayList<>(model.values());
        expected.sort(POST_ORDER);
        List<byte[]> actual = iterate(m);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "post-order position " + i);
        }
        for (int probe = 0; probe < 50; probe++) {
            byte[] data = {(byte) random.nextInt(4), (byte) random.nextInt(256)};
            int keyLen = random.nextInt(17);
            byte[] best = null;
            for (byte[] k : model.values()) {
                int len = prefixLen(k);
                if (len <= keyLen && commonBits(k, key(keyLen, data)) >= len && (best == null || len > prefixLen(best))) {
                    best = k;
                }
            }
            int want = best == null ? -1 : values.get(Arrays.toString(best));
            assertEquals(want, value(m, key(keyLen, data)), "lookup of " + Arrays.toString(data) + "/" + keyLen);
        }
    }

    static int prefixLen(byte[] k) {
        return ByteBuffer.wrap(k).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    static int bit(byte[] k, int i) {
        return (k[4 + i / 8] >>> (7 - i % 8)) & 1;
    }

    static int commonBits(byte[] a, byte[] b) {
        int n = 0;
        while (n < 8 * (a.length - 4) && bit(a, n) == bit(b, n)) {
            n++;
        }
        return n;
    }

    static byte[] mask(byte[] data, int prefixLen) {
        for (int i = prefixLen; i < 8 * data.length; i++) {
            data[i / 8] &= (byte) ~(1 << (7 - i % 8));
        }
        return data;
    }

    /** Linux's order: a longer prefix before one containing it; at the first differing bit, 0 first. */
    static final Comparator<byte[]> POST_ORDER = (a, b) -> {
        int la = prefixLen(a);
        int lb = prefixLen(b);
        for (int i = 0; i < Math.min(la, lb); i++) {
            if (bit(a, i) != bit(b, i)) {
                return bit(a, i) - bit(b, i);
            }
        }
        return Integer.compare(lb, la);
    };

    static List<byte[]> iterate(EbpfMap m) {
        List<byte[]> keys = new ArrayList<>();
        for (Optional<byte[]> k = m.nextKey(null); k.isPresent(); k = m.nextKey(k.get())) {
            keys.add(k.get());
            assertTrue(keys.size() <= 100_000, "iteration does not end");
        }
        return keys;
    }

    @Test
    void typeMismatchIsRefused() {
        assertErrno(EINVAL, () -> new LpmTrieMapProvider().create(new MapDefinition("x", 1, 8, 4, 1, 1,
                MapDefinition.Pinning.NONE, null)));
    }

    @Test
    void lockFreeReadersAlwaysFindACoveringPrefixWhileTheTrieChanges() throws Exception {
        EbpfMap m = trie(4, 4, 100_000);
        m.update(ip("10.0.0.0", 8), u32(8), ANY);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.Future<?> writer = pool.submit(() -> {
                Random random = new Random(3);
                List<byte[]> added = new ArrayList<>();
                for (int i = 0; i < 30_000; i++) {
                    if (added.isEmpty() || random.nextInt(3) > 0) {
                        int len = 9 + random.nextInt(24);
                        byte[] k = key(len, mask(new byte[] {10, (byte) random.nextInt(4), (byte) random.nextInt(256),
                                (byte) random.nextInt(256)}, len));
                        m.update(k, u32(len), ANY);
                        added.add(k);
                    } else {
                        byte[] k = added.remove(random.nextInt(added.size()));
                        try {
                            m.delete(k);
                        } catch (org.ebpfosgi.api.map.MapException alreadyGone) {
                            assertEquals(ENOENT, alreadyGone.errno()); // the same prefix was added twice
                        }
                    }
                }
                stop.set(true);
                return null;
            });
            java.util.concurrent.Future<?> reader = pool.submit(() -> {
                Random random = new Random(4);
                while (!stop.get()) {
                    byte[] k = key(32, new byte[] {10, (byte) random.nextInt(4), (byte) random.nextInt(256), (byte) random.nextInt(256)});
                    int v = value(m, k);
                    assertTrue(v >= 8 && v <= 32, "10.0.0.0/8 always covers the address, got " + v);
                }
                return null;
            });
            writer.get(120, java.util.concurrent.TimeUnit.SECONDS);
            reader.get(120, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }
}

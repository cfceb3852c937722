package org.ebpfosgi.benchmarks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.maps.MapProviders;

/**
 * The pre-filled maps and key sets of the map benchmarks. Every map holds {@code entries} entries (a
 * power of two; the LPM table up to that many distinct prefixes) with 8-byte values; the key arrays
 * visit them in a scrambled order (element {@code i * 40503 mod entries}, an odd multiplier, so a
 * permutation).
 *
 * @param lookupKeys keys that are present (LPM: /32 addresses inside some prefix of the table)
 * @param updateKeys keys to replace (LPM: the table's own prefixes)
 */
record MapFixtures(EbpfMap map, byte[][] lookupKeys, byte[][] updateKeys) {
    private static final int HASH = 1, ARRAY = 2, LRU_HASH = 9, LPM_TRIE = 11;
    /** Linux requires BPF_F_NO_PREALLOC for lpm_trie. */
    private static final int F_NO_PREALLOC = 1;
    /** Spreads element numbers over 64 bits, as real keys (ids, addresses) would be. */
    private static final long SPREAD = 0x9E3779B97F4A7C15L;

    /** A map of {@code type} with {@code entries} entries, a power of two so callers wrap an index with a mask. */
    static MapFixtures of(String type, int entries) {
        if (entries < 1 || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("entries " + entries + " is not a power of two");
        }
        return switch (type) {
            case "hash" -> hashLike(MapDefinition.of("bench_hash", HASH, 8, 8, entries));
            case "lru_hash" -> hashLike(MapDefinition.of("bench_lru", LRU_HASH, 8, 8, entries));
            case "array" -> array(entries);
            case "lpm_trie" -> lpm(entries);
            default -> throw new IllegalArgumentException("map type " + type);
        };
    }

    /** The element the i-th of {@code entries} keys visits. */
    static int element(int i, int entries) {
        return (int) ((i * 40503L) & (entries - 1));
    }

    /** Lookup or update keys, one per 8-byte slot (shorter keys zero-padded), as a program's key table. */
    static byte[] keyTable(byte[][] keys) {
        byte[] table = new byte[keys.length * 8];
        for (int i = 0; i < keys.length; i++) {
            System.arraycopy(keys[i], 0, table, i * 8, keys[i].length);
        }
        return table;
    }

    private static MapFixtures hashLike(MapDefinition definition) {
        int n = definition.maxEntries();
        EbpfMap map = MapProviders.create(definition);
        byte[][] keys = new byte[n][];
        for (int e = 0; e < n; e++) {
            map.update(u64(e * SPREAD), u64(e + 1), EbpfMap.ANY);
        }
        for (int i = 0; i < n; i++) {
            keys[i] = u64(element(i, n) * SPREAD);
        }
        return new MapFixtures(map, keys, keys);
    }

    private static MapFixtures array(int n) {
        EbpfMap map = MapProviders.create(MapDefinition.of("bench_array", ARRAY, 4, 8, n));
        byte[][] keys = new byte[n][];
        for (int e = 0; e < n; e++) {
            map.update(u32(e), u64(e + 1), EbpfMap.ANY);
        }
        for (int i = 0; i < n; i++) {
            keys[i] = u32(element(i, n));
        }
        return new MapFixtures(map, keys, keys);
    }

    /**
     * A routing-table-like set of prefixes: lengths 8 to 32, most of them /16 to /24; each lookup
     * address lies inside the prefix of the same element (a longer prefix of the table may match it).
     */
    private static MapFixtures lpm(int n) {
        EbpfMap map = MapProviders.create(new MapDefinition("bench_lpm", LPM_TRIE, 8, 8, n, F_NO_PREALLOC,
                MapDefinition.Pinning.NONE, null));
        int[] lengths = {8, 12, 16, 16, 20, 22, 24, 24, 24, 28, 32};
        Random random = new Random(20261125);
        int[] addresses = new int[n];
        byte[][] prefixes = new byte[n][];
        for (int e = 0; e < n; e++) {
            int length = lengths[random.nextInt(lengths.length)];
            int address = random.nextInt();
            int mask = -1 << (32 - length);
            prefixes[e] = lpmKey(length, address & mask);
            map.update(prefixes[e], u64(e + 1), EbpfMap.ANY);
            addresses[e] = address;
        }
        byte[][] lookups = new byte[n][];
        byte[][] updates = new byte[n][];
        for (int i = 0; i < n; i++) {
            lookups[i] = lpmKey(32, addresses[element(i, n)]);
            updates[i] = prefixes[element(i, n)];
        }
        return new MapFixtures(map, lookups, updates);
    }

    /** {@code struct bpf_lpm_trie_key_u8} for IPv4: prefix length in host order, address in network order. */
    private static byte[] lpmKey(int prefixLength, int address) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(prefixLength)
                .order(ByteOrder.BIG_ENDIAN).putInt(address).array();
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /** The first 8 value bytes as a little-endian u64 (what a program's {@code *(u64 *)(r0 + 0)} reads). */
    static long firstWord(byte[] value) {
        return ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }
}

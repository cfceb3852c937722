package org.ebpfosgi.maps.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.ebpfosgi.api.memory.Region;

/**
 * A chained hash table over byte keys: lock-free lookups, writers serialised on the table's monitor.
 *
 * <p>Every change is one pointer published with release semantics (a new node at a bucket head, a
 * predecessor's {@code next} skipping a removed node, a node standing in for a replaced one), so a
 * concurrent reader sees each chain either before or after the change. Growing builds fresh nodes
 * over the same {@link Entry} objects, so values never move.
 */
final class HashTable {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Node[].class);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_BUCKETS = 1 << 30;

    private final int keySize;
    private final long seed;
    private final int maxBuckets;
    private volatile Node[] table;
    /** Guarded by this. */
    private int size;

    static final class Node {
        final int hash;
        final long k0;
        final Entry entry;
        /** The entry's regions, one dependent load nearer for lookups. */
        final Region region;
        final Region[] cpuRegions;
        volatile Node next;

        Node(int hash, long k0, Entry entry, Node next) {
            this.hash = hash;
            this.k0 = k0;
            this.entry = entry;
            this.region = entry.region;
            this.cpuRegions = entry.cpuRegions;
            this.next = next;
        }
    }

    /** {@code zeroSeed}: BPF_F_ZERO_SEED, a fixed hash seed (reproducible iteration order), else a random one. */
    HashTable(int keySize, long maxEntries, boolean zeroSeed) {
        this.keySize = keySize;
        this.seed = zeroSeed ? 0 : ThreadLocalRandom.current().nextLong();
        // Up to twice max_entries rounded to a power of 2: chains stay short when the map is full.
        long buckets = Long.highestOneBit(Math.max(1, maxEntries - 1)) << 2;
        this.maxBuckets = (int) Math.min(buckets, MAX_BUCKETS);
        this.table = new Node[Math.min(16, maxBuckets)];
    }

    private long k0(byte[] k, int off) {
        return firstWord(k, off, keySize);
    }

    private int hash(byte[] k, int off, long k0) {
        return hash(k, off, k0, keySize, seed);
    }

    /** The first up to 8 bytes of a {@code keySize}-byte key, little-endian, zero-padded: compared before the rest. */
    static long firstWord(byte[] k, int off, int keySize) {
        if (keySize >= 8) {
            return (long) LONG.get(k, off);
        }
        if (keySize == 4) {
            return (int) INT.get(k, off) & 0xFFFF_FFFFL;
        }
        long v = 0;
        for (int i = keySize - 1; i >= 0; i--) {
            v = v << 8 | (k[off + i] & 0xFF);
        }
        return v;
    }

    /** The seeded hash of the key at {@code k[off, off + keySize)} whose first word is {@code k0}. */
    static int hash(byte[] k, int off, long k0, int keySize, long seed) {
        if (keySize <= 8) {
            // Fold the high key bits down, then one multiply: every key bit reaches the bucket index.
            long x = k0 ^ seed;
            long h = (x ^ (x >>> 32)) * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 32) ^ (int) h;
        }
        long h = mix(seed ^ k0);
        int i = 8;
        for (; i + 8 <= keySize; i += 8) {
            h = mix(h ^ (long) LONG.get(k, off + i));
        }
        if (i < keySize) {
            long tail = 0;
            for (int j = keySize - 1; j >= i; j--) {
                tail = tail << 8 | (k[off + j] & 0xFF);
            }
            h = mix(h ^ tail);
        }
        return (int) (h ^ (h >>> 32));
    }

    /** MurmurHash3's 64-bit finaliser: every input bit reaches every output bit. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    private boolean matches(Node n, int h, long k0, byte[] k, int off) {
        return n.hash == h && n.k0 == k0
                && (keySize <= 8 || Arrays.equals(n.entry.key, 8, keySize, k, off + 8, off + keySize));
    }

    /** The entry of the key at {@code k[off, off + keySize)}, or null. Lock-free. */
    Entry get(byte[] k, int off) {
        Node n = node(k, off);
        return n == null ? null : n.entry;
    }

    /** The node of the key at {@code k[off, off + keySize)}, or null. Lock-free. */
    Node node(byte[] k, int off) {
        long k0 = k0(k, off);
        int h = hash(k, off, k0);
        Node[] t = table;
        for (Node n = (Node) SLOT.getAcquire(t, h & (t.length - 1)); n != null; n = n.next) {
            if (matches(n, h, k0, k, off)) {
                return n;
            }
        }
        return null;
    }

    /** Guarded by this. */
    int size() {
        return size;
    }

    /** Adds an entry whose key is absent. Caller holds this. */
    void insertLocked(Entry e) {
        long k0 = k0(e.key, 0);
        int h = hash(e.key, 0, k0);
        Node[] t = table;
        int i = h & (t.length - 1);
        SLOT.setRelease(t, i, new Node(h, k0, e, (Node) SLOT.getAcquire(t, i)));
        size++;
        if (size > t.length - (t.length >>> 2) && t.length < maxBuckets) {
            grow(t);
        }
    }

    /** Puts {@code e} where the entry with the same key is. Caller holds this; the key is present. */
    void replaceLocked(Entry old, Entry e) {
        long k0 = k0(e.key, 0);
        int h = hash(e.key, 0, k0);
        Node[] t = table;
        int i = h & (t.length - 1);
        Node prev = null;
        for (Node n = (Node) SLOT.getAcquire(t, i); n != null; prev = n, n = n.next) {
            if (n.entry == old) {
                Node fresh = new Node(h, k0, e, n.next);
                if (prev == null) {
                    SLOT.setRelease(t, i, fresh);
                } else {
                    prev.next = fresh;
                }
                return;
            }
        }
        throw new IllegalStateException("entry to replace is not in the table");
    }

    /** Unlinks the key's entry and returns it, or null. Caller holds this. */
    Entry removeLocked(byte[] k, int off) {
        long k0 = k0(k, off);
        int h = hash(k, off, k0);
        Node[] t = table;
        int i = h & (t.length - 1);
        Node prev = null;
        for (Node n = (Node) SLOT.getAcquire(t, i); n != null; prev = n, n = n.next) {
            if (matches(n, h, k0, k, off)) {
                if (prev == null) {
                    SLOT.setRelease(t, i, n.next);
                } else {
                    prev.next = n.next;
                }
                size--;
                return n.entry;
            }
        }
        return null;
    }

    /** Empties the table. Caller holds this. */
    void clearLocked() {
        table = new Node[Math.min(16, maxBuckets)];
        size = 0;
    }

    private void grow(Node[] old) {
        Node[] t = new Node[old.length * 2];
        for (Node head : old) {
            for (Node n = head; n != null; n = n.next) {
                int i = n.hash & (t.length - 1);
                t[i] = new Node(n.hash, n.k0, n.entry, t[i]);
            }
        }
        table = t; // volatile write publishes the whole new table
    }

    /**
     * Get-next-key as Linux's hash maps do it: the key after {@code key} in bucket order; the first key
     * if {@code key} is null or absent; null after the last. Returns a copy.
     */
    byte[] nextKey(byte[] key) {
        Node[] t = table;
        int start = 0;
        if (key != null) {
            long k0 = k0(key, 0);
            int h = hash(key, 0, k0);
            int i = h & (t.length - 1);
            for (Node n = (Node) SLOT.getAcquire(t, i); n != null; n = n.next) {
                if (matches(n, h, k0, key, 0)) {
                    Node next = n.next;
                    if (next != null) {
                        return next.entry.key.clone();
                    }
                    start = i + 1;
                    break;
                }
            }
        }
        for (int i = start; i < t.length; i++) {
            Node n = (Node) SLOT.getAcquire(t, i);
            if (n != null) {
                return n.entry.key.clone();
            }
        }
        return null;
    }
}

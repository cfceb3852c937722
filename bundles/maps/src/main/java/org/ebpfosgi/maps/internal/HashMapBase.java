package org.ebpfosgi.maps.internal;

import static org.ebpfosgi.api.map.MapException.E2BIG;
import static org.ebpfosgi.api.map.MapException.EINVAL;
import static org.ebpfosgi.api.map.MapException.ENOTSUP;
import static org.ebpfosgi.maps.internal.MapTypes.F_NO_COMMON_LRU;
import static org.ebpfosgi.maps.internal.MapTypes.F_NO_PREALLOC;
import static org.ebpfosgi.maps.internal.MapTypes.F_NUMA_NODE;
import static org.ebpfosgi.maps.internal.MapTypes.F_ZERO_SEED;
import static org.ebpfosgi.maps.internal.MapTypes.KMALLOC_MAX_SIZE;
import static org.ebpfosgi.maps.internal.MapTypes.MAX_BPF_STACK;
import static org.ebpfosgi.maps.internal.MapTypes.PCPU_MIN_UNIT_SIZE;

import java.util.Optional;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.memory.Region;

/**
 * Linux's hash maps ({@code hash}, {@code lru_hash} and their per-CPU kinds): a {@link HashTable} of
 * entries, each value in its own byte array with its region made once, so a lookup allocates nothing.
 * An update of an existing key replaces the entry (as Linux does: a reader sees the old value or the
 * new one, never a mix), except per-CPU values, which Linux also updates in place.
 *
 * <p>LRU maps never fail an insert for lack of room: they evict the least recently used entry. Uses
 * are program lookups and updates (Linux does not count a syscall lookup as a use, nor do we).
 * {@code BPF_F_NO_COMMON_LRU} is accepted; the order is the same single LRU either way.
 */
abstract class HashMapBase extends BaseMap {
    final HashTable table;
    final boolean lru;
    private final LruHeap heap;
    /** LRU clock: advanced on every use that changes which entry is most recent. Racy by design. */
    private long clock;

    HashMapBase(MapDefinition definition, boolean lru) {
        super(definition);
        this.lru = lru;
        this.table = new HashTable(keySize, maxEntries, (definition.flags() & F_ZERO_SEED) != 0);
        this.heap = lru ? new LruHeap() : null;
    }

    /** Linux's {@code htab_map_alloc_check}. */
    static void validate(MapDefinition d, boolean percpu, boolean lru) {
        int flags = d.flags();
        Definitions.checkFlags(d, F_NO_PREALLOC | F_NO_COMMON_LRU | F_NUMA_NODE | Definitions.accessFlags() | F_ZERO_SEED);
        if (!lru && (flags & F_NO_COMMON_LRU) != 0) {
            throw Definitions.invalid(d, "BPF_F_NO_COMMON_LRU is for LRU maps");
        }
        if (lru && (flags & F_NO_PREALLOC) != 0) {
            throw new org.ebpfosgi.api.map.MapException(ENOTSUP,
                    "map '" + d.name() + "' (" + d + "): LRU maps are always preallocated (BPF_F_NO_PREALLOC)");
        }
        if ((flags & F_NUMA_NODE) != 0 && (percpu || (flags & F_NO_COMMON_LRU) != 0)) {
            throw Definitions.invalid(d, "BPF_F_NUMA_NODE does not apply to per-CPU maps");
        }
        if (d.maxEntries() == 0 || d.keySize() == 0 || d.valueSize() == 0) {
            throw Definitions.invalid(d, "max_entries, key_size and value_size must be non-zero");
        }
        if (Definitions.unsigned(d.keySize()) > MAX_BPF_STACK) {
            throw Definitions.tooBig(d, "key_size above " + MAX_BPF_STACK + " (keys live on the program stack)");
        }
        long valueSize = Definitions.unsigned(d.valueSize());
        if (valueSize >= KMALLOC_MAX_SIZE - MAX_BPF_STACK - 48) {
            throw Definitions.tooBig(d, "value_size too large for one element");
        }
        if (percpu && ((valueSize + 7) & ~7L) > PCPU_MIN_UNIT_SIZE) {
            throw Definitions.tooBig(d, "per-CPU value_size above " + PCPU_MIN_UNIT_SIZE);
        }
    }

    /** The region a program gets for the node's entry. */
    abstract Region programRegion(HashTable.Node n);

    /** A new entry holding {@code value} (a checked length) under an owned copy of the key. */
    abstract Entry newEntry(byte[] key, byte[] value);

    /** Updates {@code e} in place if this map does so (per-CPU); false to replace it. */
    abstract boolean updateInPlace(Entry e, byte[] value);

    /** Checks the length of a value given to update. */
    abstract void checkUpdateValue(byte[] value);

    @Override
    public final Region lookupRegion(byte[] key) {
        checkKey(key);
        return lookupRegionChecked(key, 0);
    }

    @Override
    public final Region lookupRegion(byte[] keyArray, int keyOffset) {
        checkKeyAt(keyArray, keyOffset);
        return lookupRegionChecked(keyArray, keyOffset);
    }

    final Region lookupRegionChecked(byte[] k, int off) {
        HashTable.Node n = table.node(k, off);
        if (n == null) {
            return null;
        }
        if (lru) {
            touch(n.entry);
        }
        return programRegion(n);
    }

    /** Marks a use. A hot entry that is already the most recent costs no write. */
    final void touch(Entry e) {
        long c = clock;
        if (e.used != c) {
            c++;
            clock = c;
            e.used = c;
        }
    }

    @Override
    public final Optional<byte[]> lookup(byte[] key) {
        ensureOpen();
        checkKey(key);
        Entry e = table.get(key, 0);
        return e == null ? Optional.empty() : Optional.of(e.bytes.clone());
    }

    @Override
    public final void update(byte[] key, byte[] value, long flags) {
        ensureOpen();
        checkKey(key);
        checkUpdateFlags(flags);
        checkUpdateValue(value);
        synchronized (table) {
            Entry old = table.get(key, 0);
            checkExistence(old != null, flags);
            if (old != null && updateInPlace(old, value)) {
                if (lru) {
                    touch(old);
                }
                return;
            }
            Entry e = newEntry(key.clone(), value);
            if (lru) {
                e.used = ++clock;
            }
            if (old != null) {
                table.replaceLocked(old, e);
                if (lru) {
                    heap.replace(old, e);
                }
                return;
            }
            if (table.size() >= maxEntries) {
                if (!lru) {
                    throw error(E2BIG, "full (max_entries " + maxEntries + ")");
                }
                Entry victim = heap.leastRecentlyUsed();
                heap.remove(victim);
                table.removeLocked(victim.key, 0);
            }
            table.insertLocked(e);
            if (lru) {
                heap.add(e);
            }
        }
    }

    @Override
    public final void delete(byte[] key) {
        synchronized (table) {
            Entry e = deleteFromTable(table, key);
            if (lru) {
                heap.remove(e);
            }
        }
    }

    @Override
    public final Optional<byte[]> nextKey(byte[] key) {
        return nextKeyInTable(table, key);
    }

    @Override
    public final void close() {
        synchronized (table) {
            closeTable(table);
            if (lru) {
                heap.clear();
            }
        }
    }

    static MapDefinition checkType(MapDefinition d, int type) {
        Definitions.expectType(d, type);
        return d;
    }

    final void requireLength(byte[] value, int... allowed) {
        if (value != null) {
            for (int a : allowed) {
                if (value.length == a) {
                    return;
                }
            }
        }
        throw error(EINVAL, "value of " + (value == null ? "null" : value.length + " bytes") + ", expected "
                + (allowed.length == 1 ? allowed[0] : allowed[0] + " (one CPU) or " + allowed[1] + " (all CPUs)"));
    }
}

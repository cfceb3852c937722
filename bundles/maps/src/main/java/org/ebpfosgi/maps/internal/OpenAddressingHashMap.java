package org.ebpfosgi.maps.internal;

import static org.ebpfosgi.api.map.MapException.E2BIG;
import static org.ebpfosgi.api.map.MapException.ENOENT;
import static org.ebpfosgi.api.map.MapException.ENOMEM;
import static org.ebpfosgi.maps.internal.MapTypes.F_RDONLY_PROG;
import static org.ebpfosgi.maps.internal.MapTypes.F_ZERO_SEED;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.memory.Region;

/**
 * Linux's {@code hash} map (type 1) as one open-addressing table of value regions: each element is one
 * byte array holding its key, then (8-byte aligned) its value, and the region a program gets is the
 * value's window of that array. A lookup reads one table slot, then the region and its array, which
 * the program touches next anyway, so a large map costs one cache miss fewer than a chained table
 * (no node between slot and region) and nothing is allocated.
 *
 * <p>Lookups are lock-free; writers are serialised on the table's lock. Every change is one slot
 * written with release semantics: an update of an existing key puts the new element's region where
 * the old one was (a reader sees the old value or the new, never a mix, as in Linux), a delete leaves
 * a marker that probes go past. Growing copies the regions into a fresh table published by a volatile
 * write; regions and their arrays never move or change key, so a region a program holds stays a valid
 * window of its element's value after a replace or a delete.
 */
public final class OpenAddressingHashMap extends BaseMap {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Region[].class);
    private static final int MIN_SLOTS = 16;
    private static final int MAX_SLOTS = 1 << 30;
    /** A deleted slot: not the end of a probe sequence, never anybody's element. */
    private static final Region DELETED = Region.of(Region.Kind.MAP_VALUE, "deleted", new byte[0]);

    /** Where the value starts in an element's array: the key rounded up to 8, so atomics on values align. */
    private final int valueOffset;
    private final long seed;
    /** Enough slots to keep a full map at most a quarter occupied: eight times max_entries rounded down to a power of 2. */
    private final int maxSlots;
    private final boolean readOnlyForPrograms;
    private final Object lock = new Object();
    private volatile Region[] slots = new Region[MIN_SLOTS];
    /** Guarded by lock: live elements and deleted markers in {@link #slots}. */
    private int size;
    private int deleted;

    private OpenAddressingHashMap(MapDefinition d) {
        super(d);
        this.valueOffset = Definitions.roundUp8(keySize);
        this.seed = (d.flags() & F_ZERO_SEED) != 0 ? 0 : ThreadLocalRandom.current().nextLong();
        long wanted = Long.highestOneBit(Math.max(1, maxEntries - 1)) << 3;
        this.maxSlots = (int) Math.max(MIN_SLOTS, Math.min(wanted, MAX_SLOTS));
        this.readOnlyForPrograms = (d.flags() & F_RDONLY_PROG) != 0;
    }

    public static OpenAddressingHashMap create(MapDefinition d) {
        Definitions.expectType(d, MapTypes.HASH);
        HashMapBase.validate(d, false, false);
        return new OpenAddressingHashMap(d);
    }

    @Override
    public Region lookupRegion(byte[] key) {
        checkKey(key);
        return find(slots, key, 0);
    }

    @Override
    public Region lookupRegion(byte[] keyArray, int keyOffset) {
        checkKeyAt(keyArray, keyOffset);
        return find(slots, keyArray, keyOffset);
    }

    /**
     * The region of the key at {@code k[off, off + keySize)} in {@code t}, or null. Lock-free: ends at an
     * empty slot, which writers always leave (see {@link #usable}); the answer is the key's slot as read,
     * so a concurrent change yields the element before or after it, never another key's.
     */
    private Region find(Region[] t, byte[] k, int off) {
        long k0 = HashTable.firstWord(k, off, keySize);
        int mask = t.length - 1;
        for (int i = HashTable.hash(k, off, k0, keySize, seed) & mask; ; i = (i + 1) & mask) {
            Region r = (Region) SLOT.getAcquire(t, i);
            if (r == null) {
                return null;
            }
            if (r != DELETED && holdsKey(r.bytes(), k0, k, off)) {
                return r;
            }
        }
    }

    /**
     * The slot of {@code t} holding the key, or -1: for writers, which hold lock so it stays so, and for
     * get-next-key, where a concurrent change only moves the position iteration goes on from.
     */
    private int slotOf(Region[] t, byte[] k, int off) {
        long k0 = HashTable.firstWord(k, off, keySize);
        int mask = t.length - 1;
        for (int i = HashTable.hash(k, off, k0, keySize, seed) & mask; ; i = (i + 1) & mask) {
            Region r = (Region) SLOT.getAcquire(t, i);
            if (r == null) {
                return -1;
            }
            if (r != DELETED && holdsKey(r.bytes(), k0, k, off)) {
                return i;
            }
        }
    }

    private boolean holdsKey(byte[] element, long k0, byte[] k, int off) {
        return HashTable.firstWord(element, 0, keySize) == k0
                && (keySize <= 8 || Arrays.equals(element, 8, keySize, k, off + 8, off + keySize));
    }

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        ensureOpen();
        checkKey(key);
        Region r = find(slots, key, 0);
        return r == null ? Optional.empty() : Optional.of(Arrays.copyOfRange(r.bytes(), valueOffset, valueOffset + valueSize));
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        ensureOpen();
        checkKey(key);
        checkUpdateFlags(flags);
        checkValue(value);
        synchronized (lock) {
            Region[] t = slots;
            int i = slotOf(t, key, 0);
            checkExistence(i >= 0, flags);
            if (i < 0 && size >= maxEntries) {
                throw error(E2BIG, "full (max_entries " + maxEntries + ")");
            }
            byte[] element = new byte[valueOffset + valueSize];
            System.arraycopy(key, 0, element, 0, keySize);
            System.arraycopy(value, 0, element, valueOffset, valueSize);
            Region fresh = Region.of(Region.Kind.MAP_VALUE, name, element, valueOffset, valueSize, !readOnlyForPrograms);
            if (i >= 0) {
                SLOT.setRelease(t, i, fresh);
                return;
            }
            if (size + deleted + 1 > usable(t.length)) {
                t = rebuild(size + 1);
            }
            insert(t, fresh);
            size++;
        }
    }

    /** Puts an element whose key is absent into the first free or deleted slot of its probe sequence. Caller holds lock. */
    private void insert(Region[] t, Region element) {
        byte[] k = element.bytes();
        int mask = t.length - 1;
        int i = HashTable.hash(k, 0, HashTable.firstWord(k, 0, keySize), keySize, seed) & mask;
        Region r;
        while ((r = t[i]) != null && r != DELETED) {
            i = (i + 1) & mask;
        }
        if (r == DELETED) {
            deleted--;
        }
        SLOT.setRelease(t, i, element);
    }

    /**
     * How many slots of a table of {@code length} may hold elements or deleted markers: a quarter, so
     * probe sequences stay about one slot long; three quarters once the table cannot grow (only maps
     * of more than 2^28 elements get there). The rest stays empty, which ends every probe sequence.
     */
    private int usable(int length) {
        return length < maxSlots ? length / 4 : length / 4 * 3;
    }

    /**
     * A fresh table for {@code live} elements without deleted markers, doubled as often as needed to
     * keep them {@link #usable}. Caller holds lock.
     */
    private Region[] rebuild(int live) {
        Region[] old = slots;
        int length = old.length;
        while (live > usable(length) && length < maxSlots) {
            length *= 2;
        }
        if (live > usable(length)) {
            throw error(ENOMEM, "more than " + usable(length) + " elements do not fit one table");
        }
        Region[] t = new Region[length];
        int mask = length - 1;
        for (Region r : old) {
            if (r != null && r != DELETED) {
                byte[] k = r.bytes();
                int i = HashTable.hash(k, 0, HashTable.firstWord(k, 0, keySize), keySize, seed) & mask;
                while (t[i] != null) {
                    i = (i + 1) & mask;
                }
                t[i] = r;
            }
        }
        deleted = 0;
        slots = t; // the volatile write publishes the whole table
        return t;
    }

    @Override
    public void delete(byte[] key) {
        ensureOpen();
        checkKey(key);
        synchronized (lock) {
            Region[] t = slots;
            int i = slotOf(t, key, 0);
            if (i < 0) {
                throw error(ENOENT, "no such key");
            }
            // The slot stays in use (as a marker) until an insert reuses it or a rebuild drops it.
            SLOT.setRelease(t, i, DELETED);
            size--;
            deleted++;
        }
    }

    /**
     * Get-next-key in table order, as Linux's hash maps do it in bucket order: the key after {@code key};
     * the first key if {@code key} is null or absent; empty after the last.
     */
    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        ensureOpen();
        Region[] t = slots;
        int start = 0;
        if (key != null) {
            checkKey(key);
            int i = slotOf(t, key, 0);
            start = i < 0 ? 0 : i + 1;
        }
        for (int i = start; i < t.length; i++) {
            Region r = (Region) SLOT.getAcquire(t, i);
            if (r != null && r != DELETED) {
                return Optional.of(Arrays.copyOf(r.bytes(), keySize));
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        super.close();
        synchronized (lock) {
            slots = new Region[MIN_SLOTS];
            size = 0;
            deleted = 0;
        }
    }
}

package org.ebpfosgi.maps.internal;

import static org.ebpfosgi.api.map.MapException.E2BIG;
import static org.ebpfosgi.api.map.MapException.EEXIST;
import static org.ebpfosgi.api.map.MapException.EINVAL;
import static org.ebpfosgi.api.map.MapException.ENOMEM;
import static org.ebpfosgi.maps.internal.MapTypes.F_INNER_MAP;
import static org.ebpfosgi.maps.internal.MapTypes.F_MMAPABLE;
import static org.ebpfosgi.maps.internal.MapTypes.F_NUMA_NODE;
import static org.ebpfosgi.maps.internal.MapTypes.F_PRESERVE_ELEMS;
import static org.ebpfosgi.maps.internal.MapTypes.F_RDONLY_PROG;
import static org.ebpfosgi.maps.internal.MapTypes.KMALLOC_MAX_SIZE;
import static org.ebpfosgi.maps.internal.MapTypes.PCPU_MIN_UNIT_SIZE;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.memory.Region;

/**
 * Linux's array maps: every element preallocated in one byte array (a slab), each slot 8-byte
 * aligned as Linux lays them out ({@code round_up(value_size, 8)}), so atomics on values work.
 * Regions over slots are made on first lookup and cached in lazily created chunks, so a lookup
 * allocates nothing after the first and a huge, sparsely used array costs little beyond its slab.
 */
abstract class ArrayMapBase extends BaseMap {
    static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int CHUNK_BITS = 10;

    final byte[] slab;
    /** Bytes per element in the slab (all CPUs for per-CPU arrays). */
    final int elementSize;
    /** Regions per element (CPUs for per-CPU arrays). */
    private final int regionsPerElement;
    private final Region[][] chunks;
    private final boolean readOnlyForPrograms;

    ArrayMapBase(MapDefinition d, int elementSize, int regionsPerElement) {
        super(d);
        this.elementSize = elementSize;
        this.regionsPerElement = regionsPerElement;
        long bytes = maxEntries * elementSize;
        // A Java array holds at most about 2 GiB; Linux would fail the allocation with ENOMEM too.
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new org.ebpfosgi.api.map.MapException(ENOMEM, "map '" + d.name() + "' (" + d + "): "
                    + bytes + " bytes of elements exceed what one array can hold");
        }
        try {
            this.slab = new byte[(int) bytes];
            long regions = maxEntries * regionsPerElement;
            this.chunks = new Region[(int) ((regions + (1 << CHUNK_BITS) - 1) >>> CHUNK_BITS)][];
        } catch (OutOfMemoryError e) {
            throw new org.ebpfosgi.api.map.MapException(ENOMEM, "map '" + d.name() + "': no memory for " + bytes + " bytes");
        }
        this.readOnlyForPrograms = (d.flags() & F_RDONLY_PROG) != 0;
    }

    /** Linux's {@code array_map_alloc_check}. */
    static void validate(MapDefinition d, boolean percpu) {
        if (d.maxEntries() == 0 || d.keySize() != 4 || d.valueSize() == 0) {
            throw Definitions.invalid(d, "array maps need max_entries > 0, key_size 4 and value_size > 0");
        }
        Definitions.checkFlags(d, F_NUMA_NODE | F_MMAPABLE | Definitions.accessFlags() | F_PRESERVE_ELEMS | F_INNER_MAP);
        if (d.type() != MapTypes.ARRAY && (d.flags() & (F_MMAPABLE | F_INNER_MAP)) != 0) {
            throw Definitions.invalid(d, "BPF_F_MMAPABLE and BPF_F_INNER_MAP are for plain arrays");
        }
        if ((d.flags() & F_PRESERVE_ELEMS) != 0) {
            throw Definitions.invalid(d, "BPF_F_PRESERVE_ELEMS is for perf event arrays");
        }
        if (percpu && (d.flags() & F_NUMA_NODE) != 0) {
            throw Definitions.invalid(d, "BPF_F_NUMA_NODE does not apply to per-CPU maps");
        }
        long valueSize = Definitions.unsigned(d.valueSize());
        if (percpu ? ((valueSize + 7) & ~7L) > PCPU_MIN_UNIT_SIZE : valueSize > KMALLOC_MAX_SIZE) {
            throw Definitions.tooBig(d, "value_size too large");
        }
    }

    /** The element index a key names, or -1 if out of range. */
    final long index(byte[] k, int off) {
        long i = (int) INT.get(k, off) & 0xFFFF_FFFFL;
        return i < maxEntries ? i : -1;
    }

    /** The region of sub-value {@code sub} (the CPU) of element {@code index}. */
    final Region region(long index, int sub) {
        int n = (int) (index * regionsPerElement + sub);
        Region[] chunk = chunks[n >>> CHUNK_BITS];
        if (chunk != null) {
            Region r = chunk[n & ((1 << CHUNK_BITS) - 1)];
            if (r != null) {
                return r;
            }
        }
        return makeRegion(index, sub, n);
    }

    /** Races only make an equal, interchangeable region twice: both alias the same slot. */
    private Region makeRegion(long index, int sub, int n) {
        Region[] chunk = chunks[n >>> CHUNK_BITS];
        if (chunk == null) {
            chunk = new Region[1 << CHUNK_BITS];
            chunks[n >>> CHUNK_BITS] = chunk;
        }
        int base = (int) (index * elementSize) + sub * Definitions.roundUp8(valueSize);
        Region r = Region.of(Region.Kind.MAP_VALUE, name, slab, base, valueSize, !readOnlyForPrograms);
        chunk[n & ((1 << CHUNK_BITS) - 1)] = r;
        return r;
    }

    /** The slot a program addresses for {@code index}. */
    abstract Region programRegion(long index);

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

    private Region lookupRegionChecked(byte[] k, int off) {
        long i = index(k, off);
        return i < 0 || isClosed() ? null : programRegion(i);
    }

    /** What a syscall lookup copies out of element {@code index}. */
    abstract byte[] copyOut(long index);

    /** Copies a checked value into element {@code index}. */
    abstract void copyIn(long index, byte[] value);

    abstract void checkUpdateValue(byte[] value);

    @Override
    public final Optional<byte[]> lookup(byte[] key) {
        ensureOpen();
        checkKey(key);
        long i = index(key, 0);
        return i < 0 ? Optional.empty() : Optional.of(copyOut(i));
    }

    @Override
    public final void update(byte[] key, byte[] value, long flags) {
        ensureOpen();
        checkKey(key);
        checkUpdateFlags(flags);
        checkUpdateValue(value);
        long i = index(key, 0);
        if (i < 0) {
            throw error(E2BIG, "index " + Integer.toUnsignedString((int) INT.get(key, 0)) + " >= max_entries " + maxEntries);
        }
        if (flags == NOEXIST) {
            throw error(EEXIST, "array elements always exist (BPF_NOEXIST)");
        }
        copyIn(i, value);
    }

    @Override
    public final void delete(byte[] key) {
        ensureOpen();
        checkKey(key);
        throw error(EINVAL, "array elements cannot be deleted");
    }

    @Override
    public final Optional<byte[]> nextKey(byte[] key) {
        ensureOpen();
        if (key != null) {
            checkKey(key);
        }
        return Keys.arrayNextKey(key, maxEntries);
    }

    final byte[] copyRange(long index, int length) {
        int from = (int) (index * elementSize);
        return Arrays.copyOfRange(slab, from, from + length);
    }
}

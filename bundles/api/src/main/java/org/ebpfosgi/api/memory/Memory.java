package org.ebpfosgi.api.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The address space of one program run: a table of entries addressed by tagged pointers.
 *
 * <p>A pointer is {@code (tag << 32) + offset}: the high 32 bits name an entry of this table, the
 * low 32 bits are an unsigned offset into it. Tag 0 is never an entry, so small numbers (and NULL)
 * are never valid addresses. Entries are {@link Region}s (readable and writable memory) or opaque
 * handles (maps, programs) that helpers resolve with {@link #handle(long, Class)}. Every access is
 * checked against its region, so a program can at worst fail its own run with a
 * {@link MemoryAccessException}; it can never touch memory it was not given.
 *
 * <p>Entries added before {@link #markPersistent()} (maps and global data of the program) survive
 * {@link #reset()}; the rest (stack, context, packet, map values returned by helpers) last one run.
 * Mapping a region (or handle) that this run already mapped usually returns the address it already
 * has (as Linux returns the same pointer for the same element), so a program looking up the same
 * values over and over neither grows the table nor runs into {@link #MAX_ENTRIES}.
 * Not thread-safe: engines keep one instance per thread and program.
 */
public final class Memory {
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** At most this many entries per run: a program looping over lookups cannot exhaust the heap. */
    public static final int MAX_ENTRIES = 1 << 20;
    /** Slots of the table of recently mapped regions (a power of 2). */
    private static final int RECENT_SLOTS = 128;

    /** Never shrinks; null at every index from {@code count} on. */
    private Object[] entries = new Object[16];
    private int count = 1;
    private int persistent = 1;
    /** Context fields whose loads yield a pointer (xdp_md.data and friends): region tag, offset, value. */
    private long[] pointerFields = new long[0];
    private int pointerFieldCount;
    /**
     * Tags of recently mapped regions, by {@code Region.mapSlotHint()}: a direct-mapped cache that checks
     * itself ({@code entries[tag] == region}), so reset() need not clear it and a stale slot just misses.
     */
    private final int[] recentTags = new int[RECENT_SLOTS];

    /**
     * Adds a region for the current run (or for good, before {@link #markPersistent()}) and returns its
     * address, or the address it already has if it was mapped recently (in this run or for good).
     */
    public long map(Region region) {
        return addOrReuse(region, region.mapSlotHint());
    }

    /**
     * Adds an opaque handle (a map, a program) and returns the value a program holds for it; a handle
     * mapped recently keeps its value, as for regions.
     */
    public long mapHandle(Object handle) {
        if (handle instanceof Region) {
            throw new IllegalArgumentException("a region is not a handle");
        }
        // A null handle stays a value that resolves to nothing (the reuse test would take it for tag 0).
        return handle == null ? add(null) : addOrReuse(handle, System.identityHashCode(handle));
    }

    private long addOrReuse(Object entry, int hint) {
        int slot = hint & (RECENT_SLOTS - 1);
        int tag = recentTags[slot];
        // Entries at and above count are always null (reset() clears them) and tag 0 is never used, so
        // one identity test rejects stale and unused slots alike, with no data-dependent branch on count.
        if (entries[tag] == entry) {
            return (long) tag << 32;
        }
        long address = add(entry);
        recentTags[slot] = (int) (address >>> 32);
        return address;
    }

    private long add(Object entry) {
        if (count == entries.length) {
            if (count >= MAX_ENTRIES) {
                throw new MemoryAccessException("too many memory regions in one run (" + MAX_ENTRIES + ")", 0, 0);
            }
            entries = Arrays.copyOf(entries, count * 2);
        }
        entries[count] = entry;
        return (long) count++ << 32;
    }

    /** Entries added so far survive {@link #reset()}. */
    public void markPersistent() {
        persistent = count;
    }

    /** Drops everything the last run added (stack, context, packet, looked-up values). */
    public void reset() {
        Arrays.fill(entries, persistent, count, null);
        count = persistent;
        pointerFieldCount = 0;
    }

    /**
     * Makes loads of {@code size <= 8} bytes at {@code fieldAddress} yield {@code pointer}, the way the
     * kernel rewrites loads of {@code xdp_md.data}: the context stores 32-bit fields, the program gets
     * a full pointer.
     */
    public void setPointerField(long fieldAddress, long pointer) {
        region(fieldAddress, 4, false);
        for (int i = 0; i < pointerFieldCount; i += 2) {
            if (pointerFields[i] == fieldAddress) {
                pointerFields[i + 1] = pointer;
                return;
            }
        }
        if (pointerFieldCount == pointerFields.length) {
            pointerFields = Arrays.copyOf(pointerFields, Math.max(8, pointerFields.length * 2));
        }
        pointerFields[pointerFieldCount++] = fieldAddress;
        pointerFields[pointerFieldCount++] = pointer;
    }

    /** The entry an address points into, or null. */
    public Object entry(long address) {
        int tag = (int) (address >>> 32);
        return tag > 0 && tag < count ? entries[tag] : null;
    }

    /** The handle of type {@code type} that {@code value} stands for; fails the run otherwise. */
    public <T> T handle(long value, Class<T> type) {
        Object entry = entry(value);
        if (!type.isInstance(entry) || (int) value != 0) {
            throw notA(value, type);
        }
        return type.cast(entry);
    }

    /** The region {@code [address, address + size)} lies in; fails the run if none or if it crosses the end. */
    public Region region(long address, int size, boolean write) {
        int tag = (int) (address >>> 32);
        Object entry = tag > 0 && tag < count ? entries[tag] : null;
        if (!(entry instanceof Region)) {
            throw notMemory(address, size, write);
        }
        Region r = (Region) entry;
        long offset = address & 0xFFFF_FFFFL;
        if (offset + size > r.length() || size < 0 || write && !r.writable()) {
            throw refused(r, address, size, write);
        }
        return r;
    }

    // The failures are built out of line: region() and handle() sit on every helper's path, and small
    // bytecode lets HotSpot inline them (and the helpers calling them) into compiled programs.

    private static MemoryAccessException notA(long value, Class<?> type) {
        return new MemoryAccessException("0x" + Long.toHexString(value) + " is not a " + type.getSimpleName(), value, 0);
    }

    private static MemoryAccessException notMemory(long address, int size, boolean write) {
        return new MemoryAccessException(describe(address, size, write) + ": not a pointer to memory", address, size);
    }

    private static MemoryAccessException refused(Region r, long address, int size, boolean write) {
        long offset = address & 0xFFFF_FFFFL;
        if (offset + size > r.length() || size < 0) {
            return new MemoryAccessException(describe(address, size, write) + ": outside " + r + " at offset " + offset, address, size);
        }
        return new MemoryAccessException(describe(address, size, write) + ": " + r + " is read-only", address, size);
    }

    /** The index into {@code region(address).bytes()} where the checked access starts. */
    public int index(long address, int size, boolean write) {
        return region(address, size, write).base() + (int) address;
    }

    private static String describe(long address, int size, boolean write) {
        return (write ? "write" : "read") + " of " + size + " bytes at 0x" + Long.toHexString(address);
    }

    /** Loads 1, 2, 4 or 8 bytes, zero-extended. */
    public long load(long address, int size) {
        Region r = region(address, size, false);
        if (pointerFieldCount != 0 && r.kind() == Region.Kind.CONTEXT) {
            for (int i = 0; i < pointerFieldCount; i += 2) {
                if (pointerFields[i] == address) {
                    return pointerFields[i + 1];
                }
            }
        }
        byte[] b = r.bytes();
        int i = r.base() + (int) address;
        switch (size) {
            case 1: return b[i] & 0xFFL;
            case 2: return (short) I16.get(b, i) & 0xFFFFL;
            case 4: return (int) I32.get(b, i) & 0xFFFF_FFFFL;
            case 8: return (long) I64.get(b, i);
            default: throw new IllegalArgumentException("size " + size);
        }
    }

    /** Stores the low 1, 2, 4 or 8 bytes of {@code value}. */
    public void store(long address, int size, long value) {
        Region r = region(address, size, true);
        byte[] b = r.bytes();
        int i = r.base() + (int) address;
        switch (size) {
            case 1: b[i] = (byte) value; break;
            case 2: I16.set(b, i, (short) value); break;
            case 4: I32.set(b, i, (int) value); break;
            case 8: I64.set(b, i, value); break;
            default: throw new IllegalArgumentException("size " + size);
        }
    }

    /** Copies {@code length} bytes out of program memory. */
    public byte[] read(long address, int length) {
        int i = index(address, length, false);
        return Arrays.copyOfRange(region(address, length, false).bytes(), i, i + length);
    }

    /** Copies {@code src} into program memory. */
    public void write(long address, byte[] src, int srcOffset, int length) {
        Region r = region(address, length, true);
        System.arraycopy(src, srcOffset, r.bytes(), r.base() + (int) address, length);
    }

    /** Atomic read-modify-write on 4 or 8 bytes; see {@link AtomicOp}. Returns the old value. */
    public long atomic(AtomicOp op, long address, int size, long operand, long expected) {
        if (size != 4 && size != 8) {
            throw new IllegalArgumentException("atomic size " + size);
        }
        Region r = region(address, size, true);
        byte[] b = r.bytes();
        int i = r.base() + (int) address;
        if ((i & (size - 1)) != 0) {
            // The ISA requires natural alignment; a misaligned atomic fails like any bad access.
            throw new MemoryAccessException("misaligned atomic of " + size + " bytes at 0x" + Long.toHexString(address), address, size);
        }
        if (!VARHANDLE_ATOMICS) {
            synchronized (stripe(b, i)) {
                long old = size == 8 ? (long) I64.get(b, i) : (int) I32.get(b, i);
                long updated = apply(op, old, operand, expected, size);
                if (size == 8) {
                    I64.set(b, i, updated);
                } else {
                    I32.set(b, i, (int) updated);
                }
                return size == 8 ? old : old & 0xFFFF_FFFFL;
            }
        }
        return size == 8 ? atomic64(op, b, i, operand, expected) : atomic32(op, b, i, (int) operand, (int) expected) & 0xFFFF_FFFFL;
    }

    /**
     * Whether byte-array view VarHandles do atomic updates. JDK 17 does (on aligned indexes); newer JDKs
     * refuse every atomic mode on heap byte arrays, so there all atomics take striped locks instead.
     * The choice is made once per JVM, so the two ways never mix on the same bytes.
     */
    private static final boolean VARHANDLE_ATOMICS = probeVarHandleAtomics();
    private static final Object[] STRIPES = new Object[64];

    static {
        for (int k = 0; k < STRIPES.length; k++) {
            STRIPES[k] = new Object();
        }
    }

    private static boolean probeVarHandleAtomics() {
        byte[] probe = new byte[16];
        for (int i = 0; i < 8; i++) {
            try {
                I64.getAndAdd(probe, i, 1L);
                return true;
            } catch (IllegalStateException misaligned) {
                // try the next index
            } catch (UnsupportedOperationException unsupported) {
                return false;
            }
        }
        return false;
    }

    private static Object stripe(byte[] b, int i) {
        return STRIPES[(System.identityHashCode(b) * 31 + (i >>> 3)) & (STRIPES.length - 1)];
    }

    private static long apply(AtomicOp op, long old, long v, long expected, int size) {
        switch (op) {
            case ADD: return old + v;
            case OR: return old | v;
            case AND: return old & v;
            case XOR: return old ^ v;
            case XCHG: return v;
            case CMPXCHG:
                boolean equal = size == 8 ? old == expected : (int) old == (int) expected;
                return equal ? v : old;
            default: throw new AssertionError(op);
        }
    }

    private static long atomic64(AtomicOp op, byte[] b, int i, long v, long expected) {
        switch (op) {
            case ADD: return (long) I64.getAndAdd(b, i, v);
            case OR: return (long) I64.getAndBitwiseOr(b, i, v);
            case AND: return (long) I64.getAndBitwiseAnd(b, i, v);
            case XOR: return (long) I64.getAndBitwiseXor(b, i, v);
            case XCHG: return (long) I64.getAndSet(b, i, v);
            case CMPXCHG: return (long) I64.compareAndExchange(b, i, expected, v);
            default: throw new AssertionError(op);
        }
    }

    private static int atomic32(AtomicOp op, byte[] b, int i, int v, int expected) {
        switch (op) {
            case ADD: return (int) I32.getAndAdd(b, i, v);
            case OR: return (int) I32.getAndBitwiseOr(b, i, v);
            case AND: return (int) I32.getAndBitwiseAnd(b, i, v);
            case XOR: return (int) I32.getAndBitwiseXor(b, i, v);
            case XCHG: return (int) I32.getAndSet(b, i, v);
            case CMPXCHG: return (int) I32.compareAndExchange(b, i, expected, v);
            default: throw new AssertionError(op);
        }
    }

    /** The read-modify-write operations of the eBPF atomic instructions. */
    public enum AtomicOp { ADD, OR, AND, XOR, XCHG, CMPXCHG }
}

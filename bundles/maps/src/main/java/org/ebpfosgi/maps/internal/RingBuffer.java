package org.ebpfosgi.maps.internal;

import static org.ebpfosgi.api.map.MapException.EINVAL;
import static org.ebpfosgi.api.map.MapException.ENOTSUP;
import static org.ebpfosgi.maps.internal.MapTypes.F_NUMA_NODE;
import static org.ebpfosgi.maps.internal.MapTypes.PAGE_SIZE;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.RingBufferMap;
import org.ebpfosgi.api.memory.Region;

/**
 * {@code ringbuf} (type 27), with Linux's record format and position arithmetic: each record is an
 * 8-byte header ({@code u32 len} with the BUSY and DISCARD bits, {@code u32} page offset) and the
 * payload, padded to 8; positions grow without wrapping and index the ring modulo its size.
 *
 * <p>Linux maps the data pages twice in a row so a record that crosses the end is still contiguous.
 * A Java array cannot alias itself, so the data array is twice the ring size minus 8 and a record
 * always sits contiguously at {@code position mod size}: live records span less than the ring size,
 * so the parts beyond the end never overlap the records that follow at the start.
 *
 * <p>Producers reserve under a lock (as Linux does) and commit lock-free by flipping the header; the
 * consumer side is serialised on its own lock and never blocks producers.
 */
public final class RingBuffer extends BaseMap implements RingBufferMap {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle HEADER = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle RESERVED = MethodHandles.arrayElementVarHandle(Region[].class);
    private static final VarHandle POS;
    static {
        try {
            POS = MethodHandles.lookup().findVarHandle(RingBuffer.class, "consumerPos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    static final int BUSY_BIT = 1 << 31, DISCARD_BIT = 1 << 30;
    /** Linux's {@code RINGBUF_MAX_RECORD_SZ}. */
    static final long MAX_RECORD_SIZE = 0xFFFF_FFFFL / 4;
    /** Our bound: twice the ring must fit one Java array. */
    static final long MAX_RING_SIZE = 1L << 29;

    private final byte[] data;
    /**
     * The header word of the record at each 8-byte slot, the one consumers synchronise on: Java 23+
     * offers no acquire/release on byte-array views, so the copy in {@code data} is for layout only.
     */
    private final int[] headers;
    private final long mask;
    /** Outstanding reservations by slot ({@code position mod size / 8}): only these may be committed. */
    private final Region[] reserved;
    private final Object producerLock = new Object();
    private final Object consumerLock = new Object();
    /** Consumers wait here; producers notify it when a wake-up is due. */
    private final Object wakeup = new Object();
    private volatile long producerPos;
    /** Wake-ups sent so far. Guarded by wakeup. */
    private long wakeups;
    @SuppressWarnings("unused") // accessed through POS
    private volatile long consumerPos;

    private RingBuffer(MapDefinition d) {
        super(d);
        int size = d.maxEntries();
        this.mask = size - 1L;
        this.data = new byte[2 * size - 8];
        this.reserved = new Region[size / 8];
        this.headers = new int[size / 8];
    }

    /** Linux's {@code ringbuf_map_alloc} checks: size a power-of-2 multiple of the page size. */
    public static RingBuffer create(MapDefinition d) {
        Definitions.expectType(d, MapTypes.RINGBUF);
        Definitions.checkFlags(d, F_NUMA_NODE);
        long size = Definitions.unsigned(d.maxEntries());
        if (d.keySize() != 0 || d.valueSize() != 0 || Long.bitCount(size) != 1 || size % PAGE_SIZE != 0) {
            throw Definitions.invalid(d, "ring buffers need key_size 0, value_size 0 and max_entries a power of 2"
                    + " multiple of the page size (" + PAGE_SIZE + ")");
        }
        if (size > MAX_RING_SIZE) {
            throw Definitions.tooBig(d, "ring size above " + MAX_RING_SIZE + " bytes");
        }
        try {
            return new RingBuffer(d);
        } catch (OutOfMemoryError e) {
            throw new org.ebpfosgi.api.map.MapException(org.ebpfosgi.api.map.MapException.ENOMEM,
                    "map '" + d.name() + "': no memory for a ring of " + size + " bytes");
        }
    }

    private int index(long pos) {
        return (int) (pos & mask);
    }

    @Override
    public Region reserve(long size, long flags) {
        if (flags != 0 || size < 0 || size > MAX_RECORD_SIZE || isClosed()) {
            return null;
        }
        long len = (size + HEADER_SIZE + 7) & ~7L;
        if (len > mask + 1) {
            return null;
        }
        long consumer = (long) POS.getAcquire(this);
        synchronized (producerLock) {
            long prod = producerPos;
            long next = prod + len;
            if (next - consumer > mask) {
                return null;
            }
            int at = index(prod);
            // Our header's page offset field: the record's page in the ring, as the kernel stores it.
            INT.set(data, at, (int) size | BUSY_BIT);
            INT.set(data, at + 4, at / PAGE_SIZE);
            HEADER.setRelease(headers, at >>> 3, (int) size | BUSY_BIT);
            Region sample = Region.of(Region.Kind.MEMORY, name, data, at + HEADER_SIZE, (int) size, true);
            RESERVED.setRelease(reserved, at >>> 3, sample);
            producerPos = next;
            return sample;
        }
    }

    @Override
    public void submit(Region sample, long flags) {
        commit(sample, flags, false);
    }

    @Override
    public void discard(Region sample, long flags) {
        commit(sample, flags, true);
    }

    private void commit(Region sample, long flags, boolean discard) {
        int at = sample == null ? -1 : sample.base() - HEADER_SIZE;
        if (at < 0 || sample.bytes() != data || (at & 7) != 0 || at > mask) {
            throw error(EINVAL, "not a record reserved in this ring buffer");
        }
        if (!RESERVED.compareAndSet(reserved, at >>> 3, sample, null)) {
            throw error(EINVAL, "record already submitted or discarded");
        }
        int len = (int) HEADER.getAcquire(headers, at >>> 3) & ~BUSY_BIT;
        if (discard) {
            len |= DISCARD_BIT;
        }
        INT.set(data, at, len);
        HEADER.setRelease(headers, at >>> 3, len);
        long consumer = (long) POS.getAcquire(this);
        if ((flags & FORCE_WAKEUP) != 0 || (index(consumer) == at && (flags & NO_WAKEUP) == 0)) {
            synchronized (wakeup) {
                wakeups++;
                wakeup.notifyAll();
            }
        }
    }

    @Override
    public long output(byte[] src, int offset, int length, long flags) {
        if ((flags & ~(NO_WAKEUP | FORCE_WAKEUP)) != 0) {
            return -EINVAL;
        }
        if (src == null || offset < 0 || length < 0 || offset > src.length - length) {
            throw error(EINVAL, "output of " + length + " bytes at offset " + offset + " is outside the source array");
        }
        Region sample = reserve(length, 0);
        if (sample == null) {
            return -11; // EAGAIN, as Linux's bpf_ringbuf_output
        }
        System.arraycopy(src, offset, data, sample.base(), length);
        commit(sample, flags, false);
        return 0;
    }

    @Override
    public long query(long flags) {
        long consumer = (long) POS.getAcquire(this);
        long producer = producerPos;
        if (flags == AVAIL_DATA) {
            return producer - consumer;
        }
        if (flags == RING_SIZE) {
            return mask + 1;
        }
        if (flags == CONS_POS) {
            return consumer;
        }
        if (flags == PROD_POS) {
            return producer;
        }
        return 0;
    }

    @Override
    public int consume(RecordHandler handler) {
        ensureOpen();
        synchronized (consumerLock) {
            int count = 0;
            long consumer = (long) POS.getAcquire(this);
            while (consumer < producerPos) {
                int at = index(consumer);
                int header = (int) HEADER.getAcquire(headers, at >>> 3);
                if ((header & BUSY_BIT) != 0) {
                    break; // an earlier reservation holds back everything after it
                }
                int length = header & ~DISCARD_BIT;
                long next = consumer + ((length + HEADER_SIZE + 7) & ~7L);
                if ((header & DISCARD_BIT) != 0) {
                    POS.setRelease(this, next);
                    consumer = next;
                    continue;
                }
                ByteBuffer record = ByteBuffer.wrap(data, at + HEADER_SIZE, length).slice()
                        .asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
                try {
                    handler.onRecord(record);
                } finally {
                    // The record is consumed even if the handler failed, as libbpf does.
                    POS.setRelease(this, next);
                }
                consumer = next;
                count++;
            }
            return count;
        }
    }

    /**
     * Waits, as epoll on a Linux ring buffer: returns at once if a record is ready, else when a
     * producer's commit wakes consumers (not for {@link #NO_WAKEUP} commits) or at the deadline.
     * Returns false at the deadline.
     */
    private boolean await(long deadline) throws InterruptedException {
        synchronized (wakeup) {
            if (ready()) {
                return true;
            }
            long seen = wakeups;
            while (wakeups == seen) {
                ensureOpen();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(wakeup, left);
            }
            return true;
        }
    }

    /** Whether a committed (or discarded) record is ready for the consumer. */
    private boolean ready() {
        long consumer = (long) POS.getAcquire(this);
        return consumer < producerPos && ((int) HEADER.getAcquire(headers, index(consumer) >>> 3) & BUSY_BIT) == 0;
    }

    @Override
    public int poll(RecordHandler handler, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            int n = consume(handler);
            if (n > 0 || !await(deadline)) {
                return n;
            }
        }
    }

    @Override
    public Optional<byte[]> pollRecord(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        byte[][] one = new byte[1][];
        while (true) {
            synchronized (consumerLock) {
                if (consumeOne(one)) {
                    return Optional.of(one[0]);
                }
            }
            if (!await(deadline)) {
                return Optional.empty();
            }
        }
    }

    /** Consumes discarded records and the first committed one, if any. Caller holds consumerLock. */
    private boolean consumeOne(byte[][] out) {
        ensureOpen();
        long consumer = (long) POS.getAcquire(this);
        while (consumer < producerPos) {
            int at = index(consumer);
            int header = (int) HEADER.getAcquire(headers, at >>> 3);
            if ((header & BUSY_BIT) != 0) {
                return false;
            }
            int length = header & ~DISCARD_BIT;
            long next = consumer + ((length + HEADER_SIZE + 7) & ~7L);
            if ((header & DISCARD_BIT) == 0) {
                out[0] = java.util.Arrays.copyOfRange(data, at + HEADER_SIZE, at + HEADER_SIZE + length);
                POS.setRelease(this, next);
                return true;
            }
            POS.setRelease(this, next);
            consumer = next;
        }
        return false;
    }

    @Override
    public Region lookupRegion(byte[] key) {
        return null;
    }

    @Override
    public Region lookupRegion(byte[] keyArray, int keyOffset) {
        return null;
    }

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        throw unsupported();
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        throw unsupported();
    }

    @Override
    public void delete(byte[] key) {
        throw unsupported();
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        throw unsupported();
    }

    private RuntimeException unsupported() {
        ensureOpen();
        return error(ENOTSUP, "ring buffers have no keys: use reserve/submit/output and consume/poll");
    }

    @Override
    public void close() {
        super.close();
        synchronized (wakeup) {
            wakeups++;
            wakeup.notifyAll();
        }
    }
}

package org.ebpfosgi.maps.internal;

import static org.ebpfosgi.api.map.MapException.E2BIG;
import static org.ebpfosgi.api.map.MapException.EINVAL;
import static org.ebpfosgi.maps.internal.MapTypes.F_NUMA_NODE;
import static org.ebpfosgi.maps.internal.MapTypes.KMALLOC_MAX_SIZE;

import java.util.ArrayDeque;
import java.util.Optional;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.QueueMap;
import org.ebpfosgi.api.memory.Region;

/**
 * {@code queue} (type 22, FIFO) and {@code stack} (type 23, LIFO). Values are copied in and out, as
 * Linux does; storage grows with use up to max_entries rather than being reserved up front.
 */
public final class QueueStackMap extends BaseMap implements QueueMap {
    private final boolean stack;
    /** Oldest first. Guarded by this. */
    private final ArrayDeque<byte[]> values = new ArrayDeque<>();

    private QueueStackMap(MapDefinition d, boolean stack) {
        super(d);
        this.stack = stack;
    }

    /** Linux's {@code queue_stack_map_alloc_check}. */
    public static QueueStackMap create(MapDefinition d, boolean stack) {
        Definitions.expectType(d, stack ? MapTypes.STACK : MapTypes.QUEUE);
        if (d.maxEntries() == 0 || d.keySize() != 0 || d.valueSize() == 0) {
            throw Definitions.invalid(d, "queues and stacks need max_entries > 0, key_size 0 and value_size > 0");
        }
        Definitions.checkFlags(d, F_NUMA_NODE | Definitions.accessFlags());
        if (Definitions.unsigned(d.valueSize()) > KMALLOC_MAX_SIZE) {
            throw Definitions.tooBig(d, "value_size too large");
        }
        return new QueueStackMap(d, stack);
    }

    @Override
    public void push(byte[] src, int offset, long flags) {
        ensureOpen();
        if (flags == NOEXIST || flags < ANY || flags > EXIST) {
            throw error(EINVAL, "push flags 0x" + Long.toHexString(flags) + " (expected BPF_ANY or BPF_EXIST)");
        }
        if (src == null || offset < 0 || offset > src.length - valueSize) {
            throw error(EINVAL, "value of " + valueSize + " bytes at offset " + offset + " is outside the source array");
        }
        byte[] copy = java.util.Arrays.copyOfRange(src, offset, offset + valueSize);
        synchronized (this) {
            if (values.size() >= maxEntries) {
                if (flags != EXIST) {
                    throw error(E2BIG, "full (max_entries " + maxEntries + ")");
                }
                values.pollFirst(); // BPF_EXIST: the oldest value makes room, for a stack as for a queue
            }
            values.addLast(copy);
        }
    }

    private synchronized byte[] take(boolean remove) {
        ensureOpen();
        if (stack) {
            return remove ? values.pollLast() : values.peekLast();
        }
        return remove ? values.pollFirst() : values.peekFirst();
    }

    @Override
    public Optional<byte[]> pop() {
        return Optional.ofNullable(take(true));
    }

    @Override
    public Optional<byte[]> peek() {
        byte[] v = take(false);
        return v == null ? Optional.empty() : Optional.of(v.clone());
    }

    @Override
    public boolean popInto(byte[] dst, int offset) {
        checkDestination(dst, offset);
        byte[] v = take(true);
        if (v == null) {
            return false;
        }
        System.arraycopy(v, 0, dst, offset, valueSize);
        return true;
    }

    @Override
    public boolean peekInto(byte[] dst, int offset) {
        checkDestination(dst, offset);
        byte[] v = take(false);
        if (v == null) {
            return false;
        }
        System.arraycopy(v, 0, dst, offset, valueSize);
        return true;
    }

    private void checkDestination(byte[] dst, int offset) {
        if (dst == null || offset < 0 || offset > dst.length - valueSize) {
            throw error(EINVAL, "no room for " + valueSize + " bytes at offset " + offset);
        }
    }

    /** Programs cannot look up queue elements: Linux's lookup_elem answers NULL. */
    @Override
    public Region lookupRegion(byte[] key) {
        return null;
    }

    @Override
    public Region lookupRegion(byte[] keyArray, int keyOffset) {
        return null;
    }

    /** The syscall lookup of a queue or stack is a peek. */
    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkNoKey(key);
        return peek();
    }

    /** The syscall update of a queue or stack is a push. */
    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkNoKey(key);
        push(value, flags);
    }

    @Override
    public void delete(byte[] key) {
        ensureOpen();
        throw error(EINVAL, "queues and stacks have no keys to delete (use pop)");
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        ensureOpen();
        throw error(EINVAL, "queues and stacks have no keys to iterate");
    }

    private void checkNoKey(byte[] key) {
        if (key != null && key.length != 0) {
            throw error(EINVAL, "queues and stacks take no key (got " + key.length + " bytes)");
        }
    }

    /** The number of values held. */
    public synchronized int size() {
        return values.size();
    }

    @Override
    public synchronized void close() {
        super.close();
        values.clear();
    }
}

package org.ebpfosgi.maps.internal;

import static org.ebpfosgi.api.map.MapException.E2BIG;
import static org.ebpfosgi.api.map.MapException.EBADF;
import static org.ebpfosgi.api.map.MapException.EEXIST;
import static org.ebpfosgi.api.map.MapException.EINVAL;
import static org.ebpfosgi.api.map.MapException.ENOENT;

import java.util.Optional;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapException;

/** What every map shares: its definition, the closed state and the argument checks of the syscalls. */
abstract class BaseMap implements EbpfMap {
    final MapDefinition definition;
    final String name;
    final int keySize;
    final int valueSize;
    /** max_entries as Linux's u32. */
    final long maxEntries;
    private volatile boolean closed;

    BaseMap(MapDefinition definition) {
        this.definition = definition;
        this.name = definition.name();
        this.keySize = definition.keySize();
        this.valueSize = definition.valueSize();
        this.maxEntries = Integer.toUnsignedLong(definition.maxEntries());
    }

    @Override
    public final MapDefinition definition() {
        return definition;
    }

    @Override
    public void close() {
        closed = true;
    }

    final void ensureOpen() {
        if (closed) {
            throw new MapException(EBADF, "map '" + name + "' is closed");
        }
    }

    final boolean isClosed() {
        return closed;
    }

    final MapException error(int errno, String message) {
        return new MapException(errno, "map '" + name + "': " + message);
    }

    final void checkKey(byte[] key) {
        if (key == null || key.length != keySize) {
            throw error(EINVAL, "key of " + (key == null ? "null" : key.length + " bytes") + ", expected " + keySize);
        }
    }

    final void checkKeyAt(byte[] array, int offset) {
        if (array == null || offset < 0 || offset > array.length - keySize) {
            throw error(EINVAL, "key of " + keySize + " bytes at offset " + offset + " is outside the "
                    + (array == null ? "null" : array.length + "-byte") + " array");
        }
    }

    final void checkValue(byte[] value) {
        if (value == null || value.length != valueSize) {
            throw error(EINVAL, "value of " + (value == null ? "null" : value.length + " bytes") + ", expected " + valueSize);
        }
    }

    /** BPF_ANY, BPF_NOEXIST or BPF_EXIST; BPF_F_LOCK needs a spin lock in the value, which we never have. */
    final void checkUpdateFlags(long flags) {
        if (flags < ANY || flags > EXIST) {
            throw error(EINVAL, "update flags 0x" + Long.toHexString(flags) + " (expected BPF_ANY, BPF_NOEXIST or BPF_EXIST)");
        }
    }

    /** Linux's update flags against the key's presence: EEXIST for BPF_NOEXIST, ENOENT for BPF_EXIST. */
    final void checkExistence(boolean exists, long flags) {
        if (exists && flags == NOEXIST) {
            throw error(EEXIST, "key exists (BPF_NOEXIST)");
        }
        if (!exists && flags == EXIST) {
            throw error(ENOENT, "no such key (BPF_EXIST)");
        }
    }

    /** Inserts or replaces {@code fresh} in a hash table under Linux's flag rules; E2BIG when full. */
    final void putInTable(HashTable table, Entry fresh, long flags) {
        synchronized (table) {
            Entry old = table.get(fresh.key, 0);
            checkExistence(old != null, flags);
            if (old != null) {
                table.replaceLocked(old, fresh);
            } else if (table.size() >= maxEntries) {
                throw error(E2BIG, "full (max_entries " + maxEntries + ")");
            } else {
                table.insertLocked(fresh);
            }
        }
    }

    /** Deletes {@code key} from a hash-table map (ENOENT when absent) and returns the removed entry. */
    final Entry deleteFromTable(HashTable table, byte[] key) {
        ensureOpen();
        checkKey(key);
        synchronized (table) {
            Entry removed = table.removeLocked(key, 0);
            if (removed == null) {
                throw error(ENOENT, "no such key");
            }
            return removed;
        }
    }

    /** close() of a hash-table map: no further use, storage released. */
    final void closeTable(HashTable table) {
        closed = true;
        synchronized (table) {
            table.clearLocked();
        }
    }

    /** get-next-key over a hash table: the first key for null or a key no longer there. */
    final Optional<byte[]> nextKeyInTable(HashTable table, byte[] key) {
        ensureOpen();
        if (key != null) {
            checkKey(key);
        }
        return Optional.ofNullable(table.nextKey(key));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + definition + "]";
    }
}

package org.ebpfosgi.maps.internal;

import static org.ebpfosgi.api.map.MapException.E2BIG;
import static org.ebpfosgi.api.map.MapException.EBADF;
import static org.ebpfosgi.api.map.MapException.EINVAL;
import static org.ebpfosgi.api.map.MapException.ENOENT;
import static org.ebpfosgi.api.map.MapException.ENOMEM;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.map.ObjectIds;
import org.ebpfosgi.api.memory.Region;

/**
 * Arrays of object references, as Linux's fd arrays ({@code prog_array}, {@code array_of_maps}).
 * Slots start empty; a syscall update takes {@code BPF_ANY} only and a 4-byte id, which the id
 * resolver the runtime supplied turns into the object.
 */
abstract class ObjectArray<T> extends BaseMap {
    private final AtomicReferenceArray<T> slots;
    private volatile ObjectIds<T> ids;

    ObjectArray(MapDefinition d) {
        super(d);
        if (maxEntries > Integer.MAX_VALUE - 8) {
            throw new MapException(ENOMEM, "map '" + d.name() + "': max_entries " + maxEntries + " too large");
        }
        try {
            slots = new AtomicReferenceArray<>((int) maxEntries);
        } catch (OutOfMemoryError e) {
            throw new MapException(ENOMEM, "map '" + d.name() + "': no memory for " + maxEntries + " slots");
        }
    }

    /** Linux's {@code fd_array_map_alloc_check}. */
    static void validate(MapDefinition d) {
        if (d.valueSize() != 4) {
            throw Definitions.invalid(d, "value_size must be 4 (a program or map fd/id)");
        }
        if ((d.flags() & (MapTypes.F_RDONLY_PROG | MapTypes.F_WRONLY_PROG)) != 0) {
            throw Definitions.invalid(d, "BPF_F_RDONLY_PROG/BPF_F_WRONLY_PROG are not for object arrays");
        }
        ArrayMapBase.validate(d, false);
    }

    /** The kind of object, for messages: "program" or "map". */
    abstract String kind();

    /** Refuses an object this array cannot hold. */
    abstract void accept(T object);

    final T get(long index) {
        return index >= 0 && index < maxEntries ? slots.get((int) index) : null;
    }

    final void set(long index, T object) {
        ensureOpen();
        if (index < 0 || index >= maxEntries) {
            throw error(E2BIG, "index " + index + " >= max_entries " + maxEntries);
        }
        if (object != null) {
            accept(object);
        }
        slots.set((int) index, object);
    }

    final void useIds(ObjectIds<T> ids) {
        this.ids = ids;
    }

    private ObjectIds<T> ids() {
        ObjectIds<T> r = ids;
        if (r == null) {
            throw error(EINVAL, "holds " + kind() + "s, not bytes: set them directly, or give the map an id resolver");
        }
        return r;
    }

    /** Programs never address the slots. */
    @Override
    public final Region lookupRegion(byte[] key) {
        return null;
    }

    @Override
    public final Region lookupRegion(byte[] keyArray, int keyOffset) {
        return null;
    }

    @Override
    public final Optional<byte[]> lookup(byte[] key) {
        ensureOpen();
        checkKey(key);
        T object = get(Keys.u32(key, 0));
        if (object == null) {
            return Optional.empty();
        }
        return Optional.of(Keys.u32Bytes(ids().idOf(object)));
    }

    @Override
    public final void update(byte[] key, byte[] value, long flags) {
        ensureOpen();
        checkKey(key);
        checkValue(value);
        if (flags != ANY) {
            throw error(EINVAL, "object arrays take BPF_ANY only");
        }
        long index = Keys.u32(key, 0);
        if (index >= maxEntries) {
            throw error(E2BIG, "index " + index + " >= max_entries " + maxEntries);
        }
        long id = Keys.u32(value, 0);
        T object = ids().byId((int) id);
        if (object == null) {
            throw error(EBADF, "no " + kind() + " with id " + id);
        }
        set(index, object);
    }

    @Override
    public final void delete(byte[] key) {
        ensureOpen();
        checkKey(key);
        long index = Keys.u32(key, 0);
        if (index >= maxEntries) {
            throw error(E2BIG, "index " + index + " >= max_entries " + maxEntries);
        }
        if (slots.getAndSet((int) index, null) == null) {
            throw error(ENOENT, "slot " + index + " is empty");
        }
    }

    @Override
    public final Optional<byte[]> nextKey(byte[] key) {
        ensureOpen();
        if (key != null) {
            checkKey(key);
        }
        return Keys.arrayNextKey(key, maxEntries);
    }

    @Override
    public final void close() {
        super.close();
        for (int i = 0; i < slots.length(); i++) {
            slots.set(i, null);
        }
    }
}

package org.ebpfosgi.maps.internal;

import static org.ebpfosgi.api.map.MapException.E2BIG;
import static org.ebpfosgi.api.map.MapException.EEXIST;
import static org.ebpfosgi.api.map.MapException.EINVAL;
import static org.ebpfosgi.api.map.MapException.ENOMEM;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import org.ebpfosgi.api.map.DeviceMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.memory.Region;

/**
 * {@code devmap} (type 14): an array of {@code struct bpf_devmap_val}; a slot is empty while its
 * ifindex is 0. Programs read values through read-only regions (Linux forces BPF_F_RDONLY_PROG).
 */
public final class DevMap extends BaseMap implements DeviceMap {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private final byte[] slab;
    private final Region[] regions;

    private DevMap(MapDefinition d) {
        super(d);
        long bytes = maxEntries * valueSize;
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new MapException(ENOMEM, "map '" + d.name() + "': " + bytes + " bytes of values exceed one array");
        }
        try {
            slab = new byte[(int) bytes];
            regions = new Region[(int) maxEntries];
        } catch (OutOfMemoryError e) {
            throw new MapException(ENOMEM, "map '" + d.name() + "': no memory for " + maxEntries + " entries");
        }
    }

    public static DevMap create(MapDefinition d) {
        Definitions.expectType(d, MapTypes.DEVMAP);
        DevMaps.validate(d);
        return new DevMap(d);
    }

    private long indexOf(byte[] k, int off) {
        long i = Keys.u32(k, off);
        return i < maxEntries ? i : -1;
    }

    /** Plain accesses: byte-array views have no acquire/release on Java 23+; writers are serialised. */
    private int ifindexAt(long i) {
        return (int) INT.get(slab, (int) (i * valueSize));
    }

    @Override
    public int ifindex(int key) {
        long i = Integer.toUnsignedLong(key);
        return i < maxEntries ? ifindexAt(i) : 0;
    }

    @Override
    public int programField(int key) {
        long i = Integer.toUnsignedLong(key);
        return i < maxEntries && valueSize == 8 && ifindexAt(i) != 0 ? (int) INT.get(slab, (int) (i * 8 + 4)) : 0;
    }

    @Override
    public Region lookupRegion(byte[] key) {
        checkKey(key);
        return regionAt(indexOf(key, 0));
    }

    @Override
    public Region lookupRegion(byte[] keyArray, int keyOffset) {
        checkKeyAt(keyArray, keyOffset);
        return regionAt(indexOf(keyArray, keyOffset));
    }

    private Region regionAt(long i) {
        if (i < 0 || ifindexAt(i) == 0) {
            return null;
        }
        Region r = regions[(int) i];
        if (r == null) {
            r = Region.of(Region.Kind.MAP_VALUE, name, slab, (int) (i * valueSize), valueSize, false);
            regions[(int) i] = r; // a race only makes an equal region twice
        }
        return r;
    }

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        ensureOpen();
        checkKey(key);
        long i = indexOf(key, 0);
        if (i < 0 || ifindexAt(i) == 0) {
            return Optional.empty();
        }
        int from = (int) (i * valueSize);
        return Optional.of(Arrays.copyOfRange(slab, from, from + valueSize));
    }

    @Override
    public synchronized void update(byte[] key, byte[] value, long flags) {
        ensureOpen();
        checkKey(key);
        checkUpdateFlags(flags);
        checkValue(value);
        long i = indexOf(key, 0);
        if (i < 0) {
            throw error(E2BIG, "index " + Keys.u32(key, 0) + " >= max_entries " + maxEntries);
        }
        if (flags == NOEXIST) {
            throw error(EEXIST, "device map slots always exist (BPF_NOEXIST)");
        }
        int ifindex = (int) INT.get(value, 0);
        int program = valueSize == 8 ? (int) INT.get(value, 4) : 0;
        if (ifindex == 0 && program > 0) {
            throw error(EINVAL, "a program needs an interface (ifindex 0)");
        }
        int at = (int) (i * valueSize);
        if (valueSize == 8) {
            INT.set(slab, at + 4, program);
        }
        INT.set(slab, at, ifindex);
    }

    /** Linux's {@code dev_map_delete_elem}: EINVAL out of range, success even for an empty slot. */
    @Override
    public synchronized void delete(byte[] key) {
        ensureOpen();
        checkKey(key);
        long i = indexOf(key, 0);
        if (i < 0) {
            throw error(EINVAL, "index " + Keys.u32(key, 0) + " >= max_entries " + maxEntries);
        }
        int at = (int) (i * valueSize);
        INT.set(slab, at, 0);
        if (valueSize == 8) {
            INT.set(slab, at + 4, 0);
        }
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        ensureOpen();
        if (key != null) {
            checkKey(key);
        }
        return Keys.arrayNextKey(key, maxEntries);
    }
}

package org.ebpfosgi.maps.internal;

import static org.ebpfosgi.api.map.MapException.EBADF;
import static org.ebpfosgi.api.map.MapException.EINVAL;

import java.util.Optional;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapOfMaps;
import org.ebpfosgi.api.map.ObjectIds;
import org.ebpfosgi.api.memory.Region;

/** {@code hash_of_maps} (type 13): a hash map whose values are inner maps. */
public final class HashOfMaps extends BaseMap implements MapOfMaps {
    private final HashTable table;
    private volatile ObjectIds<EbpfMap> ids;

    private HashOfMaps(MapDefinition d) {
        super(d);
        this.table = new HashTable(keySize, maxEntries, (d.flags() & MapTypes.F_ZERO_SEED) != 0);
    }

    public static HashOfMaps create(MapDefinition d) {
        Definitions.expectType(d, MapTypes.HASH_OF_MAPS);
        InnerMaps.checkOuter(d);
        HashMapBase.validate(d, false, false);
        return new HashOfMaps(d);
    }

    @Override
    public EbpfMap innerMap(byte[] key) {
        checkKey(key);
        Entry e = table.get(key, 0);
        return e == null ? null : (EbpfMap) e.ref;
    }

    @Override
    public void setInnerMap(byte[] key, EbpfMap map, long flags) {
        ensureOpen();
        checkKey(key);
        checkUpdateFlags(flags);
        if (map == null) {
            throw error(EINVAL, "no inner map given (use delete to remove one)");
        }
        InnerMaps.checkInner(name, definition.innerMap(), map);
        Entry fresh = new Entry(key.clone(), null, null, null, map);
        putInTable(table, fresh, flags);
    }

    @Override
    public void setIdResolver(ObjectIds<EbpfMap> ids) {
        this.ids = ids;
    }

    private ObjectIds<EbpfMap> ids() {
        ObjectIds<EbpfMap> r = ids;
        if (r == null) {
            throw error(EINVAL, "holds maps, not bytes: use setInnerMap, or give the map an id resolver");
        }
        return r;
    }

    /** A program's lookup yields an inner map, which is no memory: helpers use {@link #innerMap}. */
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
        ensureOpen();
        EbpfMap map = innerMap(key);
        return map == null ? Optional.empty() : Optional.of(Keys.u32Bytes(ids().idOf(map)));
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        ensureOpen();
        checkKey(key);
        checkValue(value);
        long id = Keys.u32(value, 0);
        EbpfMap map = ids().byId((int) id);
        if (map == null) {
            throw error(EBADF, "no map with id " + id);
        }
        setInnerMap(key, map, flags);
    }

    @Override
    public void delete(byte[] key) {
        deleteFromTable(table, key);
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        return nextKeyInTable(table, key);
    }

    @Override
    public void close() {
        closeTable(table);
    }
}

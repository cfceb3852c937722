package org.ebpfosgi.maps.internal;

import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.memory.Region;

/**
 * {@code lru_hash} (type 9), and {@code hash} (type 1) as a chained table; the {@code hash} provider uses
 * {@link OpenAddressingHashMap}, which needs no per-element node or entry (LRU order needs the entries).
 */
public final class HashTableMap extends HashMapBase {
    private final boolean readOnlyForPrograms;

    private HashTableMap(MapDefinition definition, boolean lru) {
        super(definition, lru);
        this.readOnlyForPrograms = (definition.flags() & MapTypes.F_RDONLY_PROG) != 0;
    }

    public static HashTableMap create(MapDefinition d, boolean lru) {
        Definitions.expectType(d, lru ? MapTypes.LRU_HASH : MapTypes.HASH);
        validate(d, false, lru);
        return new HashTableMap(d, lru);
    }

    @Override
    Region programRegion(HashTable.Node n) {
        return n.region;
    }

    @Override
    Entry newEntry(byte[] key, byte[] value) {
        byte[] bytes = value.clone();
        Region region = Region.of(Region.Kind.MAP_VALUE, name, bytes);
        return new Entry(key, bytes, readOnlyForPrograms ? region.readOnly() : region, null, null);
    }

    @Override
    boolean updateInPlace(Entry e, byte[] value) {
        return false;
    }

    @Override
    void checkUpdateValue(byte[] value) {
        checkValue(value);
    }
}

package org.ebpfosgi.maps.internal;

import static org.ebpfosgi.api.map.MapException.EINVAL;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapOfMaps;
import org.ebpfosgi.api.map.ObjectIds;

/** {@code array_of_maps} (type 12). */
public final class ArrayOfMaps extends ObjectArray<EbpfMap> implements MapOfMaps {
    private ArrayOfMaps(MapDefinition d) {
        super(d);
    }

    public static ArrayOfMaps create(MapDefinition d) {
        Definitions.expectType(d, MapTypes.ARRAY_OF_MAPS);
        InnerMaps.checkOuter(d);
        validate(d);
        return new ArrayOfMaps(d);
    }

    @Override
    String kind() {
        return "map";
    }

    @Override
    void accept(EbpfMap map) {
        InnerMaps.checkInner(name, definition.innerMap(), map);
    }

    @Override
    public EbpfMap innerMap(byte[] key) {
        checkKey(key);
        return get(Keys.u32(key, 0));
    }

    @Override
    public void setInnerMap(byte[] key, EbpfMap map, long flags) {
        checkKey(key);
        if (flags != ANY) {
            throw error(EINVAL, "arrays of maps take BPF_ANY only");
        }
        set(Keys.u32(key, 0), map);
    }

    @Override
    public void setIdResolver(ObjectIds<EbpfMap> ids) {
        useIds(ids);
    }
}

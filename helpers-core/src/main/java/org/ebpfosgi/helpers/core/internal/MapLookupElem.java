package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP_KEY;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.map.MapOfMaps;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.osgi.service.component.annotations.Component;

/**
 * {@code void *bpf_map_lookup_elem(void *map, const void *key)}: a pointer to the live value (writes
 * through it change the map), or NULL. In an array or hash of maps the result is the inner map's handle,
 * usable as the map argument of further helper calls, as in Linux.
 */
@Component(service = Helper.class)
public final class MapLookupElem extends CoreHelper {
    public MapLookupElem() {
        super(1, "bpf_map_lookup_elem", HelperPrototype.of(ReturnKind.PTR_TO_MAP_VALUE_OR_NULL, PTR_TO_MAP, PTR_TO_MAP_KEY));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        Memory memory = context.memory();
        EbpfMap map = memory.handle(r1, EbpfMap.class);
        try {
            if (map instanceof MapOfMaps) {
                EbpfMap inner = ((MapOfMaps) map).innerMap(MapKeys.key(memory, map, r2));
                return inner == null ? 0 : memory.mapHandle(inner);
            }
            int keySize = map.definition().keySize();
            Region value;
            if (keySize == 0) {
                value = map.lookupRegion(MapKeys.key(memory, map, r2));
            } else {
                // The hot path: the map reads the key where the program keeps it, without a copy.
                Region key = memory.region(r2, keySize, false);
                value = map.lookupRegion(key.bytes(), key.base() + (int) r2);
            }
            return value == null ? 0 : memory.map(value);
        } catch (MapException refused) {
            return 0;
        }
    }
}

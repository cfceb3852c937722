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
            int keySize = map.definition().keySize();
            if (keySize != 0) {
                // The hot path: the map reads the key where the program keeps it, without a copy. Maps of
                // maps answer null here (their contract), so the costly negative interface check
                // (instanceof MapOfMaps) is only paid when there is no value.
                Region key = memory.region(r2, keySize, false);
                Region value = map.lookupRegion(key.bytes(), key.base() + (int) r2);
                if (value != null) {
                    return memory.map(value);
                }
            }
            return lookupOther(memory, map, r2);
        } catch (MapException refused) {
            return 0;
        }
    }

    /** Misses, maps of maps (the inner map's handle) and maps without keys. */
    private static long lookupOther(Memory memory, EbpfMap map, long keyAddress) {
        if (map instanceof MapOfMaps) {
            EbpfMap inner = ((MapOfMaps) map).innerMap(MapKeys.key(memory, map, keyAddress));
            return inner == null ? 0 : memory.mapHandle(inner);
        }
        if (map.definition().keySize() != 0) {
            return 0;
        }
        Region value = map.lookupRegion(MapKeys.key(memory, map, keyAddress));
        return value == null ? 0 : memory.map(value);
    }
}

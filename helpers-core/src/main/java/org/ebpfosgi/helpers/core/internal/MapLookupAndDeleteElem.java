package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP_KEY;

import java.util.Arrays;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.map.QueueMap;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.osgi.service.component.annotations.Component;

/**
 * {@code void *bpf_map_lookup_and_delete_elem(void *map, const void *key)}: removes key and returns a
 * pointer to a private copy of its value (valid for the rest of the run), or NULL if absent or the map
 * cannot delete (arrays). On a queue or stack it pops. Linux has this only as a syscall command, so it has
 * no Linux helper id: it is resolved by name (ebpf-for-windows programs call it, as their helper 4).
 * Between two racing callers, only the one whose delete succeeds gets the value.
 */
@Component(service = Helper.class)
public final class MapLookupAndDeleteElem extends CoreHelper {
    public MapLookupAndDeleteElem() {
        super(UNNUMBERED, "bpf_map_lookup_and_delete_elem", HelperPrototype.of(ReturnKind.PTR_TO_MAP_VALUE_OR_NULL, PTR_TO_MAP, PTR_TO_MAP_KEY));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        Memory memory = context.memory();
        EbpfMap map = memory.handle(r1, EbpfMap.class);
        byte[] copy;
        if (map instanceof QueueMap) {
            copy = new byte[map.definition().valueSize()];
            if (!((QueueMap) map).popInto(copy, 0)) {
                return 0;
            }
        } else {
            byte[] key = MapKeys.key(memory, map, r2);
            try {
                Region live = map.lookupRegion(key);
                if (live == null) {
                    return 0;
                }
                copy = Arrays.copyOfRange(live.bytes(), live.base(), live.base() + live.length());
                map.delete(key);
            } catch (MapException refused) {
                return 0;
            }
        }
        return memory.map(Region.of(Region.Kind.MAP_VALUE, map.definition().name(), copy));
    }
}

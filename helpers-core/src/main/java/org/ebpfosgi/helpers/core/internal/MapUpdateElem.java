package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.ANYTHING;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP_KEY;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP_VALUE;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.memory.Memory;
import org.osgi.service.component.annotations.Component;

/**
 * {@code long bpf_map_update_elem(void *map, const void *key, const void *value, u64 flags)}: 0, or the
 * map's refusal as a negative errno (-EEXIST for NOEXIST on a present key, -ENOENT for EXIST on an absent
 * one, -E2BIG when full, -EINVAL for bad flags).
 */
@Component(service = Helper.class)
public final class MapUpdateElem extends CoreHelper {
    public MapUpdateElem() {
        super(2, "bpf_map_update_elem", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_MAP, PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, ANYTHING));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        Memory memory = context.memory();
        EbpfMap map = memory.handle(r1, EbpfMap.class);
        byte[] key = MapKeys.key(memory, map, r2);
        byte[] value = MapKeys.value(memory, map, r3);
        try {
            map.update(key, value, r4);
            return 0;
        } catch (MapException refused) {
            return Errno.fail(refused.errno());
        }
    }
}

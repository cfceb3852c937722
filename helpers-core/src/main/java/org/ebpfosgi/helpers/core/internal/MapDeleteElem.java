package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP_KEY;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.memory.Memory;
import org.osgi.service.component.annotations.Component;

/** {@code long bpf_map_delete_elem(void *map, const void *key)}: 0, -ENOENT if absent, -EINVAL for arrays. */
@Component(service = Helper.class)
public final class MapDeleteElem extends CoreHelper {
    public MapDeleteElem() {
        super(3, "bpf_map_delete_elem", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_MAP, PTR_TO_MAP_KEY));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        Memory memory = context.memory();
        EbpfMap map = memory.handle(r1, EbpfMap.class);
        byte[] key = MapKeys.key(memory, map, r2);
        try {
            map.delete(key);
            return 0;
        } catch (MapException refused) {
            return Errno.fail(refused.errno());
        }
    }
}

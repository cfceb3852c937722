package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.ANYTHING;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP_KEY;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.map.Cpus;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.map.PerCpuMap;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.osgi.service.component.annotations.Component;

/**
 * {@code void *bpf_map_lookup_percpu_elem(void *map, const void *key, u32 cpu)}: the live value of key on
 * another CPU of a per-CPU map, or NULL (absent key, cpu out of range). Only per-CPU maps qualify (the
 * verifier checks that in Linux; here another map fails the run).
 */
@Component(service = Helper.class)
public final class MapLookupPercpuElem extends CoreHelper {
    public MapLookupPercpuElem() {
        super(195, "bpf_map_lookup_percpu_elem", HelperPrototype.of(ReturnKind.PTR_TO_MAP_VALUE_OR_NULL, PTR_TO_MAP, PTR_TO_MAP_KEY, ANYTHING));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        Memory memory = context.memory();
        PerCpuMap map = memory.handle(r1, PerCpuMap.class);
        byte[] key = MapKeys.key(memory, map, r2);
        long cpu = Registers.u32(r3);
        if (cpu >= Cpus.count()) {
            return 0;
        }
        try {
            Region value = map.lookupRegionOnCpu(key, (int) cpu);
            return value == null ? 0 : memory.map(value);
        } catch (MapException refused) {
            return 0;
        }
    }
}

package org.ebpfosgi.maps;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapTypeProvider;
import org.ebpfosgi.maps.internal.PerCpuHashTableMap;
import org.osgi.service.component.annotations.Component;

/** Provides {@code lru_percpu_hash} maps (Linux map type 10). */
@Component(service = MapTypeProvider.class, property = {"ebpf.map.type:Integer=10", "ebpf.map.type.name=lru_percpu_hash"})
public final class LruPerCpuHashMapProvider implements MapTypeProvider {
    @Override
    public int type() {
        return 10;
    }

    @Override
    public String name() {
        return "lru_percpu_hash";
    }

    @Override
    public EbpfMap create(MapDefinition definition) {
        return PerCpuHashTableMap.create(definition, true);
    }
}

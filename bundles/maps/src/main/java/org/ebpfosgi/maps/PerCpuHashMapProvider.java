package org.ebpfosgi.maps;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapTypeProvider;
import org.ebpfosgi.maps.internal.PerCpuHashTableMap;
import org.osgi.service.component.annotations.Component;

/** Provides {@code percpu_hash} maps (Linux map type 5). */
@Component(service = MapTypeProvider.class, property = {"ebpf.map.type:Integer=5", "ebpf.map.type.name=percpu_hash"})
public final class PerCpuHashMapProvider implements MapTypeProvider {
    @Override
    public int type() {
        return 5;
    }

    @Override
    public String name() {
        return "percpu_hash";
    }

    @Override
    public EbpfMap create(MapDefinition definition) {
        return PerCpuHashTableMap.create(definition, false);
    }
}

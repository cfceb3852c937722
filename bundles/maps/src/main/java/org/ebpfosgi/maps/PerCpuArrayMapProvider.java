package org.ebpfosgi.maps;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapTypeProvider;
import org.ebpfosgi.maps.internal.PerCpuArrayMap;
import org.osgi.service.component.annotations.Component;

/** Provides {@code percpu_array} maps (Linux map type 6). */
@Component(service = MapTypeProvider.class, property = {"ebpf.map.type:Integer=6", "ebpf.map.type.name=percpu_array"})
public final class PerCpuArrayMapProvider implements MapTypeProvider {
    @Override
    public int type() {
        return 6;
    }

    @Override
    public String name() {
        return "percpu_array";
    }

    @Override
    public EbpfMap create(MapDefinition definition) {
        return PerCpuArrayMap.create(definition);
    }
}

package org.ebpfosgi.maps;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapTypeProvider;
import org.ebpfosgi.maps.internal.ArrayOfMaps;
import org.osgi.service.component.annotations.Component;

/** Provides {@code array_of_maps} maps (Linux map type 12). */
@Component(service = MapTypeProvider.class, property = {"ebpf.map.type:Integer=12", "ebpf.map.type.name=array_of_maps"})
public final class ArrayOfMapsProvider implements MapTypeProvider {
    @Override
    public int type() {
        return 12;
    }

    @Override
    public String name() {
        return "array_of_maps";
    }

    @Override
    public EbpfMap create(MapDefinition definition) {
        return ArrayOfMaps.create(definition);
    }
}

package org.ebpfosgi.maps;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapTypeProvider;
import org.ebpfosgi.maps.internal.HashOfMaps;
import org.osgi.service.component.annotations.Component;

/** Provides {@code hash_of_maps} maps (Linux map type 13). */
@Component(service = MapTypeProvider.class, property = {"ebpf.map.type:Integer=13", "ebpf.map.type.name=hash_of_maps"})
public final class HashOfMapsProvider implements MapTypeProvider {
    @Override
    public int type() {
        return 13;
    }

    @Override
    public String name() {
        return "hash_of_maps";
    }

    @Override
    public EbpfMap create(MapDefinition definition) {
        return HashOfMaps.create(definition);
    }
}

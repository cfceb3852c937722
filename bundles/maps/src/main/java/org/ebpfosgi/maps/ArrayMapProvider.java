package org.ebpfosgi.maps;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapTypeProvider;
import org.ebpfosgi.maps.internal.ArrayMap;
import org.osgi.service.component.annotations.Component;

/** Provides {@code array} maps (Linux map type 2). */
@Component(service = MapTypeProvider.class, property = {"ebpf.map.type:Integer=2", "ebpf.map.type.name=array"})
public final class ArrayMapProvider implements MapTypeProvider {
    @Override
    public int type() {
        return 2;
    }

    @Override
    public String name() {
        return "array";
    }

    @Override
    public EbpfMap create(MapDefinition definition) {
        return ArrayMap.create(definition);
    }
}

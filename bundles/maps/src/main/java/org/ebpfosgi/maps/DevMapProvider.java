package org.ebpfosgi.maps;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapTypeProvider;
import org.ebpfosgi.maps.internal.DevMap;
import org.osgi.service.component.annotations.Component;

/** Provides {@code devmap} maps (Linux map type 14). */
@Component(service = MapTypeProvider.class, property = {"ebpf.map.type:Integer=14", "ebpf.map.type.name=devmap"})
public final class DevMapProvider implements MapTypeProvider {
    @Override
    public int type() {
        return 14;
    }

    @Override
    public String name() {
        return "devmap";
    }

    @Override
    public EbpfMap create(MapDefinition definition) {
        return DevMap.create(definition);
    }
}

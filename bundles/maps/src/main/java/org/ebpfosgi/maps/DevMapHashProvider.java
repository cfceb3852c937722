package org.ebpfosgi.maps;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapTypeProvider;
import org.ebpfosgi.maps.internal.DevMapHash;
import org.osgi.service.component.annotations.Component;

/** Provides {@code devmap_hash} maps (Linux map type 25). */
@Component(service = MapTypeProvider.class, property = {"ebpf.map.type:Integer=25", "ebpf.map.type.name=devmap_hash"})
public final class DevMapHashProvider implements MapTypeProvider {
    @Override
    public int type() {
        return 25;
    }

    @Override
    public String name() {
        return "devmap_hash";
    }

    @Override
    public EbpfMap create(MapDefinition definition) {
        return DevMapHash.create(definition);
    }
}

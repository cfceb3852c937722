package org.ebpfosgi.maps;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapTypeProvider;
import org.ebpfosgi.maps.internal.OpenAddressingHashMap;
import org.osgi.service.component.annotations.Component;

/** Provides {@code hash} maps (Linux map type 1). */
@Component(service = MapTypeProvider.class, property = {"ebpf.map.type:Integer=1", "ebpf.map.type.name=hash"})
public final class HashMapProvider implements MapTypeProvider {
    @Override
    public int type() {
        return 1;
    }

    @Override
    public String name() {
        return "hash";
    }

    @Override
    public EbpfMap create(MapDefinition definition) {
        return OpenAddressingHashMap.create(definition);
    }
}

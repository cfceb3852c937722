package org.ebpfosgi.maps;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapTypeProvider;
import org.ebpfosgi.maps.internal.HashTableMap;
import org.osgi.service.component.annotations.Component;

/** Provides {@code lru_hash} maps (Linux map type 9). */
@Component(service = MapTypeProvider.class, property = {"ebpf.map.type:Integer=9", "ebpf.map.type.name=lru_hash"})
public final class LruHashMapProvider implements MapTypeProvider {
    @Override
    public int type() {
        return 9;
    }

    @Override
    public String name() {
        return "lru_hash";
    }

    @Override
    public EbpfMap create(MapDefinition definition) {
        return HashTableMap.create(definition, true);
    }
}

package org.ebpfosgi.maps;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapTypeProvider;
import org.ebpfosgi.maps.internal.LpmTrieMap;
import org.osgi.service.component.annotations.Component;

/** Provides {@code lpm_trie} maps (Linux map type 11). */
@Component(service = MapTypeProvider.class, property = {"ebpf.map.type:Integer=11", "ebpf.map.type.name=lpm_trie"})
public final class LpmTrieMapProvider implements MapTypeProvider {
    @Override
    public int type() {
        return 11;
    }

    @Override
    public String name() {
        return "lpm_trie";
    }

    @Override
    public EbpfMap create(MapDefinition definition) {
        return LpmTrieMap.create(definition);
    }
}

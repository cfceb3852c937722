package org.ebpfosgi.maps;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapTypeProvider;
import org.ebpfosgi.maps.internal.QueueStackMap;
import org.osgi.service.component.annotations.Component;

/** Provides {@code stack} maps (Linux map type 23). */
@Component(service = MapTypeProvider.class, property = {"ebpf.map.type:Integer=23", "ebpf.map.type.name=stack"})
public final class StackMapProvider implements MapTypeProvider {
    @Override
    public int type() {
        return 23;
    }

    @Override
    public String name() {
        return "stack";
    }

    @Override
    public EbpfMap create(MapDefinition definition) {
        return QueueStackMap.create(definition, true);
    }
}

package org.ebpfosgi.maps;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapTypeProvider;
import org.ebpfosgi.maps.internal.QueueStackMap;
import org.osgi.service.component.annotations.Component;

/** Provides {@code queue} maps (Linux map type 22). */
@Component(service = MapTypeProvider.class, property = {"ebpf.map.type:Integer=22", "ebpf.map.type.name=queue"})
public final class QueueMapProvider implements MapTypeProvider {
    @Override
    public int type() {
        return 22;
    }

    @Override
    public String name() {
        return "queue";
    }

    @Override
    public EbpfMap create(MapDefinition definition) {
        return QueueStackMap.create(definition, false);
    }
}

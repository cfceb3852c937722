package org.ebpfosgi.maps;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapTypeProvider;
import org.ebpfosgi.maps.internal.ProgramArray;
import org.osgi.service.component.annotations.Component;

/** Provides {@code prog_array} maps (Linux map type 3). */
@Component(service = MapTypeProvider.class, property = {"ebpf.map.type:Integer=3", "ebpf.map.type.name=prog_array"})
public final class ProgramArrayProvider implements MapTypeProvider {
    @Override
    public int type() {
        return 3;
    }

    @Override
    public String name() {
        return "prog_array";
    }

    @Override
    public EbpfMap create(MapDefinition definition) {
        return ProgramArray.create(definition);
    }
}

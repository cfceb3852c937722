package org.ebpfosgi.maps;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapTypeProvider;
import org.ebpfosgi.maps.internal.RingBuffer;
import org.osgi.service.component.annotations.Component;

/** Provides {@code ringbuf} maps (Linux map type 27). */
@Component(service = MapTypeProvider.class, property = {"ebpf.map.type:Integer=27", "ebpf.map.type.name=ringbuf"})
public final class RingBufferProvider implements MapTypeProvider {
    @Override
    public int type() {
        return 27;
    }

    @Override
    public String name() {
        return "ringbuf";
    }

    @Override
    public EbpfMap create(MapDefinition definition) {
        return RingBuffer.create(definition);
    }
}

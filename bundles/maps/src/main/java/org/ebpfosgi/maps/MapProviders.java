package org.ebpfosgi.maps;

import java.util.List;
import java.util.Optional;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.map.MapTypeProvider;

/** Every map type of this bundle, for code that runs without an OSGi framework (tools, tests). */
public final class MapProviders {
    private static final List<MapTypeProvider> ALL = List.of(new HashMapProvider(), new ArrayMapProvider(),
            new ProgramArrayProvider(), new PerCpuHashMapProvider(), new PerCpuArrayMapProvider(),
            new LruHashMapProvider(), new LruPerCpuHashMapProvider(), new LpmTrieMapProvider(),
            new ArrayOfMapsProvider(), new HashOfMapsProvider(), new DevMapProvider(), new QueueMapProvider(),
            new StackMapProvider(), new DevMapHashProvider(), new RingBufferProvider());

    private MapProviders() { }

    public static List<MapTypeProvider> all() {
        return ALL;
    }

    public static Optional<MapTypeProvider> forType(int type) {
        return ALL.stream().filter(p -> p.type() == type).findFirst();
    }

    /** Creates a map of the definition's type; EINVAL if no provider here has that type. */
    public static EbpfMap create(MapDefinition definition) {
        return forType(definition.type())
                .orElseThrow(() -> new MapException(MapException.EINVAL, "map '" + definition.name()
                        + "': map type " + definition.type() + " is not provided"))
                .create(definition);
    }
}

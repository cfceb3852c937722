package org.ebpfosgi.maps.internal;

import static org.ebpfosgi.maps.internal.MapTypes.F_NUMA_NODE;

import org.ebpfosgi.api.map.MapDefinition;

/** The checks Linux's {@code dev_map_alloc} makes for both device map types. */
final class DevMaps {
    private DevMaps() { }

    static void validate(MapDefinition d) {
        if (d.maxEntries() == 0 || d.keySize() != 4 || (d.valueSize() != 4 && d.valueSize() != 8)) {
            throw Definitions.invalid(d, "device maps need max_entries > 0, key_size 4 and value_size 4"
                    + " (ifindex) or 8 (ifindex and program)");
        }
        Definitions.checkFlags(d, F_NUMA_NODE | Definitions.accessFlags());
    }
}

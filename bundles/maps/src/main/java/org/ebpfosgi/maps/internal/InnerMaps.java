package org.ebpfosgi.maps.internal;

import static org.ebpfosgi.api.map.MapException.EBADF;
import static org.ebpfosgi.api.map.MapException.EINVAL;
import static org.ebpfosgi.maps.internal.MapTypes.F_INNER_MAP;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.map.MapOfMaps;

/** The inner-map template rules of Linux's {@code bpf_map_meta_alloc} and {@code bpf_map_meta_equal}. */
final class InnerMaps {
    private InnerMaps() { }

    static void checkOuter(MapDefinition d) {
        if (d.valueSize() != 4) {
            throw Definitions.invalid(d, "maps of maps have value_size 4 (an inner map fd or id)");
        }
        MapDefinition inner = d.innerMap();
        if (inner == null) {
            throw new MapException(EBADF, "map '" + d.name() + "' (" + d + "): no inner map template");
        }
        if (inner.type() == MapTypes.ARRAY_OF_MAPS || inner.type() == MapTypes.HASH_OF_MAPS) {
            throw Definitions.invalid(d, "maps of maps cannot nest more than one level");
        }
        if (inner.type() == MapTypes.PROG_ARRAY) {
            throw Definitions.invalid(d, "a prog_array cannot be an inner map");
        }
    }

    /** Whether {@code map} fits {@code template}: Linux compares type, sizes and flags (and max_entries for arrays). */
    static void checkInner(String outer, MapDefinition template, EbpfMap map) {
        if (map instanceof MapOfMaps) {
            throw new MapException(EINVAL, "map '" + outer + "': maps of maps cannot nest more than one level");
        }
        MapDefinition d = map.definition();
        boolean arrays = template.type() == MapTypes.ARRAY || template.type() == MapTypes.PERCPU_ARRAY;
        boolean sizeMatters = arrays && (template.flags() & F_INNER_MAP) == 0;
        if (d.type() != template.type() || d.keySize() != template.keySize() || d.valueSize() != template.valueSize()
                || d.flags() != template.flags() || (sizeMatters && d.maxEntries() != template.maxEntries())) {
            throw new MapException(EINVAL, "map '" + outer + "': inner map " + d + " does not match the template "
                    + template + (sizeMatters ? " (max_entries must match unless BPF_F_INNER_MAP)" : ""));
        }
    }
}

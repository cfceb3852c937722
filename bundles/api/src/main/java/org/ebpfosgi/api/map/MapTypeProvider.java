package org.ebpfosgi.api.map;

/**
 * Creates maps of one Linux map type; registered as a service, so a bundle can add a map type.
 */
public interface MapTypeProvider {
    /** Linux {@code enum bpf_map_type} number. */
    int type();

    /** bpftool's name for the type, e.g. {@code hash}, {@code lru_percpu_hash}. */
    String name();

    /** A new, empty map; throws {@link MapException} (EINVAL, E2BIG) for a definition the type cannot take. */
    EbpfMap create(MapDefinition definition);
}

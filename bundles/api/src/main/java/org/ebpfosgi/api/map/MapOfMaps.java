package org.ebpfosgi.api.map;

/**
 * An {@code array_of_maps} or {@code hash_of_maps}. Inner maps must match the inner template of the
 * definition ({@link MapDefinition#innerMap()}): same type, key size, value size and flags, and for
 * array inner maps the same max_entries unless the template has {@code BPF_F_INNER_MAP}; EINVAL
 * otherwise. A program's {@code bpf_map_lookup_elem} yields an inner map, not memory: helpers call
 * {@link #innerMap}; {@link #lookupRegion} is always null. The byte-based {@link #update}/
 * {@link #lookup} work with 4-byte map ids once {@link #setIdResolver} gave the map a resolver.
 */
public interface MapOfMaps extends EbpfMap {
    /** The inner map at {@code key}, or null. */
    EbpfMap innerMap(byte[] key);

    /** Puts {@code map} at {@code key} with Linux's update flags (array of maps: {@link #ANY} only). */
    void setInnerMap(byte[] key, EbpfMap map, long flags);

    /** Lets byte-based update/lookup translate map ids. */
    void setIdResolver(ObjectIds<EbpfMap> ids);
}

package org.ebpfosgi.api.map;

import java.util.Objects;

/**
 * A map as an object declares it (BTF-defined {@code .maps}, the legacy {@code maps} section, or
 * global data). Type numbers follow Linux's {@code enum bpf_map_type}.
 */
public final class MapDefinition {
    /** {@code LIBBPF_PIN_NONE} / {@code LIBBPF_PIN_BY_NAME}. */
    public enum Pinning { NONE, BY_NAME }

    private final String name;
    private final int type;
    private final int keySize;
    private final int valueSize;
    private final int maxEntries;
    private final int flags;
    private final Pinning pinning;
    private final MapDefinition innerMap;

    public MapDefinition(String name, int type, int keySize, int valueSize, int maxEntries, int flags,
                         Pinning pinning, MapDefinition innerMap) {
        this.name = Objects.requireNonNull(name);
        this.type = type;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.maxEntries = maxEntries;
        this.flags = flags;
        this.pinning = Objects.requireNonNull(pinning);
        this.innerMap = innerMap;
    }

    public static MapDefinition of(String name, int type, int keySize, int valueSize, int maxEntries) {
        return new MapDefinition(name, type, keySize, valueSize, maxEntries, 0, Pinning.NONE, null);
    }

    public String name() { return name; }
    public int type() { return type; }
    public int keySize() { return keySize; }
    public int valueSize() { return valueSize; }
    public int maxEntries() { return maxEntries; }
    public int flags() { return flags; }
    public Pinning pinning() { return pinning; }
    /** The template of the inner maps of an array/hash of maps, else null. */
    public MapDefinition innerMap() { return innerMap; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MapDefinition)) return false;
        MapDefinition d = (MapDefinition) o;
        return name.equals(d.name) && type == d.type && keySize == d.keySize && valueSize == d.valueSize
                && maxEntries == d.maxEntries && flags == d.flags && pinning == d.pinning
                && Objects.equals(innerMap, d.innerMap);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, keySize, valueSize, maxEntries, flags, pinning, innerMap);
    }

    @Override
    public String toString() {
        return name + ": type " + type + ", key " + keySize + ", value " + valueSize + ", max_entries " + maxEntries
                + (flags != 0 ? ", flags 0x" + Integer.toHexString(flags) : "");
    }
}

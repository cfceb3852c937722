package org.ebpfosgi.runtime.internal;

import java.util.Optional;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.memory.Region;

/**
 * A map as its object declares it, for verifying a program whose map type no bundle provides (the
 * verifier needs only the shape). It never reaches an engine: every operation fails with EOPNOTSUPP.
 */
final class DeclaredMap implements EbpfMap {
    private static final int EOPNOTSUPP = 95;

    private final MapDefinition definition;

    DeclaredMap(MapDefinition definition) {
        this.definition = definition;
    }

    @Override
    public MapDefinition definition() {
        return definition;
    }

    private MapException unsupported() {
        return new MapException(EOPNOTSUPP, "map '" + definition.name() + "' of type " + definition.type()
                + " is only declared, for verification: no registered map type provides it");
    }

    @Override
    public Region lookupRegion(byte[] key) {
        throw unsupported();
    }

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        throw unsupported();
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        throw unsupported();
    }

    @Override
    public void delete(byte[] key) {
        throw unsupported();
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        throw unsupported();
    }
}

package org.ebpfosgi.helpers.core.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.maps.MapProviders;

/** Real maps from the maps bundle, and little-endian keys and values. */
final class TestMaps {
    static final int HASH = 1, ARRAY = 2, PROG_ARRAY = 3, PERCPU_HASH = 5, PERCPU_ARRAY = 6, ARRAY_OF_MAPS = 12,
            HASH_OF_MAPS = 13, QUEUE = 22, STACK = 23, RINGBUF = 27;

    private TestMaps() {
    }

    static EbpfMap create(String name, int type, int keySize, int valueSize, int maxEntries) {
        return MapProviders.create(MapDefinition.of(name, type, keySize, valueSize, maxEntries));
    }

    static EbpfMap createOuter(String name, int type, int maxEntries, MapDefinition inner) {
        return MapProviders.create(new MapDefinition(name, type, 4, 4, maxEntries, 0, MapDefinition.Pinning.NONE, inner));
    }

    static byte[] u32(long v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array();
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static long u64(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}

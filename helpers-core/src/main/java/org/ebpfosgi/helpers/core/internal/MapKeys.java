package org.ebpfosgi.helpers.core.internal;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.memory.Memory;

/** Reading a map's key or value argument out of program memory. */
final class MapKeys {
    private static final byte[] NO_KEY = new byte[0];

    private MapKeys() {
    }

    /** The key_size bytes at {@code address}; maps without keys (queue, stack) take none. */
    static byte[] key(Memory memory, EbpfMap map, long address) {
        int size = map.definition().keySize();
        return size == 0 ? NO_KEY : memory.read(address, size);
    }

    /** The value_size bytes at {@code address}. */
    static byte[] value(Memory memory, EbpfMap map, long address) {
        return memory.read(address, map.definition().valueSize());
    }
}

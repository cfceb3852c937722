package org.ebpfosgi.maps.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Optional;

/** u32 keys and values in the little-endian layout programs use. */
final class Keys {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private Keys() { }

    static long u32(byte[] b, int off) {
        return (int) INT.get(b, off) & 0xFFFF_FFFFL;
    }

    static byte[] u32Bytes(long v) {
        byte[] b = new byte[4];
        INT.set(b, 0, (int) v);
        return b;
    }

    /** Linux's {@code array_map_get_next_key}: index order; a null or out-of-range key restarts at 0. */
    static Optional<byte[]> arrayNextKey(byte[] key, long maxEntries) {
        long i = key == null ? maxEntries : u32(key, 0);
        if (i >= maxEntries) {
            return Optional.of(u32Bytes(0));
        }
        return i == maxEntries - 1 ? Optional.empty() : Optional.of(u32Bytes(i + 1));
    }
}

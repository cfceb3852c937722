package org.ebpfosgi.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.function.Executable;

/** Shared test helpers: definitions, little-endian keys and values, errno assertions. */
final class TestMaps {
    private TestMaps() { }

    static MapDefinition def(int type, int keySize, int valueSize, int maxEntries, int flags) {
        return new MapDefinition("m", type, keySize, valueSize, maxEntries, flags, MapDefinition.Pinning.NONE, null);
    }

    static EbpfMap create(int type, int keySize, int valueSize, int maxEntries, int flags) {
        return MapProviders.create(def(type, keySize, valueSize, maxEntries, flags));
    }

    static EbpfMap create(int type, int keySize, int valueSize, int maxEntries) {
        return create(type, keySize, valueSize, maxEntries, 0);
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

    static long u64(byte[] b, int off) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(off);
    }

    static int u32(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /**
     * Whether {@link Memory#atomic} works on byte arrays on this JDK. Java 23+ dropped atomic access
     * modes from byte-array view VarHandles, which Memory uses; until Memory has another way, atomic
     * tests are skipped there (reported as skipped, not passed).
     */
    static void assumeMemoryAtomics() {
        Memory memory = new Memory();
        long address = memory.map(Region.of(Region.Kind.MAP_VALUE, "probe", new byte[8]));
        boolean supported;
        try {
            memory.atomic(Memory.AtomicOp.ADD, address, 8, 1, 0);
            supported = true;
        } catch (UnsupportedOperationException e) {
            supported = false;
        }
        Assumptions.assumeTrue(supported, "Memory.atomic is unsupported on Java " + Runtime.version().feature()
                + " (byte-array view VarHandles have no atomic access modes since Java 23)");
    }

    static void assertErrno(int errno, Executable action) {
        MapException e = assertThrows(MapException.class, action);
        assertEquals(errno, e.errno(), () -> "errno of: " + e.getMessage());
    }
}

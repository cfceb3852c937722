package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.helpers.core.internal.TestMaps.u32;
import static org.ebpfosgi.helpers.core.internal.TestMaps.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.memory.MemoryAccessException;
import org.junit.jupiter.api.Test;

class ForEachMapElemTest {
    private static final long CALLBACK = 0x9_0000_0100L;
    private final RunContext run = new RunContext();
    private final ForEachMapElem forEach = new ForEachMapElem();

    @Test
    void visitsEveryElementWithMapKeyValueAndContext() {
        EbpfMap hash = TestMaps.create("h", TestMaps.HASH, 4, 8, 16);
        for (int k = 1; k <= 5; k++) {
            hash.update(u32(k), u64(k * 10), EbpfMap.ANY);
        }
        long handle = run.memory.mapHandle(hash);
        long ctx = run.stack(new byte[8]);
        Map<Long, Long> seen = new HashMap<>();
        run.subprogram = (address, map, key, value, context, r5) -> {
            assertEquals(CALLBACK, address);
            assertEquals(handle, map);
            assertEquals(ctx, context);
            long k = run.memory.load(key, 4);
            seen.put(k, run.memory.load(value, 8));
            run.memory.store(value, 8, k * 11);
            run.memory.store(context, 8, run.memory.load(context, 8) + 1);
            return 0;
        };
        assertEquals(5, forEach.call(run, handle, CALLBACK, ctx, 0, 0));
        assertEquals(Map.of(1L, 10L, 2L, 20L, 3L, 30L, 4L, 40L, 5L, 50L), seen);
        assertEquals(5, run.memory.load(ctx, 8));
        assertEquals(33, u64(hash.lookup(u32(3)).orElseThrow()), "values are live");
    }

    @Test
    void stopsOnNonzeroAndCountsThatCall() {
        EbpfMap array = TestMaps.create("a", TestMaps.ARRAY, 4, 8, 10);
        run.subprogram = (address, map, key, value, context, r5) -> run.memory.load(key, 4) == 3 ? 1 : 0;
        assertEquals(4, forEach.call(run, run.memory.mapHandle(array), CALLBACK, 0, 0, 0), "keys 0..3 of an array");
    }

    @Test
    void theCallbackMayDeleteElements() {
        EbpfMap hash = TestMaps.create("h", TestMaps.HASH, 4, 8, 16);
        for (int k = 0; k < 8; k++) {
            hash.update(u32(k), u64(k), EbpfMap.ANY);
        }
        long handle = run.memory.mapHandle(hash);
        MapDeleteElem delete = new MapDeleteElem();
        run.subprogram = (address, map, key, value, context, r5) -> {
            assertEquals(0, delete.call(run, map, key, 0, 0, 0));
            return 0;
        };
        assertEquals(8, forEach.call(run, handle, CALLBACK, 0, 0, 0));
        assertTrue(hash.nextKey(null).isEmpty());
    }

    @Test
    void keysAreReadOnly() {
        EbpfMap array = TestMaps.create("a", TestMaps.ARRAY, 4, 8, 1);
        run.subprogram = (address, map, key, value, context, r5) -> {
            run.memory.store(key, 4, 7);
            return 0;
        };
        assertThrows(MemoryAccessException.class, () -> forEach.call(run, run.memory.mapHandle(array), CALLBACK, 0, 0, 0));
    }

    @Test
    void flagsMustBeZeroAndEmptyMapsCallNothing() {
        EbpfMap hash = TestMaps.create("h", TestMaps.HASH, 4, 8, 4);
        long handle = run.memory.mapHandle(hash);
        assertEquals(-Errno.EINVAL, forEach.call(run, handle, CALLBACK, 0, 1, 0));
        assertEquals(0, forEach.call(run, handle, CALLBACK, 0, 0, 0));
    }
}

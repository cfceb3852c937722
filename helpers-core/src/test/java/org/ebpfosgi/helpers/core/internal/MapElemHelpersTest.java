package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.helpers.core.internal.TestMaps.u32;
import static org.ebpfosgi.helpers.core.internal.TestMaps.u64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapOfMaps;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.MemoryAccessException;
import org.junit.jupiter.api.Test;

/** lookup, update, delete and lookup_and_delete on real maps. */
class MapElemHelpersTest {
    private final RunContext run = new RunContext();
    private final MapLookupElem lookup = new MapLookupElem();
    private final MapUpdateElem update = new MapUpdateElem();
    private final MapDeleteElem delete = new MapDeleteElem();
    private final MapLookupAndDeleteElem lookupAndDelete = new MapLookupAndDeleteElem();

    private final EbpfMap hash = TestMaps.create("counts", TestMaps.HASH, 4, 8, 2);
    private final long hashHandle = run.memory.mapHandle(hash);

    private long key(long k) {
        return run.stack(u32(k));
    }

    private long value(long v) {
        return run.stack(u64(v));
    }

    @Test
    void lookupReturnsTheLiveValueOrNull() {
        assertEquals(0, lookup.call(run, hashHandle, key(7), 0, 0, 0));
        hash.update(u32(7), u64(100), EbpfMap.ANY);
        long pointer = lookup.call(run, hashHandle, key(7), 0, 0, 0);
        assertNotEquals(0, pointer);
        assertEquals(100, run.memory.load(pointer, 8));
        run.memory.store(pointer, 8, 101);
        assertEquals(101, u64(hash.lookup(u32(7)).orElseThrow()), "writes through the pointer change the map");
        assertThrows(MemoryAccessException.class, () -> run.memory.load(pointer + 8, 1), "the pointer covers the value only");
    }

    @Test
    void repeatedLookupsOfOneValueShareOnePointerAndNeverExhaustMemory() {
        hash.update(u32(7), u64(5), EbpfMap.ANY);
        long key = key(7);
        long first = lookup.call(run, hashHandle, key, 0, 0, 0);
        // As in Linux, the same element yields the same pointer; a loop of lookups stays within Memory's table.
        for (int i = 0; i < Memory.MAX_ENTRIES + 10; i++) {
            assertEquals(first, lookup.call(run, hashHandle, key, 0, 0, 0));
        }
        hash.update(u32(7), u64(6), EbpfMap.ANY);
        long replaced = lookup.call(run, hashHandle, key, 0, 0, 0);
        assertNotEquals(first, replaced, "an update replaces the element (as Linux's hash maps do)");
        assertEquals(6, run.memory.load(replaced, 8));
        assertEquals(5, run.memory.load(first, 8), "the old pointer still addresses the old element");
        hash.delete(u32(7));
        assertEquals(5, run.memory.load(first, 8), "a deleted element stays readable through a held pointer");
        assertEquals(0, lookup.call(run, hashHandle, key, 0, 0, 0));
    }

    @Test
    void updateReturnsLinuxErrnos() {
        assertEquals(0, update.call(run, hashHandle, key(1), value(10), EbpfMap.ANY, 0));
        assertEquals(-Errno.EEXIST, update.call(run, hashHandle, key(1), value(11), EbpfMap.NOEXIST, 0));
        assertEquals(-Errno.ENOENT, update.call(run, hashHandle, key(2), value(20), EbpfMap.EXIST, 0));
        assertEquals(0, update.call(run, hashHandle, key(1), value(12), EbpfMap.EXIST, 0));
        assertEquals(0, update.call(run, hashHandle, key(2), value(20), EbpfMap.NOEXIST, 0));
        assertEquals(-Errno.E2BIG, update.call(run, hashHandle, key(3), value(30), EbpfMap.ANY, 0), "max_entries 2");
        assertEquals(-Errno.EINVAL, update.call(run, hashHandle, key(1), value(1), 7, 0), "bad flags");
        assertEquals(12, u64(hash.lookup(u32(1)).orElseThrow()));
        assertEquals(20, u64(hash.lookup(u32(2)).orElseThrow()));
    }

    @Test
    void deleteReturnsLinuxErrnos() {
        hash.update(u32(5), u64(50), EbpfMap.ANY);
        assertEquals(0, delete.call(run, hashHandle, key(5), 0, 0, 0));
        assertEquals(-Errno.ENOENT, delete.call(run, hashHandle, key(5), 0, 0, 0));
        EbpfMap array = TestMaps.create("a", TestMaps.ARRAY, 4, 8, 4);
        assertEquals(-Errno.EINVAL, delete.call(run, run.memory.mapHandle(array), key(1), 0, 0, 0));
    }

    @Test
    void arrayLookupAndUpdate() {
        EbpfMap array = TestMaps.create("a", TestMaps.ARRAY, 4, 8, 4);
        long handle = run.memory.mapHandle(array);
        long pointer = lookup.call(run, handle, key(3), 0, 0, 0);
        assertEquals(0, run.memory.load(pointer, 8), "array elements exist, zeroed");
        assertEquals(0, lookup.call(run, handle, key(4), 0, 0, 0), "out of range");
        assertEquals(0, update.call(run, handle, key(3), value(33), EbpfMap.ANY, 0));
        assertEquals(33, run.memory.load(pointer, 8));
        assertEquals(-Errno.E2BIG, update.call(run, handle, key(4), value(1), EbpfMap.ANY, 0));
        assertEquals(-Errno.EEXIST, update.call(run, handle, key(0), value(1), EbpfMap.NOEXIST, 0));
    }

    @Test
    void lookupInAMapOfMapsYieldsAUsableInnerMapHandle() {
        MapDefinition template = MapDefinition.of("inner", TestMaps.HASH, 4, 8, 8);
        MapOfMaps outer = (MapOfMaps) TestMaps.createOuter("outer", TestMaps.ARRAY_OF_MAPS, 2, template);
        EbpfMap inner = TestMaps.create("inner", TestMaps.HASH, 4, 8, 8);
        outer.setInnerMap(u32(1), inner, EbpfMap.ANY);
        long outerHandle = run.memory.mapHandle(outer);
        assertEquals(0, lookup.call(run, outerHandle, key(0), 0, 0, 0), "empty slot");
        long innerHandle = lookup.call(run, outerHandle, key(1), 0, 0, 0);
        assertSame(inner, run.memory.handle(innerHandle, EbpfMap.class));
        assertEquals(0, update.call(run, innerHandle, key(9), value(99), EbpfMap.ANY, 0));
        assertEquals(99, u64(inner.lookup(u32(9)).orElseThrow()));
        long key = key(1);
        long first = lookup.call(run, outerHandle, key, 0, 0, 0);
        assertSame(inner, run.memory.handle(first, EbpfMap.class));
        for (int i = 0; i < Memory.MAX_ENTRIES + 10; i++) {
            assertEquals(first, lookup.call(run, outerHandle, key, 0, 0, 0), "a loop over an inner map stays bounded");
        }
    }

    @Test
    void lookupAndDeleteTakesAPrivateCopy() {
        hash.update(u32(4), u64(44), EbpfMap.ANY);
        long copy = lookupAndDelete.call(run, hashHandle, key(4), 0, 0, 0);
        assertEquals(44, run.memory.load(copy, 8));
        assertTrue(hash.lookup(u32(4)).isEmpty());
        run.memory.store(copy, 8, 45);
        assertTrue(hash.lookup(u32(4)).isEmpty(), "the copy is not in the map");
        assertEquals(0, lookupAndDelete.call(run, hashHandle, key(4), 0, 0, 0));

        EbpfMap array = TestMaps.create("a", TestMaps.ARRAY, 4, 8, 4);
        assertEquals(0, lookupAndDelete.call(run, run.memory.mapHandle(array), key(1), 0, 0, 0), "arrays cannot delete");

        EbpfMap queue = TestMaps.create("q", TestMaps.QUEUE, 0, 8, 4);
        queue.update(null, u64(1), EbpfMap.ANY);
        queue.update(null, u64(2), EbpfMap.ANY);
        long popped = lookupAndDelete.call(run, run.memory.mapHandle(queue), 0, 0, 0, 0);
        assertEquals(1, run.memory.load(popped, 8));
        assertArrayEquals(u64(2), queue.lookup(null).orElseThrow());
    }

    @Test
    void badArgumentsFailTheRun() {
        assertThrows(MemoryAccessException.class, () -> lookup.call(run, 0, key(1), 0, 0, 0), "NULL map");
        assertThrows(MemoryAccessException.class, () -> lookup.call(run, key(1), key(1), 0, 0, 0), "memory as map");
        assertThrows(MemoryAccessException.class, () -> lookup.call(run, hashHandle, 0, 0, 0, 0), "NULL key");
        assertThrows(MemoryAccessException.class, () -> lookup.call(run, hashHandle, run.stack(new byte[3]), 0, 0, 0), "short key");
        assertThrows(MemoryAccessException.class, () -> update.call(run, hashHandle, key(1), run.stack(new byte[4]), 0, 0), "short value");
        assertThrows(MemoryAccessException.class, () -> delete.call(run, hashHandle + 8, key(1), 0, 0, 0), "offset handle");
    }
}

package org.ebpfosgi.api.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryTest {
    @Test
    void loadsAndStoresAreLittleEndianAndZeroExtended() {
        Memory m = new Memory();
        long p = m.map(Region.of(Region.Kind.STACK, "s", new byte[16]));
        m.store(p, 8, 0x8877665544332211L);
        assertEquals(0x11L, m.load(p, 1));
        assertEquals(0x2211L, m.load(p, 2));
        assertEquals(0x44332211L, m.load(p, 4));
        assertEquals(0x8877665544332211L, m.load(p, 8));
        assertEquals(0x88L, m.load(p + 7, 1), "no sign extension");
        m.store(p + 8, 4, -1);
        assertEquals(0xFFFF_FFFFL, m.load(p + 8, 4));
    }

    @Test
    void everyAccessOutsideARegionFails() {
        Memory m = new Memory();
        long p = m.map(Region.of(Region.Kind.STACK, "s", new byte[16]));
        assertThrows(MemoryAccessException.class, () -> m.load(p + 9, 8), "crosses the end");
        assertThrows(MemoryAccessException.class, () -> m.load(p - 1, 1), "before the start");
        assertThrows(MemoryAccessException.class, () -> m.load(0, 1), "NULL");
        assertThrows(MemoryAccessException.class, () -> m.load(42, 4), "a small number");
        assertThrows(MemoryAccessException.class, () -> m.load(p + (5L << 32), 1), "an unknown tag");
        MemoryAccessException e = assertThrows(MemoryAccessException.class, () -> m.store(p + 16, 1, 0));
        assertTrue(e.getMessage().contains("outside stack 's'"), e.getMessage());
    }

    @Test
    void windowsAndReadOnlyRegionsAreEnforced() {
        byte[] backing = new byte[32];
        Memory m = new Memory();
        long w = m.map(Region.of(Region.Kind.MAP_VALUE, "v", backing, 8, 8, true));
        long ro = m.map(Region.of(Region.Kind.GLOBAL_DATA, ".rodata", backing, 0, 8, false));
        m.store(w, 8, -1L);
        assertEquals(-1L, m.load(w, 8));
        assertEquals(0, backing[7]);
        assertEquals((byte) 0xFF, backing[8]);
        assertThrows(MemoryAccessException.class, () -> m.load(w + 8, 1));
        assertThrows(MemoryAccessException.class, () -> m.store(ro, 1, 1));
        assertEquals(0, m.load(ro, 8));
    }

    @Test
    void resetDropsRunEntriesButKeepsPersistentOnes() {
        Memory m = new Memory();
        Object map = new Object();
        long handle = m.mapHandle(map);
        m.markPersistent();
        long p = m.map(Region.of(Region.Kind.STACK, "s", new byte[8]));
        m.reset();
        assertThrows(MemoryAccessException.class, () -> m.load(p, 1));
        assertEquals(map, m.handle(handle, Object.class));
        assertThrows(MemoryAccessException.class, () -> m.handle(handle + 1, Object.class), "offset into a handle");
        assertThrows(MemoryAccessException.class, () -> m.load(handle, 1), "a handle is not memory");
        assertNull(m.entry(0));
    }

    @Test
    void pointerFieldsOfAContextLoadAsFullPointers() {
        Memory m = new Memory();
        long packet = m.map(Region.of(Region.Kind.PACKET, "frame", new byte[64]));
        long ctx = m.map(Region.of(Region.Kind.CONTEXT, "xdp_md", new byte[24]));
        m.setPointerField(ctx, packet);
        m.setPointerField(ctx + 4, packet + 64);
        assertEquals(packet, m.load(ctx, 4));
        assertEquals(packet + 64, m.load(ctx + 4, 4));
        assertEquals(0, m.load(ctx + 8, 4));
    }

    @Test
    void atomicsReturnTheOldValueAndRespectWidth() {
        Memory m = new Memory();
        long p = m.map(Region.of(Region.Kind.STACK, "s", new byte[16]));
        m.store(p, 8, 5);
        assertEquals(5, m.atomic(Memory.AtomicOp.ADD, p, 8, 3, 0));
        assertEquals(8, m.load(p, 8));
        assertEquals(8, m.atomic(Memory.AtomicOp.CMPXCHG, p, 8, 100, 7), "failed compare leaves the value");
        assertEquals(8, m.atomic(Memory.AtomicOp.CMPXCHG, p, 8, 100, 8));
        assertEquals(100, m.load(p, 8));
        m.store(p + 8, 4, 0xFFFF_FFFFL);
        assertEquals(0xFFFF_FFFFL, m.atomic(Memory.AtomicOp.ADD, p + 8, 4, 1, 0), "32-bit old value zero-extended");
        assertEquals(0, m.load(p + 8, 4), "32-bit add wraps");
        assertEquals(0, m.load(p + 12, 4), "and does not carry into the next word");
        assertEquals(0, m.atomic(Memory.AtomicOp.XCHG, p + 8, 4, 0x1234, 0));
        assertEquals(0x1234, m.atomic(Memory.AtomicOp.OR, p + 8, 4, 0xF0000, 0));
        assertEquals(0xF1234, m.atomic(Memory.AtomicOp.AND, p + 8, 4, 0xFF, 0));
        assertEquals(0x34, m.atomic(Memory.AtomicOp.XOR, p + 8, 4, 0xFF, 0));
        assertEquals(0xCB, m.load(p + 8, 4));
        assertThrows(MemoryAccessException.class, () -> m.atomic(Memory.AtomicOp.ADD, p + 4, 8, 1, 0), "misaligned");
    }

    @Test
    void concurrentAtomicAddsAreExact() throws InterruptedException {
        byte[] shared = new byte[8];
        int threads = 4;
        int perThread = 50_000;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                Memory m = new Memory();
                long p = m.map(Region.of(Region.Kind.MAP_VALUE, "counter", shared));
                for (int k = 0; k < perThread; k++) {
                    m.atomic(Memory.AtomicOp.ADD, p, 8, 1, 0);
                }
            });
            workers.add(thread);
            thread.start();
        }
        for (Thread thread : workers) {
            thread.join();
        }
        Memory m = new Memory();
        long p = m.map(Region.of(Region.Kind.MAP_VALUE, "counter", shared));
        assertEquals((long) threads * perThread, m.load(p, 8));
        assertArrayEquals(m.read(p, 8), shared);
    }

    @Test
    void mappingARegionAgainInARunReturnsItsAddress() {
        Memory m = new Memory();
        Region global = Region.of(Region.Kind.GLOBAL_DATA, "data", new byte[8]);
        long globalAddress = m.map(global);
        m.markPersistent();
        assertEquals(globalAddress, m.map(global), "a persistent region keeps its address");
        Region value = Region.of(Region.Kind.MAP_VALUE, "v", new byte[8]);
        Region sameWindow = Region.of(Region.Kind.MAP_VALUE, "v", value.bytes());
        long p = m.map(value);
        assertEquals(p, m.map(value), "same region, same run");
        long q = m.map(sameWindow);
        assertNotEquals(p, q, "an equal window is another region");
        assertSame(global, m.entry(m.map(global)), "mapped again, maybe at another address");
        m.reset();
        assertThrows(MemoryAccessException.class, () -> m.load(p, 1), "the run's addresses are gone");
        long again = m.map(value);
        assertSame(value, m.entry(again));
        m.store(again, 8, 7);
        assertEquals(7, m.load(m.map(sameWindow), 8), "both regions alias the same bytes");
    }

    @Test
    void aStaleRecentSlotNeverYieldsAnotherRegion() {
        Memory m = new Memory();
        Region first = Region.of(Region.Kind.MAP_VALUE, "first", new byte[8]);
        long p = m.map(first);
        m.reset();
        Region second = Region.of(Region.Kind.MAP_VALUE, "second", new byte[8]);
        assertEquals(p, m.map(second), "the tag is reused after reset");
        long again = m.map(first);
        assertNotEquals(p, again);
        assertSame(first, m.entry(again));
        assertSame(second, m.entry(p));
    }

    /** Against a reference model: every address resolves to the region it was mapped for, whatever the slots. */
    @Test
    void everyAddressResolvesToItsRegionAcrossRuns() {
        Memory m = new Memory();
        java.util.Random random = new java.util.Random(42);
        Region[] regions = new Region[700];
        for (int i = 0; i < regions.length; i++) {
            regions[i] = Region.of(Region.Kind.MAP_VALUE, "r" + i, new byte[8]);
        }
        for (int run = 0; run < 20; run++) {
            java.util.Map<Region, Long> model = new java.util.IdentityHashMap<>();
            for (int call = 0; call < 2000; call++) {
                Region r = regions[random.nextInt(regions.length)];
                long address = m.map(r);
                assertSame(r, m.entry(address));
                Long earlier = model.putIfAbsent(r, address);
                if (earlier != null) {
                    assertSame(r, m.entry(earlier), "an earlier address of the run stays valid");
                }
            }
            for (java.util.Map.Entry<Region, Long> e : model.entrySet()) {
                assertSame(e.getKey(), m.entry(e.getValue()));
            }
            m.reset();
        }
    }

    @Test
    void aLoopMappingTheSameValueNeverRunsOutOfEntries() {
        Memory m = new Memory();
        Region value = Region.of(Region.Kind.MAP_VALUE, "v", new byte[8]);
        long first = m.map(value);
        for (int i = 0; i < Memory.MAX_ENTRIES + 10; i++) {
            assertEquals(first, m.map(value));
        }
        assertThrows(NullPointerException.class, () -> m.map(null));
        Object map = new Object();
        long handle = m.mapHandle(map);
        for (int i = 0; i < Memory.MAX_ENTRIES + 10; i++) {
            assertEquals(handle, m.mapHandle(map), "an inner map looked up in a loop");
        }
        assertSame(map, m.handle(handle, Object.class));
        long none = m.mapHandle(null);
        assertNotEquals(0, none, "a null handle is not NULL");
        assertNull(m.entry(none));
    }
}

package org.ebpfosgi.runtime.e2e;

import static org.ebpfosgi.runtime.e2e.SampleRuntime.le64;
import static org.ebpfosgi.runtime.e2e.SampleRuntime.program;
import static org.ebpfosgi.runtime.e2e.SampleRuntime.run;
import static org.ebpfosgi.runtime.e2e.SampleRuntime.u32;
import static org.ebpfosgi.runtime.e2e.SampleRuntime.u64;
import static org.ebpfosgi.runtime.e2e.SampleRuntime.value64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ebpfosgi.api.map.Cpus;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapOfMaps;
import org.ebpfosgi.api.map.PerCpuMap;
import org.ebpfosgi.api.runtime.Program;
import org.junit.jupiter.api.Test;

/** Every map type, used by real compiled programs and read back from Java. */
class MapSamplesTest {
    private static final long ENOENT = -2;

    private final SampleRuntime rt = new SampleRuntime();

    /** The sum of a per-CPU value over every CPU, as Java sees it. */
    private static long perCpuSum(EbpfMap map, byte[] key) {
        byte[] all = map.lookup(key).orElseThrow();
        int stride = ((PerCpuMap) map).valueStride();
        assertEquals(Cpus.count() * stride, all.length, "a per-CPU lookup holds one value per CPU");
        long sum = 0;
        for (int cpu = 0; cpu < Cpus.count(); cpu++) {
            sum += le64(all, cpu * stride);
        }
        return sum;
    }

    @Test
    void hashCountsWithAtomicAddAndDeletes() {
        List<Program> programs = rt.load("map_types");
        Program count = program(programs, "count_hash");
        Program delete = program(programs, "delete_hash");
        assertEquals(1, run(count, u32(5)));
        assertEquals(2, run(count, u32(5)));
        assertEquals(1, run(count, u32(6)));
        assertEquals(3, run(count, u32(5)));
        EbpfMap hash = rt.map("hash_counts");
        assertEquals(3, value64(hash, u32(5)));
        assertEquals(1, value64(hash, u32(6)));
        assertEquals(0, run(delete, u32(6)));
        assertEquals(ENOENT, run(delete, u32(6)));
        assertFalse(hash.lookup(u32(6)).isPresent());
        // Java writes, the program sees it.
        hash.update(u32(9), u64(41), EbpfMap.ANY);
        assertEquals(42, run(count, u32(9)));
        // Too short a packet: the program's own bounds check answers XDP_ABORTED (0).
        assertEquals(0, run(count, new byte[3]));
        assertEquals(6, count.stats().runCount());
        assertEquals(2, delete.stats().runCount());
    }

    @Test
    void arrayCountsAndOutOfRangeKey() {
        Program count = program(rt.load("map_types"), "count_array");
        assertEquals(1, run(count, u32(3)));
        assertEquals(2, run(count, u32(3)));
        assertEquals(1000, run(count, u32(4)), "index 4 of a 4-entry array has no slot");
        EbpfMap array = rt.map("array_counts");
        assertEquals(2, value64(array, u32(3)));
        assertEquals(0, value64(array, u32(0)));
    }

    @Test
    void perCpuMapsCountOnTheCallersCpu() {
        List<Program> programs = rt.load("map_types");
        Program hash = program(programs, "count_percpu_hash");
        Program array = program(programs, "count_percpu_array");
        for (int i = 1; i <= 3; i++) {
            assertEquals(i, run(hash, u32(11)));
            assertEquals(i, run(array, u32(2)));
        }
        assertEquals(3, perCpuSum(rt.map("percpu_hash_counts"), u32(11)));
        assertEquals(3, perCpuSum(rt.map("percpu_array_counts"), u32(2)));
        assertEquals(0, perCpuSum(rt.map("percpu_array_counts"), u32(1)));
    }

    @Test
    void lruMapsEvictTheLeastRecentlyUsedKey() {
        List<Program> programs = rt.load("map_types");
        for (String name : List.of("count_lru", "count_lru_percpu")) {
            Program count = program(programs, name);
            EbpfMap map = rt.map(name.equals("count_lru") ? "lru_counts" : "lru_percpu_counts");
            assertEquals(1, run(count, u32(1)));
            assertEquals(1, run(count, u32(2)));
            assertEquals(2, run(count, u32(1)), name); // key 1 is now the most recent
            assertEquals(1, run(count, u32(3)), name); // 2 entries max: key 2 goes
            assertTrue(map.lookup(u32(1)).isPresent(), name + " kept the recently used key");
            assertFalse(map.lookup(u32(2)).isPresent(), name + " evicted the least recently used key");
            assertTrue(map.lookup(u32(3)).isPresent(), name);
        }
    }

    @Test
    void lpmTrieFindsTheLongestPrefix() {
        Program lookup = program(rt.load("lpm_queue_stack"), "route_lookup");
        EbpfMap routes = rt.map("routes");
        routes.update(prefix(8, 10, 0, 0, 0), u32(1), EbpfMap.ANY);
        routes.update(prefix(16, 10, 1, 0, 0), u32(2), EbpfMap.ANY);
        routes.update(prefix(24, 10, 1, 2, 0), u32(3), EbpfMap.ANY);
        assertEquals(3, run(lookup, new byte[] {10, 1, 2, 77}));
        assertEquals(2, run(lookup, new byte[] {10, 1, 9, 77}));
        assertEquals(1, run(lookup, new byte[] {10, 9, 9, 9}));
        assertEquals(0, run(lookup, new byte[] {11, 1, 2, 3}));
        routes.delete(prefix(24, 10, 1, 2, 0));
        assertEquals(2, run(lookup, new byte[] {10, 1, 2, 77}));
    }

    private static byte[] prefix(int length, int a, int b, int c, int d) {
        byte[] key = new byte[8];
        System.arraycopy(u32(length), 0, key, 0, 4);
        key[4] = (byte) a;
        key[5] = (byte) b;
        key[6] = (byte) c;
        key[7] = (byte) d;
        return key;
    }

    @Test
    void queueIsFifoStackIsLifoAndBothAreBounded() {
        List<Program> programs = rt.load("lpm_queue_stack");
        Program push = program(programs, "push_both");
        Program pop = program(programs, "pop_both");
        Program peek = program(programs, "peek_queue");
        assertEquals(-1, run(peek, new byte[0]));
        for (int v = 1; v <= 4; v++) {
            assertEquals(0, run(push, u32(v)));
        }
        assertEquals(-7, run(push, u32(5)), "a full queue refuses with E2BIG");
        assertEquals(1, run(peek, new byte[0]));
        assertEquals(1L << 32 | 4, run(pop, new byte[0]));
        assertEquals(2L << 32 | 3, run(pop, new byte[0]));
        // Java sees the queue head through lookup (peek) as well.
        assertEquals(3, SampleRuntime.le32(rt.map("fifo").lookup(new byte[0]).orElseThrow(), 0));
        assertEquals(3L << 32 | 2, run(pop, new byte[0]));
        assertEquals(4L << 32 | 1, run(pop, new byte[0]));
        assertEquals(-1, run(pop, new byte[0]));
    }

    @Test
    void arrayAndHashOfMapsReachTheInnerMapsTheObjectChose() {
        List<Program> programs = rt.load("map_in_map");
        Program viaArray = program(programs, "via_array");
        Program viaHash = program(programs, "via_hash");
        assertEquals(1, run(viaArray, u32(0))); // inner_a
        assertEquals(1, run(viaArray, u32(1))); // inner_b
        assertEquals(11, run(viaHash, u32(3))); // inner_b again, through the hash of maps
        assertEquals(12, run(viaArray, u32(1))); // the same inner_b the hash of maps bumped
        assertEquals(-1, run(viaArray, u32(2)), "index 2 of a 2-entry array of maps");
        assertEquals(-1, run(viaHash, u32(0)), "no inner map at key 0");
        assertEquals(1, value64(rt.map("inner_a"), u32(0)));
        assertEquals(12, value64(rt.map("inner_b"), u32(0)));
        MapOfMaps outerHash = assertInstanceOf(MapOfMaps.class, rt.map("outer_hash"));
        assertSame(rt.map("inner_b"), outerHash.innerMap(u32(3)));
        // Java re-points a slot: the program follows.
        outerHash.setInnerMap(u32(0), rt.map("inner_a"), EbpfMap.ANY);
        assertEquals(11, run(viaHash, u32(0)));
        assertEquals(11, value64(rt.map("inner_a"), u32(0)));
    }

    @Test
    void deviceMapsFilledFromJavaAreReadByThePrograms() {
        Program egress = program(rt.load("devmap"), "egress_of");
        EbpfMap ports = rt.map("ports");
        EbpfMap byId = rt.map("ports_by_id");
        assertEquals(0, run(egress, u32(2)));
        ports.update(u32(2), devmapValue(7), EbpfMap.ANY);
        assertEquals(7, run(egress, u32(2)));
        byId.update(u32(2), devmapValue(9), EbpfMap.ANY);
        assertEquals(9007, run(egress, u32(2)));
        byId.update(u32(5), devmapValue(4), EbpfMap.ANY);
        assertEquals(4000, run(egress, u32(5)));
        byId.delete(u32(5));
        assertEquals(0, run(egress, u32(5)));
        assertNotNull(ports.lookup(u32(2)).orElse(null));
    }

    private static byte[] devmapValue(int ifindex) {
        byte[] value = new byte[8];
        System.arraycopy(u32(ifindex), 0, value, 0, 4);
        return value;
    }
}

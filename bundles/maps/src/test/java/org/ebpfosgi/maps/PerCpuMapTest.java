package org.ebpfosgi.maps;

import static org.ebpfosgi.api.map.EbpfMap.ANY;
import static org.ebpfosgi.api.map.EbpfMap.NOEXIST;
import static org.ebpfosgi.api.map.MapException.E2BIG;
import static org.ebpfosgi.api.map.MapException.EEXIST;
import static org.ebpfosgi.api.map.MapException.EINVAL;
import static org.ebpfosgi.maps.TestMaps.assertErrno;
import static org.ebpfosgi.maps.TestMaps.create;
import static org.ebpfosgi.maps.TestMaps.u32;
import static org.ebpfosgi.maps.TestMaps.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.ebpfosgi.api.map.Cpus;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.PerCpuMap;
import org.ebpfosgi.api.memory.Region;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PerCpuMapTest {
    static final int PERCPU_HASH = 5, PERCPU_ARRAY = 6, LRU_PERCPU_HASH = 10;

    static byte[] key(int type, long k) {
        return type == PERCPU_ARRAY ? u32(k) : u64(k);
    }

    static EbpfMap make(int type, int valueSize, int max) {
        return create(type, type == PERCPU_ARRAY ? 4 : 8, valueSize, max);
    }

    @Test
    void cpusAreStablePerThreadAndInRange() throws Exception {
        int cpu = Cpus.current();
        assertEquals(cpu, Cpus.current());
        assertTrue(cpu >= 0 && cpu < Cpus.count());
        assertEquals(Runtime.getRuntime().availableProcessors(), Cpus.count());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                Future<Integer> f = pool.submit(() -> {
                    int c = Cpus.current();
                    for (int j = 0; j < 100; j++) {
                        assertEquals(c, Cpus.current());
                    }
                    return c;
                });
                seen.add(f.get(10, TimeUnit.SECONDS));
            }
            seen.forEach(c -> assertTrue(c >= 0 && c < Cpus.count()));
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {PERCPU_HASH, PERCPU_ARRAY, LRU_PERCPU_HASH})
    void syscallLayoutIsEveryCpuRoundedUpToEightBytes(int type) {
        PerCpuMap m = (PerCpuMap) make(type, 12, 4);
        int cpus = Cpus.count();
        assertEquals(16, m.valueStride());
        byte[] all = new byte[cpus * 16];
        for (int cpu = 0; cpu < cpus; cpu++) {
            all[cpu * 16] = (byte) (cpu + 1);
            all[cpu * 16 + 11] = (byte) (100 + cpu);
        }
        m.update(key(type, 1), all, ANY);
        byte[] back = m.lookup(key(type, 1)).orElseThrow();
        assertEquals(cpus * 16, back.length);
        for (int cpu = 0; cpu < cpus; cpu++) {
            Region r = m.lookupRegionOnCpu(key(type, 1), cpu);
            assertEquals(12, r.length());
            assertEquals(0, r.base() % 8);
            assertEquals(cpu + 1, r.bytes()[r.base()]);
            assertEquals(100 + cpu, r.bytes()[r.base() + 11]);
            assertEquals(cpu + 1, back[cpu * 16]);
        }
        assertNull(m.lookupRegionOnCpu(key(type, 1), cpus));
        assertNull(m.lookupRegionOnCpu(key(type, 1), -1));
        assertSame(m.lookupRegionOnCpu(key(type, 1), Cpus.current()), m.lookupRegion(key(type, 1)));
        assertErrno(EINVAL, () -> m.update(key(type, 1), new byte[cpus * 16 + 1], ANY));
    }

    @ParameterizedTest
    @ValueSource(ints = {PERCPU_HASH, PERCPU_ARRAY, LRU_PERCPU_HASH})
    void aProgramStyleUpdateSetsOnlyTheCurrentCpu(int type) {
        PerCpuMap m = (PerCpuMap) make(type, 8, 4);
        int me = Cpus.current();
        m.update(key(type, 2), u64(77), ANY);
        byte[] all = m.lookup(key(type, 2)).orElseThrow();
        for (int cpu = 0; cpu < Cpus.count(); cpu++) {
            assertEquals(cpu == me ? 77 : 0, u64(all, cpu * 8), "cpu " + cpu);
        }
        Region mine = m.lookupRegion(key(type, 2));
        m.update(key(type, 2), u64(78), ANY);
        assertEquals(78, u64(java.util.Arrays.copyOfRange(mine.bytes(), mine.base(), mine.base() + 8)),
                "per-CPU values are updated in place, as in Linux");
    }

    @Test
    void regionsOfDifferentCpusAreDistinct() {
        PerCpuMap m = (PerCpuMap) make(PERCPU_HASH, 8, 4);
        m.update(u64(1), new byte[8 * Cpus.count()], ANY);
        if (Cpus.count() > 1) {
            assertNotSame(m.lookupRegionOnCpu(u64(1), 0), m.lookupRegionOnCpu(u64(1), 1));
            assertTrue(m.lookupRegionOnCpu(u64(1), 0).base() != m.lookupRegionOnCpu(u64(1), 1).base());
        }
    }

    @Test
    void hashFlagsAndLimits() {
        EbpfMap m = make(PERCPU_HASH, 8, 1);
        m.update(u64(1), u64(1), NOEXIST);
        assertErrno(EEXIST, () -> m.update(u64(1), u64(1), NOEXIST));
        assertErrno(E2BIG, () -> m.update(u64(2), u64(1), ANY));
        assertErrno(E2BIG, () -> create(PERCPU_HASH, 8, (32 << 10) + 1, 1));
        assertErrno(EINVAL, () -> create(PERCPU_HASH, 8, 8, 1, 1 << 2)); // BPF_F_NUMA_NODE
    }

    @Test
    void lruPerCpuEvicts() {
        EbpfMap m = make(LRU_PERCPU_HASH, 8, 2);
        m.update(u64(1), u64(1), ANY);
        m.update(u64(2), u64(2), ANY);
        m.lookupRegion(u64(1));
        m.update(u64(3), u64(3), ANY);
        assertTrue(m.lookup(u64(2)).isEmpty());
        assertTrue(m.lookup(u64(1)).isPresent());
    }
}

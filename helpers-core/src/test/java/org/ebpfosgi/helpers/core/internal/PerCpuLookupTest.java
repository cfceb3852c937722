package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.helpers.core.internal.TestMaps.u32;
import static org.ebpfosgi.helpers.core.internal.TestMaps.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.ebpfosgi.api.map.Cpus;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.memory.MemoryAccessException;
import org.junit.jupiter.api.Test;

/** map_lookup_percpu_elem, and map_lookup_elem on a per-CPU map, on real per-CPU maps. */
class PerCpuLookupTest {
    private final RunContext run = new RunContext();
    private final MapLookupPercpuElem lookupOnCpu = new MapLookupPercpuElem();

    @Test
    void eachCpuHasItsOwnValue() {
        EbpfMap map = TestMaps.create("pc", TestMaps.PERCPU_ARRAY, 4, 8, 2);
        int cpus = Cpus.count();
        ByteBuffer all = ByteBuffer.allocate(8 * cpus).order(ByteOrder.LITTLE_ENDIAN);
        for (int cpu = 0; cpu < cpus; cpu++) {
            all.putLong(1000 + cpu);
        }
        map.update(u32(1), all.array(), EbpfMap.ANY);
        long handle = run.memory.mapHandle(map);
        long key = run.stack(u32(1));
        for (int cpu = 0; cpu < cpus; cpu++) {
            long pointer = lookupOnCpu.call(run, handle, key, cpu, 0, 0);
            assertEquals(1000 + cpu, run.memory.load(pointer, 8));
        }
        assertEquals(0, lookupOnCpu.call(run, handle, key, cpus, 0, 0), "no such CPU");
        assertEquals(0, lookupOnCpu.call(run, handle, run.stack(u32(2)), 0, 0, 0), "no such key");

        long mine = new MapLookupElem().call(run, handle, key, 0, 0, 0);
        assertEquals(1000 + Cpus.current(), run.memory.load(mine, 8), "plain lookup: this thread's CPU");
        assertEquals(Cpus.current(), new GetSmpProcessorId().call(run, 0, 0, 0, 0, 0));
    }

    @Test
    void onlyPerCpuMapsQualify() {
        long hash = run.memory.mapHandle(TestMaps.create("h", TestMaps.HASH, 4, 8, 2));
        assertThrows(MemoryAccessException.class, () -> lookupOnCpu.call(run, hash, run.stack(u32(1)), 0, 0, 0));
        EbpfMap percpuHash = TestMaps.create("ph", TestMaps.PERCPU_HASH, 4, 8, 2);
        percpuHash.update(u32(3), u64(7), EbpfMap.ANY);
        long pointer = lookupOnCpu.call(run, run.memory.mapHandle(percpuHash), run.stack(u32(3)), Cpus.current(), 0, 0);
        assertEquals(7, run.memory.load(pointer, 8), "a value_size update sets the calling thread's CPU");
    }
}

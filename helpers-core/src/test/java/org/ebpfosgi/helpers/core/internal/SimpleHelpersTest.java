package org.ebpfosgi.helpers.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.ebpfosgi.api.map.Cpus;
import org.junit.jupiter.api.Test;

class SimpleHelpersTest {
    private final RunContext run = new RunContext();

    @Test
    void prandomIsAU32AndVaries() {
        GetPrandomU32 random = new GetPrandomU32();
        Set<Long> seen = new HashSet<>();
        long highBits = 0;
        for (int i = 0; i < 1000; i++) {
            long v = random.call(run, 0, 0, 0, 0, 0);
            assertEquals(0, v >>> 32);
            seen.add(v);
            highBits |= v >>> 31;
        }
        assertTrue(seen.size() > 990, "values repeat: " + seen.size());
        assertEquals(1, highBits, "bit 31 is used");
    }

    @Test
    void numaNodeIsZero() {
        assertEquals(0, new GetNumaNodeId().call(run, 1, 2, 3, 4, 5));
    }

    @Test
    void processorIdIsTheThreadsCpuSlot() throws Exception {
        GetSmpProcessorId cpu = new GetSmpProcessorId();
        long mine = cpu.call(run, 0, 0, 0, 0, 0);
        assertEquals(Cpus.current(), mine);
        assertTrue(mine >= 0 && mine < Cpus.count());
        assertEquals(mine, cpu.call(run, 0, 0, 0, 0, 0));
        AtomicLong other = new AtomicLong(-1);
        Thread thread = new Thread(() -> other.set(cpu.call(new RunContext(), 0, 0, 0, 0, 0)));
        thread.start();
        thread.join();
        assertTrue(other.get() >= 0 && other.get() < Cpus.count());
    }
}

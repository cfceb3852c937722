package org.ebpfosgi.helpers.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopTest {
    private static final long CALLBACK = 0x5_0000_0040L;
    private final Loop loop = new Loop();
    private final RunContext run = new RunContext();
    private final List<Long> indexes = new ArrayList<>();

    @Test
    void callsTheCallbackWithIndexAndContext() {
        long ctx = run.stack(new byte[8]);
        run.subprogram = (address, r1, r2, r3, r4, r5) -> {
            assertEquals(CALLBACK, address);
            assertEquals(ctx, r2);
            assertEquals(0, r3 | r4 | r5);
            indexes.add(r1);
            run.memory.store(r2, 8, run.memory.load(r2, 8) + r1);
            return 0;
        };
        assertEquals(5, loop.call(run, 5, CALLBACK, ctx, 0, 0));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), indexes);
        assertEquals(10, run.memory.load(ctx, 8));
    }

    @Test
    void stopsOnNonzeroAndCountsThatCall() {
        run.subprogram = (address, r1, r2, r3, r4, r5) -> r1 == 3 ? 1 : 0;
        assertEquals(4, loop.call(run, 100, CALLBACK, 0, 0, 0));
        assertEquals(0, loop.call(run, 0, CALLBACK, 0, 0, 0));
    }

    @Test
    void limitsAndFlags() {
        run.subprogram = (address, r1, r2, r3, r4, r5) -> 0;
        assertEquals(-Errno.EINVAL, loop.call(run, 1, CALLBACK, 0, 1, 0));
        assertEquals(-Errno.E2BIG, loop.call(run, (1 << 23) + 1, CALLBACK, 0, 0, 0));
        assertEquals(3, loop.call(run, 0xFFFF_FFFF_0000_0003L, CALLBACK, 0, 0, 0), "nr_loops is a u32");
    }

    @Test
    void runsTheMaximum() {
        long[] calls = {0};
        run.subprogram = (address, r1, r2, r3, r4, r5) -> {
            calls[0]++;
            return 0;
        };
        assertEquals(1 << 23, loop.call(run, 1 << 23, CALLBACK, 0, 0, 0));
        assertEquals(1 << 23, calls[0]);
    }
}

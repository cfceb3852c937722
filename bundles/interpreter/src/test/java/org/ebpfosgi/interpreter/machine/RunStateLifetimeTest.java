package org.ebpfosgi.interpreter.machine;

import static org.ebpfosgi.interpreter.Programs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.ref.WeakReference;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.interpreter.internal.InterpretedProgram;
import org.ebpfosgi.isa.Assembler;
import org.junit.jupiter.api.Test;

/**
 * A program's per-thread run state must not keep the program alive: it sits in the program's
 * {@code ThreadLocal}, and a value that reaches its own {@code ThreadLocal} is never released while
 * the thread lives, so every program a long-lived hook thread ever ran (and unloaded) would stay.
 */
class RunStateLifetimeTest {
    @Test
    void aProgramThatRanOnThisThreadIsCollectedOnceNothingElseHoldsIt() throws InterruptedException {
        WeakReference<InterpretedProgram> ref = runOnce();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (ref.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(ref.get(), "the program is still reachable after it ran on this thread");
    }

    private static WeakReference<InterpretedProgram> runOnce() {
        InterpretedProgram program = new InterpretedProgram(
                ProgramCode.of(ProgramImage.of("lifetime", Assembler.assemble("ldxb %r0, [%r1+1]\nexit"))), Long.MAX_VALUE);
        assertEquals(42L, run(program, new byte[] {0, 42}));
        return new WeakReference<>(program);
    }
}

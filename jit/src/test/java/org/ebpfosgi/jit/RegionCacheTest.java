package org.ebpfosgi.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionEngine;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.interpreter.InterpreterEngine;
import org.ebpfosgi.isa.Assembler;
import org.junit.jupiter.api.Test;

/**
 * The generated code keeps the last region it touched in locals: switching between regions, the
 * stack reached through a copied pointer, read-only windows and windows into a larger array must all
 * behave as on the interpreter.
 */
class RegionCacheTest {
    /** r1 = a read-only 16-byte window at offset 8 of a 32-byte array, r2 = a writable 64-byte region. */
    private static long[] run(ExecutionEngine engine, String asm, byte[] shared, byte[] out) {
        ExecutableProgram p = engine.load(ProgramImage.of("regions", Assembler.assemble(asm)), false);
        Memory m = p.memory();
        long window = m.map(Region.of(Region.Kind.MEMORY, "window", shared, 8, 16, false));
        long writable = m.map(Region.of(Region.Kind.MEMORY, "out", out));
        return new long[] {p.run(m, window, writable, null)};
    }

    private static void sameOnBothEngines(String asm) {
        byte[] shared = new byte[32];
        for (int i = 0; i < shared.length; i++) {
            shared[i] = (byte) (i + 1);
        }
        byte[] outInterpreter = new byte[64];
        byte[] outJit = new byte[64];
        long[] expected = run(new InterpreterEngine(10_000), asm, shared.clone(), outInterpreter);
        long[] actual = run(new JitEngine(10_000), asm, shared.clone(), outJit);
        assertArrayEquals(expected, actual);
        assertArrayEquals(outInterpreter, outJit);
    }

    @Test
    void alternatingBetweenTwoRegionsAndTheStack() {
        // Copy the 16-byte window to out[] twice, through a stack slot reached by a copied r10.
        sameOnBothEngines(String.join("\n",
                "mov %r0, 0", "mov %r3, 0", "mov %r6, %r10", "add %r6, -8",
                "loop:",
                "mov %r4, %r1", "add %r4, %r3", "ldxb %r5, [%r4+0]",
                "stxb [%r6+0], %r5", "ldxb %r5, [%r6+0]",
                "mov %r4, %r2", "add %r4, %r3", "stxb [%r4+0], %r5", "stxb [%r4+16], %r5",
                "add %r0, %r5", "add %r3, 1", "jlt %r3, 16, loop",
                "exit"));
    }

    @Test
    void theWindowStartsAtItsOwnOffsetAndEndsAtItsLength() {
        byte[] shared = new byte[32];
        shared[8] = 42;
        byte[] out = new byte[64];
        assertEquals(42, run(new JitEngine(), "ldxb %r0, [%r1+0]\nexit", shared, out)[0], "offset 0 of the window is byte 8");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> run(new JitEngine(), "ldxb %r0, [%r1+0]\nldxb %r0, [%r1+16]\nexit", shared, out));
        assertEquals(1, e.pc(), "byte 16 of a 16-byte window is outside it, though the array goes on");
    }

    @Test
    void aReadOnlyRegionJustReadIsNotWritable() {
        byte[] shared = new byte[32];
        byte[] out = new byte[64];
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> run(new JitEngine(), "ldxb %r0, [%r1+0]\nstxb [%r1+1], %r0\nexit", shared, out));
        assertEquals(1, e.pc());
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        assertEquals(0, shared[9], "nothing was written");
    }

    @Test
    void wordAccessesAtTheEdges() {
        sameOnBothEngines(String.join("\n",
                "ldxdw %r0, [%r1+8]", "ldxw %r3, [%r1+12]", "add %r0, %r3", "ldxh %r3, [%r1+14]", "add %r0, %r3",
                "stxdw [%r2+56], %r0", "stxw [%r2+60], %r3", "sth [%r2+62], 7", "ldxdw %r4, [%r2+56]", "xor %r0, %r4",
                "exit"));
    }
}

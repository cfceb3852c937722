package org.ebpfosgi.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.isa.Assembler;
import org.ebpfosgi.jit.internal.JitCompiler;
import org.ebpfosgi.jit.internal.JitProgram;
import org.junit.jupiter.api.Test;

/** What the JIT adds to the shared machine: budgets, call depth, errors naming instructions, size limits, unloading. */
class JitEngineTest {
    private static ExecutableProgram load(String asm, boolean verified, long budget) {
        return new JitEngine(budget).load(ProgramImage.of("test", Assembler.assemble(asm)), verified);
    }

    private static long run(ExecutableProgram program, byte[] data) {
        Memory m = program.memory();
        long r1 = data.length == 0 ? 0 : m.map(Region.of(Region.Kind.MEMORY, "data", data));
        return program.run(m, r1, data.length, null);
    }

    @Test
    void anUnverifiedEndlessLoopExhaustsItsBudgetAtTheJump() {
        ExecutableProgram p = load("mov %r0, 0\nloop:\nadd %r0, 1\nja loop\nexit", false, 1_000);
        ExecutionException e = assertThrows(ExecutionException.class, () -> run(p, new byte[0]));
        assertEquals(2, e.pc());
        assertTrue(e.getMessage().contains("budget exhausted"), e.getMessage());
    }

    @Test
    void aVerifiedProgramIsNotCharged() {
        // 100,000 backward jumps, a budget of 1,000: verified code carries no budget checks at all.
        ExecutableProgram p = load("mov %r0, 0\nloop:\nadd %r0, 1\njlt %r0, 100000, loop\nexit", true, 1_000);
        assertEquals(100_000, run(p, new byte[0]));
    }

    @Test
    void aBadAccessNamesTheInstructionAndTheRegion() {
        ExecutableProgram p = load("mov %r0, 0\nldxw %r0, [%r1+100]\nexit", false, 1_000);
        ExecutionException e = assertThrows(ExecutionException.class, () -> run(p, new byte[64]));
        assertEquals(1, e.pc());
        assertTrue(e.getMessage().contains("r0 = *(u32 *)(r1 + 0x64)"), e.getMessage());
        assertTrue(e.getMessage().contains("outside memory 'data'"), e.getMessage());
    }

    @Test
    void aStoreToReadOnlyMemoryFails() {
        ExecutableProgram p = load("stw [%r1+0], 7\nmov %r0, 0\nexit", false, 1_000);
        Memory m = p.memory();
        long r1 = m.map(Region.of(Region.Kind.MEMORY, "ro", new byte[8], 0, 8, false));
        ExecutionException e = assertThrows(ExecutionException.class, () -> p.run(m, r1, 8, null));
        assertEquals(0, e.pc());
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
    }

    @Test
    void runawayRecursionStopsAtEightFrames() {
        ExecutableProgram p = load("call local f\nexit\nf:\ncall local f\nexit", false, 1_000);
        ExecutionException e = assertThrows(ExecutionException.class, () -> run(p, new byte[0]));
        assertEquals(2, e.pc());
        assertTrue(e.getMessage().contains("deeper than 8"), e.getMessage());
    }

    @Test
    void eachFrameHasItsOwnStackAndCalleesSeeTheirArguments() {
        String asm = String.join("\n",
                "mov %r1, 20", "mov %r2, 22",
                "stxdw [%r10-8], %r1",
                "call local add", // returns r1 + r2, using its own stack slot at r10-8
                "ldxdw %r3, [%r10-8]", // the caller's slot is untouched
                "add %r0, %r3", "exit",
                "add:", "stxdw [%r10-8], %r2", "mov %r0, %r1", "ldxdw %r4, [%r10-8]", "add %r0, %r4", "exit");
        assertEquals(62, run(load(asm, false, 1_000), new byte[0]));
    }

    @Test
    void aFunctionTooLargeForHotSpotRunsOnTheInterpreter() {
        StringBuilder asm = new StringBuilder("mov %r0, 0\n");
        for (int i = 0; i < 3000; i++) {
            asm.append("add32 %r0, 3\n");
        }
        asm.append("exit");
        ExecutableProgram p = load(asm.toString(), false, 1_000);
        assertFalse(p instanceof JitProgram, "a 3,000-instruction function exceeds " + JitCompiler.HUGE_METHOD_LIMIT + " bytes");
        assertEquals(9000, run(p, new byte[0]));
    }

    @Test
    void thousandsOfFunctionsGoToTheInterpreterPromptly() {
        // 5,000 one-instruction functions, each called: more methods than the JIT compiles.
        StringBuilder asm = new StringBuilder("mov %r0, 0\n");
        for (int i = 0; i < 5000; i++) {
            asm.append("call local f").append(i).append('\n');
        }
        asm.append("exit\n");
        for (int i = 0; i < 5000; i++) {
            asm.append("f").append(i).append(":\nmov %r0, ").append(i).append("\nexit\n");
        }
        ExecutableProgram p = load(asm.toString(), false, 100_000);
        assertFalse(p instanceof JitProgram);
        assertEquals(4999, run(p, new byte[0]));
    }

    @Test
    void aProgramJustUnderTheLimitIsCompiled() {
        StringBuilder asm = new StringBuilder("mov %r0, 0\n");
        for (int i = 0; i < 500; i++) {
            asm.append("add32 %r0, 3\n");
        }
        asm.append("exit");
        JitProgram p = assertInstanceOf(JitProgram.class, load(asm.toString(), false, 1_000));
        assertTrue(p.bytecodeSize() < JitCompiler.HUGE_METHOD_LIMIT, p.toString());
        assertEquals(1500, run(p, new byte[0]));
    }

    @Test
    void theGeneratedClassIsUnloadedWithItsProgram() throws InterruptedException {
        WeakReference<Class<?>> generated = compileAndDrop();
        for (int i = 0; i < 20 && generated.get() != null; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertNull(generated.get(), "the hidden class of a dropped program is unloaded");
    }

    private static WeakReference<Class<?>> compileAndDrop() {
        JitProgram p = (JitProgram) load("mov %r0, 7\nexit", false, 1_000);
        assertEquals(7, run(p, new byte[0]));
        assertTrue(p.generatedClass().isHidden());
        WeakReference<Class<?>> ref = new WeakReference<>(p.generatedClass());
        p.close();
        assertThrows(ExecutionException.class, () -> run(p, new byte[0]), "a closed program does not run");
        return ref;
    }
}

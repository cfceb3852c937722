package org.ebpfosgi.interpreter.internal;

import static org.ebpfosgi.interpreter.Programs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.interpreter.machine.ProgramCode;
import org.ebpfosgi.isa.Assembler;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A hot program's loop of its own ({@link Loops}): when it is made, that it is a separate class, that it computes the same. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the cap test last: the copies it makes live until a GC
class LoopsTest {
    /** Sums the bytes of its input, with a load, a fused loop step and a backward jump. */
    private static final String SUM = "mov %r0, 0\nmov %r3, 0\njeq %r2, 0, out\nloop:\nmov %r4, %r1\nadd %r4, %r3\n"
            + "ldxb %r4, [%r4]\nadd %r0, %r4\nadd %r3, 1\njlt %r3, %r2, loop\nout:\nexit";

    @Test
    @Order(1)
    void aProgramGetsALoopOfItsOwnOnceItIsHotAndComputesTheSameOnIt() {
        InterpretedProgram program = program(SUM, Long.MAX_VALUE);
        byte[] input = {1, 2, 3, (byte) 250};
        for (int i = 1; i < Loops.HOT_RUNS; i++) {
            assertEquals(256L, run(program, input));
        }
        assertSame(Interpreter.SHARED, program.loop(), "still on the shared loop before its " + Loops.HOT_RUNS + "th run");
        assertEquals(256L, run(program, input));
        Loop own = program.loop();
        assertNotSame(Interpreter.SHARED, own);
        assertTrue(own.getClass().isHidden(), own.getClass() + " is a hidden copy of the loop");
        assertNotSame(Interpreter.class, own.getClass());
        for (int i = 0; i < 100; i++) {
            assertEquals(256L, run(program, input));
            assertEquals(0L, run(program, new byte[0]));
        }
        assertSame(own, program.loop(), "a program keeps its loop");
    }

    @Test
    @Order(2)
    void twoProgramsRunOnTwoCopiesAndFaultsAndBudgetsStillNameTheInstruction() {
        InterpretedProgram a = program(SUM, Long.MAX_VALUE);
        InterpretedProgram b = program("ldxw %r0, [%r1+2]\nexit", Long.MAX_VALUE);
        InterpretedProgram endless = program("mov %r0, 0\nloop:\nadd %r0, 1\nja loop\nexit", 1000);
        a.useOwnLoop();
        b.useOwnLoop();
        endless.useOwnLoop();
        assertNotSame(a.loop().getClass(), b.loop().getClass());
        assertEquals(10L, run(a, new byte[] {1, 2, 3, 4}));
        assertEquals(0x07060504L, run(b, new byte[] {0, 0, 4, 5, 6, 7}));
        ExecutionException fault = assertThrows(ExecutionException.class, () -> run(b, new byte[4]));
        assertEquals(0, fault.pc());
        ExecutionException budget = assertThrows(ExecutionException.class, () -> run(endless, new byte[0]));
        assertTrue(budget.getMessage().contains("budget"), budget.getMessage());
    }

    @Test
    @Order(3)
    void copiesAreCappedAndProgramsPastTheCapRunOnTheSharedLoop() {
        List<InterpretedProgram> programs = new ArrayList<>();
        for (int i = 0; i < Loops.MAX_COPIES + 3; i++) {
            InterpretedProgram p = program("mov %r0, " + i + "\nexit", Long.MAX_VALUE);
            p.useOwnLoop();
            programs.add(p);
            assertTrue(Loops.copies() <= Loops.MAX_COPIES, Loops.copies() + " copies alive");
        }
        InterpretedProgram last = programs.get(programs.size() - 1);
        assertSame(Interpreter.SHARED, last.loop(), "past the cap a program stays on the shared loop");
        for (int i = 0; i < programs.size(); i++) {
            assertEquals(i, run(programs.get(i), new byte[0]));
        }
    }

    @Test
    @Order(4)
    void aCopyIsReleasedWithItsProgram() throws InterruptedException {
        int before = Loops.copies();
        InterpretedProgram program = program(SUM, Long.MAX_VALUE);
        program.useOwnLoop();
        boolean copied = program.loop() != Interpreter.SHARED;
        assertEquals(10L, run(program, new byte[] {1, 2, 3, 4}));
        program = null;
        // Unreachable programs are cleaned after a GC; the cap test's programs go too.
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (Loops.copies() >= before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(Loops.copies() < before || !copied && Loops.copies() < Loops.MAX_COPIES,
                "copies alive: " + Loops.copies() + ", before: " + before);
    }

    private static InterpretedProgram program(String asm, long budget) {
        return new InterpretedProgram(ProgramCode.of(ProgramImage.of("loops", Assembler.assemble(asm))), budget);
    }
}

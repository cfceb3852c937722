package org.ebpfosgi.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionEngine;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.interpreter.ConformancePlugin;
import org.ebpfosgi.interpreter.InterpreterEngine;
import org.ebpfosgi.interpreter.testing.RandomPrograms;
import org.ebpfosgi.isa.InvalidProgramException;
import org.junit.jupiter.api.Test;

/**
 * The JIT against the reference interpreter on random programs (every conformance opcode, random
 * fields, run unverified under the same budget): both refuse the same programs, and for the others
 * they return the same r0 and leave the same bytes in memory, or both abort at the same instruction.
 * Nothing but {@link ExecutionException} may escape a run. Programs with local calls are compared
 * on safety only: after a call, r1..r5 (and r6..r9 at a function's start) are registers a verifier
 * never lets a program read, and the engines leave different values there.
 * {@code -Debpf.fuzz.programs=N} runs more (default 20,000).
 */
class DifferentialFuzzTest {
    private static final int PROGRAMS = Integer.getInteger("ebpf.fuzz.programs", 20_000);
    private static final long BUDGET = 10_000;

    @Test
    void theJitAgreesWithTheInterpreter() throws IOException {
        RandomPrograms programs = new RandomPrograms(0x5EED_0F_717L);
        ExecutionEngine interpreter = new InterpreterEngine(BUDGET);
        ExecutionEngine jit = new JitEngine(BUDGET);
        int[] outcomes = new int[4];
        assertTimeoutPreemptively(Duration.ofMinutes(5), () -> {
            for (int n = 0; n < PROGRAMS; n++) {
                long[] program = programs.next();
                Outcome expected = run(interpreter, program);
                Outcome actual = run(jit, program);
                String what = "program " + n + ": " + RandomPrograms.hex(program);
                if (hasCalls(program)) {
                    assertEquals(expected.kind == Kind.REFUSED, actual.kind == Kind.REFUSED, what);
                    outcomes[3]++;
                    continue;
                }
                assertEquals(expected.kind, actual.kind, what + "\ninterpreter: " + expected + "\njit: " + actual);
                assertEquals(expected.r0, actual.r0, what);
                assertEquals(expected.pc, actual.pc, what + "\ninterpreter: " + expected.error + "\njit: " + actual.error);
                assertArrayEquals(expected.memory, actual.memory, what);
                outcomes[expected.kind.ordinal()]++;
            }
        });
        System.out.println("random programs refused/returned/aborted/with calls: " + Arrays.toString(outcomes));
        assertTrue(outcomes[Kind.RETURNED.ordinal()] > PROGRAMS / 20, "enough programs ran to the end: " + Arrays.toString(outcomes));
        assertTrue(outcomes[Kind.ABORTED.ordinal()] > PROGRAMS / 20, "enough programs aborted: " + Arrays.toString(outcomes));
    }

    private enum Kind { REFUSED, RETURNED, ABORTED }

    private static final class Outcome {
        Kind kind;
        long r0;
        int pc = -2;
        String error;
        byte[] memory;

        @Override
        public String toString() {
            return kind + " r0=" + r0 + " pc=" + pc + " " + (error != null ? error : "");
        }
    }

    private static Outcome run(ExecutionEngine engine, long[] program) {
        Outcome o = new Outcome();
        ExecutableProgram loaded;
        try {
            loaded = engine.load(ConformancePlugin.image("fuzz", program), false);
        } catch (InvalidProgramException refused) {
            o.kind = Kind.REFUSED;
            return o;
        }
        byte[] data = new byte[64];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 37 + 11);
        }
        Memory memory = loaded.memory();
        long address = memory.map(Region.of(Region.Kind.MEMORY, "data", data));
        try {
            o.r0 = loaded.run(memory, address, data.length, null);
            o.kind = Kind.RETURNED;
        } catch (ExecutionException aborted) {
            o.kind = Kind.ABORTED;
            o.pc = aborted.pc();
            o.error = aborted.getMessage();
        }
        o.memory = data;
        return o;
    }

    private static boolean hasCalls(long[] program) {
        for (long w : program) {
            int op = (int) w & 0xFF;
            if (op == 0x85 && ((w >>> 12) & 0xF) == 1 || op == 0x8d) {
                return true;
            }
        }
        return false;
    }
}

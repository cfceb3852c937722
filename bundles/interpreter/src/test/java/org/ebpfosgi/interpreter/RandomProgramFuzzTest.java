package org.ebpfosgi.interpreter;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.interpreter.testing.RandomPrograms;
import org.ebpfosgi.isa.InvalidProgramException;
import org.junit.jupiter.api.Test;

/**
 * Safety by construction, tested the hard way: random programs built from every opcode the conformance
 * suite uses, with random registers, offsets and immediates, run unverified. Each one must either be
 * refused at load ({@link InvalidProgramException}), return, or abort with an {@link ExecutionException}
 * (bad memory access, exhausted budget, missing helper...). Nothing else may escape, nothing may hang.
 * {@code -Debpf.fuzz.programs=N} runs more (default 20,000).
 */
class RandomProgramFuzzTest {
    private static final int PROGRAMS = Integer.getInteger("ebpf.fuzz.programs", 20_000);

    @Test
    void randomProgramsNeverEscapeTheirRun() throws IOException {
        RandomPrograms programs = new RandomPrograms(0xEBBF);
        assertTrue(programs.opcodeCount() > 100, "the conformance suite's opcodes: " + programs.opcodeCount());
        InterpreterEngine engine = new InterpreterEngine(10_000);
        int[] outcomes = new int[3];
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            for (int n = 0; n < PROGRAMS; n++) {
                long[] program = programs.next();
                outcomes[runOnce(engine, program)]++;
            }
        });
        assertTrue(outcomes[1] > PROGRAMS / 20, "enough programs ran to the end: " + java.util.Arrays.toString(outcomes));
        assertTrue(outcomes[2] > PROGRAMS / 20, "enough programs aborted at run time: " + java.util.Arrays.toString(outcomes));
        System.out.println("random programs refused/returned/aborted: " + java.util.Arrays.toString(outcomes));
    }

    /** 0: refused at load, 1: returned, 2: aborted; anything else fails the test with the program. */
    private static int runOnce(InterpreterEngine engine, long[] program) {
        ExecutableProgram loaded;
        try {
            loaded = engine.load(ProgramImage.of("fuzz", program), false);
        } catch (InvalidProgramException refused) {
            return 0;
        } catch (Throwable t) {
            throw new AssertionError("load threw " + t + " for " + RandomPrograms.hex(program), t);
        }
        try {
            Memory memory = loaded.memory();
            long data = memory.map(Region.of(Region.Kind.MEMORY, "data", new byte[64]));
            loaded.run(memory, data, 64, null);
            return 1;
        } catch (ExecutionException aborted) {
            return 2;
        } catch (Throwable t) {
            fail("run threw " + t + " for " + RandomPrograms.hex(program), t);
            return -1;
        }
    }
}

package org.ebpfosgi.interpreter;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.isa.InvalidProgramException;
import org.ebpfosgi.isa.Opcodes;
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

    private static int[] conformanceOpcodes() throws IOException {
        Path tsv = Path.of(System.getProperty("ebpf.repo.root", "."), "../shared/conformance/assembled.tsv");
        TreeSet<Integer> opcodes = new TreeSet<>();
        for (String line : Files.readAllLines(tsv)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] columns = line.split("\t", -1);
            String hex = columns[columns.length - 1];
            for (int i = 0; i + 16 <= hex.length(); i += 16) {
                opcodes.add(Integer.parseInt(hex.substring(i, i + 2), 16));
            }
        }
        opcodes.add(0x00); // the second half of lddw, as a stray first word
        return opcodes.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int immediate(SplittableRandom random) {
        switch (random.nextInt(8)) {
            case 0: return 0;
            case 1: return 1;
            case 2: return -1;
            case 3: return random.nextInt(-64, 64);
            case 4: return 8 << random.nextInt(3);       // widths and shift counts
            case 5: return Integer.MIN_VALUE;
            case 6: return random.nextInt(1, 200);      // helper ids, mostly not provided
            default: return random.nextInt();
        }
    }

    @Test
    void randomProgramsNeverEscapeTheirRun() throws IOException {
        int[] opcodes = conformanceOpcodes();
        assertTrue(opcodes.length > 100, "the conformance suite's opcodes: " + opcodes.length);
        SplittableRandom random = new SplittableRandom(0xEBBF);
        InterpreterEngine engine = new InterpreterEngine(10_000);
        int[] outcomes = new int[3];
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            for (int n = 0; n < PROGRAMS; n++) {
                int length = random.nextInt(1, 24);
                List<Long> words = new ArrayList<>();
                for (int i = 0; i < length; i++) {
                    int opcode = opcodes[random.nextInt(opcodes.length)];
                    int dst = random.nextInt(200) == 0 ? random.nextInt(16) : random.nextInt(10);
                    int src = random.nextInt(200) == 0 ? random.nextInt(16) : random.nextInt(11);
                    int offset = random.nextInt(8) == 0 ? random.nextInt(-600, 600) : random.nextInt(-i - 1, length - i);
                    int imm = immediate(random);
                    if (random.nextInt(40) != 0) {
                        // Mostly well-formed fields, so most programs get past the decoder and run.
                        int[] f = wellFormed(opcode, src, offset, imm, random);
                        src = f[0];
                        offset = f[1];
                        imm = f[2];
                    }
                    words.add(Opcodes.encode(opcode, dst, src, offset, imm));
                    if (opcode == 0x18) {
                        words.add(Opcodes.encode(0, 0, 0, 0, immediate(random)));
                    }
                }
                words.add(Opcodes.encode(0x95, 0, 0, 0, 0));
                long[] program = words.stream().mapToLong(Long::longValue).toArray();
                outcomes[runOnce(engine, program)]++;
            }
        });
        assertTrue(outcomes[1] > PROGRAMS / 20, "enough programs ran to the end: " + java.util.Arrays.toString(outcomes));
        assertTrue(outcomes[2] > PROGRAMS / 20, "enough programs aborted at run time: " + java.util.Arrays.toString(outcomes));
        System.out.println("random programs refused/returned/aborted: " + java.util.Arrays.toString(outcomes));
    }

    private static final int[] ATOMIC_OPS = {0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1};

    /** src, offset, imm with the fields the ISA requires to be zero (or from a small set) set so. */
    private static int[] wellFormed(int opcode, int src, int offset, int imm, SplittableRandom random) {
        int cls = opcode & 7;
        boolean register = (opcode & 0x08) != 0;
        switch (cls) {
            case 4: case 7: // ALU, ALU64
                if ((opcode & 0xf0) == 0xd0) {
                    return new int[] {0, 0, 16 << random.nextInt(3)};
                }
                if ((opcode & 0xf0) == 0x80) {
                    return new int[] {0, 0, 0};
                }
                boolean divmod = (opcode & 0xf0) == 0x30 || (opcode & 0xf0) == 0x90;
                int off = divmod ? random.nextInt(2) : 0;
                return register ? new int[] {src, off, 0} : new int[] {0, off, imm};
            case 5: case 6: // JMP, JMP32
                if (opcode == 0x85) {
                    return new int[] {0, 0, imm};
                }
                if (opcode == 0x95) {
                    return new int[] {0, 0, 0};
                }
                if ((opcode & 0xf0) == 0x00) {
                    return cls == 6 ? new int[] {0, 0, offset} : new int[] {0, offset, 0};
                }
                return register ? new int[] {src, offset, 0} : new int[] {0, offset, imm};
            case 1: // LDX
                return new int[] {src, offset, 0};
            case 2: // ST
                return new int[] {0, offset, imm};
            case 3: // STX, atomics
                return new int[] {src, offset, (opcode & 0xe0) == 0xc0 ? ATOMIC_OPS[random.nextInt(ATOMIC_OPS.length)] : 0};
            default:
                return new int[] {opcode == 0x18 ? 0 : src, offset, imm};
        }
    }

    /** 0: refused at load, 1: returned, 2: aborted; anything else fails the test with the program. */
    private static int runOnce(InterpreterEngine engine, long[] program) {
        ExecutableProgram loaded;
        try {
            loaded = engine.load(ProgramImage.of("fuzz", program), false);
        } catch (InvalidProgramException refused) {
            return 0;
        } catch (Throwable t) {
            throw new AssertionError("load threw " + t + " for " + hex(program), t);
        }
        try {
            Memory memory = loaded.memory();
            long data = memory.map(Region.of(Region.Kind.MEMORY, "data", new byte[64]));
            loaded.run(memory, data, 64, null);
            return 1;
        } catch (ExecutionException aborted) {
            return 2;
        } catch (Throwable t) {
            fail("run threw " + t + " for " + hex(program), t);
            return -1;
        }
    }

    private static String hex(long[] program) {
        StringBuilder sb = new StringBuilder();
        for (long w : program) {
            sb.append(String.format("%016x ", w));
        }
        return sb.toString();
    }
}

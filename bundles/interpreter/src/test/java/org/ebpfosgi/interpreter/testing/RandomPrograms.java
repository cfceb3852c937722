package org.ebpfosgi.interpreter.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.ebpfosgi.isa.Opcodes;

/**
 * Random programs for fuzzing the engines: built from every opcode the conformance suite uses, with
 * random registers, offsets and immediates, mostly well-formed so that most get past the decoder and
 * run; jump offsets mostly stay inside the program. Deterministic for a seed. A test fixture shared
 * with the JIT's tests (the interpreter's test jar).
 */
public final class RandomPrograms {
    private static final int[] ATOMIC_OPS = {0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1};

    private final int[] opcodes;
    private final SplittableRandom random;

    public RandomPrograms(long seed) throws IOException {
        this.opcodes = conformanceOpcodes();
        this.random = new SplittableRandom(seed);
    }

    /** How many distinct opcodes programs are built from. */
    public int opcodeCount() {
        return opcodes.length;
    }

    /** The next program: 1 to 23 random instructions and an exit. */
    public long[] next() {
        int length = random.nextInt(1, 24);
        List<Long> words = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            int opcode = opcodes[random.nextInt(opcodes.length)];
            int dst = random.nextInt(200) == 0 ? random.nextInt(16) : random.nextInt(10);
            int src = random.nextInt(200) == 0 ? random.nextInt(16) : random.nextInt(11);
            int offset = random.nextInt(8) == 0 ? random.nextInt(-600, 600) : random.nextInt(-i - 1, length - i);
            int imm = immediate();
            if (random.nextInt(40) != 0) {
                int[] f = wellFormed(opcode, src, offset, imm);
                src = f[0];
                offset = f[1];
                imm = f[2];
            }
            words.add(Opcodes.encode(opcode, dst, src, offset, imm));
            if (opcode == 0x18) {
                words.add(Opcodes.encode(0, 0, 0, 0, immediate()));
            }
        }
        words.add(Opcodes.encode(0x95, 0, 0, 0, 0));
        return words.stream().mapToLong(Long::longValue).toArray();
    }

    /** The program as hex words, for failure messages. */
    public static String hex(long[] program) {
        StringBuilder sb = new StringBuilder();
        for (long w : program) {
            sb.append(String.format("%016x ", w));
        }
        return sb.toString();
    }

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

    private int immediate() {
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

    /** src, offset, imm with the fields the ISA requires to be zero (or from a small set) set so. */
    private int[] wellFormed(int opcode, int src, int offset, int imm) {
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
}

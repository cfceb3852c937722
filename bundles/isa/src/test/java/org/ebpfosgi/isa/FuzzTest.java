package org.ebpfosgi.isa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Untrusted input: random words and text must give a result or the module's own exception, never anything else;
 * and every program the decoder accepts must print to text that assembles back to the same words.
 */
class FuzzTest {
    /** Valid instructions (lddw as its two words) that random programs are made of, then mutated. */
    private static final String[] UNITS = {"r1 += 1", "r1 += r2", "w1 s/= w2", "r1 s%= -3", "r1 = (s16)r2",
        "w1 = (s8)w2", "r1 = -r1", "r1 = be16 r1", "r1 = le64 r1", "r1 = bswap32 r1", "if r1 > 2 goto +0",
        "if w1 s< w2 goto +0", "goto +0", "gotol +0", "call 1", "call local 0", "call kfunc 3", "callx r1", "exit",
        "r1 = *(u8 *)(r2 + 0)", "r1 = *(s16 *)(r2 + 0)", "*(u32 *)(r1 + 0) = 1", "*(u64 *)(r1 + 0) = r2",
        "lock *(u64 *)(r1 + 0) += r2", "lock *(u32 *)(r1 + 0) x= r2", "r0 = cmpxchg_64(r1 + 8, r0, r2)",
        "r0 = *(u8 *)skb[r1]", "r0 = *(u32 *)skb[4]", "r1 = 5 ll", "r1 = map_val(1) + 4", "r1 = code_addr(0)"};

    @Test
    void randomProgramsDecodeOrFailCleanlyAndRoundTrip() {
        long[][] units = new long[UNITS.length][];
        for (int i = 0; i < UNITS.length; i++) {
            units[i] = Assembler.assemble(UNITS[i]);
        }
        SplittableRandom random = new SplittableRandom(9669);
        int accepted = 0;
        int rejected = 0;
        for (int round = 0; round < 6_000; round++) {
            long[] words = new long[12];
            int n = 0;
            int length = 1 + random.nextInt(6);
            for (int i = 0; i < length; i++) {
                for (long w : units[random.nextInt(units.length)]) {
                    words[n++] = w;
                }
            }
            words = java.util.Arrays.copyOf(words, n);
            for (int i = 0; i < n; i++) {
                words[i] = mutate(random, words[i], n - i);
            }
            List<Instruction> program;
            try {
                program = Decoder.decode(words);
            } catch (InvalidProgramException e) {
                assertTrue(e.index() >= 0 && e.index() <= words.length, e.getMessage());
                rejected++;
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("decoder threw " + e + " for " + SharedData.hex(words), e);
            }
            accepted++;
            String text = Disassembler.format(program);
            try {
                assertArrayEquals(words, Assembler.assemble(text), text);
            } catch (AssemblyException e) {
                fail("disassembly does not assemble: " + e.getMessage() + "\n" + text);
            }
        }
        assertTrue(accepted > 600 && rejected > 600, accepted + " random programs valid, " + rejected + " not");
    }

    /** Mostly keeps the word; else changes one field, often to a plausible value; jumps get in-range targets. */
    private static long mutate(SplittableRandom random, long word, int remaining) {
        int opcode = Opcodes.opcode(word);
        int dst = Opcodes.dst(word);
        int src = Opcodes.src(word);
        int offset = Opcodes.offset(word);
        int imm = Opcodes.imm(word);
        int cls = opcode & 7;
        if ((cls == Opcodes.JMP || cls == Opcodes.JMP32) && random.nextBoolean()) {
            int target = random.nextInt(-1, remaining);
            if (opcode == 0x06 || opcode == 0x85 && src == 1) {
                imm = target;
            } else if (opcode != 0x85) {
                offset = target;
            }
        }
        switch (random.nextInt(10)) {
            case 0 -> opcode = random.nextInt(256);
            case 1 -> dst = random.nextInt(16);
            case 2 -> src = random.nextInt(16);
            case 3 -> offset = random.nextBoolean() ? random.nextInt(65536) : random.nextInt(-1, 33);
            case 4 -> imm = random.nextBoolean() ? random.nextInt()
                    : new int[] {0, 1, 16, 32, 64, 0x01, 0x41, 0xe1, 0xf1, 0xa0}[random.nextInt(10)];
            default -> {
            }
        }
        return Opcodes.encode(opcode, dst, src, offset, imm);
    }

    @Test
    void randomTextAssemblesOrFailsCleanly() {
        String[] seeds = {"r1 = *(u8 *)(r2 + 0x10)", "lock *(u64 *)(r10 - 8) += r1 fetch", "if w1 s>= -3 goto <l>",
            "ldxb %r0, [%r1+0x2]", "lock fetch add32 [%r10-4], %r1", "r1 = mva(map_by_idx(2)) + 4", "call local f",
            "movsx1664 %r0, %r1", "r0 = *(u16 *)skb[r1 + 4]", "lddw %r0, 0x1122334455667788", "l: <m>: exit",
            "r1 = 0x8000000000000000 ll", "w0 = cmpxchg32_32(r1 + 8, w0, w2)", "jne %r1, 5, exit"};
        String alphabet = "r w%x0123456789abcdef+-*()[]<>=:;#,.lsuk_&|^!";
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder(seeds[random.nextInt(seeds.length)]);
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(text.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> {
                        if (at < text.length()) {
                            text.deleteCharAt(at);
                        }
                    }
                    default -> {
                        if (at < text.length()) {
                            text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        }
                    }
                }
            }
            try {
                Assembler.assemble(text.toString());
            } catch (AssemblyException e) {
                assertTrue(e.line() == 1, e.getMessage());
            } catch (RuntimeException e) {
                throw new AssertionError("assembler threw " + e + " for '" + text + "'", e);
            }
        }
    }
}

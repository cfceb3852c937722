package org.ebpfosgi.isa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class AssemblerTest {

    /** Encodings printed by {@code llvm-mc-19 -triple bpfel -mcpu=v4 -show-encoding} for the same text. */
    private static final String[][] LLVM_ENCODINGS = {
        {"callx r2", "8d02000000000000"},
        {"gotol +5", "0600000005000000"},
        {"r1 = (s8)r2", "bf21080000000000"},
        {"w1 = (s16)w2", "bc21100000000000"},
        {"r1 = *(s8 *)(r2 + 3)", "9121030000000000"},
        {"w0 = atomic_fetch_add((u32 *)(r1 + 0), w0)", "c301000001000000"},
        {"r0 = cmpxchg_64(r1 + 8, r0, r2)", "db210800f1000000"},
        {"w0 = cmpxchg32_32(r1 + 8, w0, w2)", "c3210800f1000000"},
        {"r2 = xchg_64(r1 + 8, r2)", "db210800e1000000"},
        {"w2 = xchg32_32(r1 + 8, w2)", "c3210800e1000000"},
        {"r0 = *(u8 *)skb[r1]", "5010000000000000"},
        {"r0 = *(u16 *)skb[5]", "2800000005000000"},
        {"r1 s/= r2", "3f21010000000000"},
        {"w1 s%= 3", "9401010003000000"},
        {"r0 = -r0", "8700000000000000"},
        {"w0 = -w0", "8400000000000000"},
        {"lock *(u32 *)(r1 + 0) |= w2", "c321000040000000"},
        {"r0 = atomic_fetch_or((u64 *)(r1 - 8), r0)", "db01f8ff41000000"},
        {"if w1 & 3 goto +1", "4601010003000000"},
        {"if r1 & r2 goto -1", "4d21ffff00000000"},
        {"w1 = *(u32 *)(r2 + 4)", "6121040000000000"},
        {"*(u32 *)(r1 + 2) = w3", "6331020000000000"},
        {"*(u16 *)(r1 + 2) = 7", "6a01020007000000"},
        {"r0 = bswap64 r0", "d700000040000000"},
        {"call -1", "85000000ffffffff"},
        {"*(u64 *)(r10 - 0x8) = r1", "7b1af8ff00000000"},
        {"r6 = r10", "bfa6000000000000"},
        {"r7 s>>= 0x3f", "c70700003f000000"},
        {"if r1 s> -0x1 goto +0x1 <LBB0_4>", "65010100ffffffff"},
        {"goto -0xb <bench+0x130>", "0500f5ff00000000"},
        {"r4 = 0x100000001b3 ll", "18040000b301000000000000000100000"},
        {"r0 = be16 r0", "dc00000010000000"},
        {"r0 = le64 r0", "d400000040000000"},
        {"w6 = 0x12345678", "b406000078563412"},
        {"w7 ^= w8", "ac87000000000000"},
    };

    @Test
    void llvmSyntaxMatchesLlvmMcEncodings() {
        for (String[] c : LLVM_ENCODINGS) {
            String expected = c[1].length() == 33 ? "18040000b3010000" + "0000000000010000" : c[1];
            assertEquals(expected, SharedData.hex(Assembler.assemble(c[0])), c[0]);
        }
    }

    @Test
    void conformanceSyntaxForms() {
        assertEncodes("mov32 %r0, 0", 0xb4, 0, 0, 0, 0);
        assertEncodes("ldxb %r0, [%r1+0x2]", 0x71, 0, 1, 2, 0);
        assertEncodes("stxdw [%r10-8], %r1", 0x7b, 10, 1, -8, 0);
        assertEncodes("stw [%r1], -1", 0x62, 1, 0, 0, -1);
        assertEncodes("lock cmpxchg [%r10-8], %r1", 0xdb, 10, 1, -8, 0xf1);
        assertEncodes("lock fetch add32 [%r10-4], %r1", 0xc3, 10, 1, -4, 0x01);
        assertEncodes("lock xchg32 [%r10-4], %r1", 0xc3, 10, 1, -4, 0xe1);
        assertEncodes("lock xor [%r10-4], %r1", 0xdb, 10, 1, -4, 0xa0);
        assertEncodes("be16 %r0", 0xdc, 0, 0, 0, 16);
        assertEncodes("le32 %r3", 0xd4, 3, 0, 0, 32);
        assertEncodes("bswap64 %r0", 0xd7, 0, 0, 0, 64);
        assertEncodes("swap16 %r0", 0xd7, 0, 0, 0, 16);
        assertEncodes("sdiv32 %r0, %r1", 0x3c, 0, 1, 1, 0);
        assertEncodes("smod %r0, -3", 0x97, 0, 0, 1, -3);
        assertEncodes("movsx832 %r0, %r1", 0xbc, 0, 1, 8, 0);
        assertEncodes("movsx1664 %r0, %r1", 0xbf, 0, 1, 16, 0);
        assertEncodes("movsx3264 %r0, %r1", 0xbf, 0, 1, 32, 0);
        assertEncodes("ldxsh %r0, [%r10-2]", 0x89, 0, 10, -2, 0);
        assertEncodes("neg32 %r2", 0x84, 2, 0, 0, 0);
        assertEncodes("call 5", 0x85, 0, 0, 0, 5);
        assertEncodes("call %r2", 0x8d, 2, 0, 0, 0);
        assertEncodes("ja32 +7", 0x06, 0, 0, 0, 7);
        assertEncodes("ldabsh 12", 0x28, 0, 0, 0, 12);
        assertEncodes("ldindw %r1, 4", 0x40, 0, 1, 0, 4);
        assertEncodes("jslt32 %r1, 0x7fffffff, -2", 0xc6, 1, 0, -2, 0x7fffffff);
        assertEncodes("mov %r0, 0xffffffff", 0xb7, 0, 0, 0, -1);
        assertArrayEquals(new long[] {0x5566778800000118L, 0x1122334400000000L},
                Assembler.assemble("lddw %r1, 0x1122334455667788"));
    }

    @Test
    void labelsResolveForwardAndBackward() {
        long[] words = Assembler.assemble("""
                top: mov %r0, 0
                jeq %r0, 0, done  # forward
                ja top
                done:
                call local f
                exit
                <f>:
                gotol <top>
                """);
        assertEquals(Opcodes.encode(0x15, 0, 0, 1, 0), words[1]);
        assertEquals(Opcodes.encode(0x05, 0, 0, -3, 0), words[2]);
        assertEquals(Opcodes.encode(0x85, 0, 1, 0, 1), words[3]);
        assertEquals(Opcodes.encode(0x06, 0, 0, 0, -6), words[5]);
    }

    @Test
    void implicitExitLabelFollowsTheConformanceSuite() {
        long[] words = Assembler.assemble("jeq %r1, 0, exit\nexit\nja exit\nexit");
        assertEquals(0, Opcodes.offset(words[0]));
        assertEquals(-2, Opcodes.offset(words[2]));
    }

    @Test
    void prevailSpellings() {
        assertEncodes("r1 s8= r2", 0xbf, 1, 2, 8, 0);
        assertEncodes("w1 = r1", 0xbc, 1, 1, 0, 0);
        assertEncodes("r1=r2", 0xbf, 1, 2, 0, 0);
        assertEncodes("r0 = - r0", 0x87, 0, 0, 0, 0);
        assertEncodes("lock *(u64 *)(r10 - 8) += r1 fetch", 0xdb, 10, 1, -8, 0x01);
        assertEncodes("lock *(u32 *)(r2 + 4) x= r1", 0xc3, 2, 1, 4, 0xe1);
        assertEncodes("lock *(u64 *)(r2 + 4) cx= r1", 0xdb, 2, 1, 4, 0xf1);
        assertEncodes("if r1 &== 4 goto +1", 0x45, 1, 0, 1, 4);
        assertEncodes("r0 = swap32 r0", 0xd7, 0, 0, 0, 32);
        assertArrayEquals(new long[] {Opcodes.encode(0x18, 1, 1, 0, 3), 0}, Assembler.assemble("r1 = map_fd 3"));
        assertArrayEquals(new long[] {Opcodes.encode(0x18, 1, 2, 0, 3), Opcodes.encode(0, 0, 0, 0, 8)},
                Assembler.assemble("r1 = map_val(3) + 8"));
        assertArrayEquals(new long[] {Opcodes.encode(0x18, 1, 5, 0, 2), 0}, Assembler.assemble("r1 = map_by_idx(2)"));
        assertArrayEquals(new long[] {Opcodes.encode(0x18, 1, 6, 0, 2), Opcodes.encode(0, 0, 0, 0, 4)},
                Assembler.assemble("r1 = mva(map_by_idx(2)) + 4"));
        assertArrayEquals(new long[] {Opcodes.encode(0x18, 1, 0, 0, -1), Opcodes.encode(0, 0, 0, 0, -1)},
                Assembler.assemble("r1 = 18446744073709551615ll"));
        assertArrayEquals(new long[] {Opcodes.encode(0x18, 1, 2, 0, 3), Opcodes.encode(0, 0, 0, 0, -8)},
                Assembler.assemble("r1 = map_val(3) - 8"));
        assertArrayEquals(new long[] {Opcodes.encode(0x18, 1, 4, 0, -3), 0},
                Assembler.assemble("ld_pseudo r1, 0x4, 0xfffffffd"));
        // RFC 9669 spellings.
        assertArrayEquals(Assembler.assemble("r1 = map_fd 3"), Assembler.assemble("r1 = map_by_fd(3)"));
        assertArrayEquals(Assembler.assemble("r1 = map_val(3) + 8"),
                Assembler.assemble("r1 = map_val(map_by_fd(3)) + 8"));
        assertArrayEquals(Assembler.assemble("r1 = mva(map_by_idx(3)) + 8"),
                Assembler.assemble("r1 = map_val(map_by_idx(3)) + 8"));
        assertArrayEquals(new long[] {Opcodes.encode(0x18, 2, 3, 0, 9), 0}, Assembler.assemble("r2 = var_addr(9)"));
        assertArrayEquals(new long[] {Opcodes.encode(0x18, 2, 4, 0, -1), 0}, Assembler.assemble("r2 = code_addr(-1)"));
        assertArrayEquals(new long[] {Opcodes.encode(0x18, 1, 0, 0, 1), Opcodes.encode(0, 0, 0, 0, 0x80000000)},
                Assembler.assemble("r1 = -9223372036854775807ll"));
    }

    /**
     * Every PREVAIL test program assembles, except those using PREVAIL's own pseudo-instruction {@code assume} (a
     * verifier assertion with no encoding) and its negated-set condition {@code &!=}, which must be rejected.
     */
    @Test
    void prevailCodeBlocksAssemble() throws IOException {
        List<String> failures = new ArrayList<>();
        int assembled = 0;
        int pseudo = 0;
        for (PrevailCode.Program p : PrevailCode.programs()) {
            boolean hasPseudo = p.text().contains("assume ") || p.text().contains("&!=");
            try {
                long[] words = Assembler.assemble(p.text());
                if (hasPseudo) {
                    failures.add(p.file() + " / " + p.testCase() + ": pseudo-instruction accepted");
                } else if (words.length == 0) {
                    failures.add(p.file() + " / " + p.testCase() + ": empty");
                } else {
                    assembled++;
                }
            } catch (AssemblyException e) {
                if (hasPseudo) {
                    pseudo++;
                } else {
                    failures.add(p.file() + " / " + p.testCase() + ": " + e.getMessage());
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        // 802 test cases: 609 plain programs, 193 with assume.
        assertEquals(802, assembled + pseudo, "assembled " + assembled + " programs, pseudo " + pseudo);
        assertTrue(assembled >= 600, "assembled " + assembled + " programs, pseudo " + pseudo);
    }

    @Test
    void errorsNameTheLine() {
        assertError("mov %r0, 1\nfrob %r0", 2, "unknown instruction 'frob'");
        assertError("mov %r11, 1", 1, "no register %r11");
        assertError("r12 = 1", 1, "no register r12");
        assertError("mov32 %r0, 0x100000000", 1, "does not fit in 32 bits");
        assertError("mov32 %r0, -0x80000001", 1, "does not fit in 32 bits");
        assertError("ldxb %r0, [%r1+0x8000]", 1, "offset does not fit in 16 bits");
        assertError("\n\nja nowhere", 3, "undefined label 'nowhere'");
        assertError("a:\na:\nexit", 2, "label 'a' defined twice");
        assertError("r0 = 0x1122334455667788", 1, "does not fit in 32 bits");
        assertError("w0 = 1 ll", 1, "lddw loads a 64-bit register");
        assertError("w0 = map_fd 1", 1, "lddw loads a 64-bit register");
        assertError("assume r1 < 0", 1, "'assume' is a verifier assertion");
        assertError("if r1 &!= 4 goto +1", 1, "has no eBPF jump instruction");
        assertError("r1 = -r2", 1, "negation works in place");
        assertError("mov %r0, 1 2", 1, "unexpected '2'");
        assertError("ldxb %r0, %r1", 1, "expected '['");
        assertError("lock nand [%r1], %r2", 1, "unknown atomic operation 'nand'");
        assertError("r1 = (s32)r2\nw1 = (s32)w2", 2, "expected (s8), (s16)");
        assertError("ldxsdw %r0, [%r1]", 1, "no sign-extending 64-bit load");
        assertError("movsx3232 %r0, %r1", 1, "unknown instruction");
        assertError("r1 = 99999999999999999999ll", 1, "does not fit in 64 bits");
        assertError("exit exit", 1, "unexpected 'exit'");
        assertError("ld_pseudo r1, 16, 0", 1, "lddw source 16 does not fit in 4 bits");
        assertError("r1 = map_val(1) - 0x80000001", 1, "offset does not fit in 32 bits");
    }

    @Test
    void emptyTextAssemblesToNothing() {
        assertEquals(0, Assembler.assemble("# nothing\n\n").length);
    }

    private static void assertEncodes(String text, int opcode, int dst, int src, int offset, int imm) {
        long[] words = Assembler.assemble(text);
        assertEquals(1, words.length, text);
        assertEquals(Long.toHexString(Opcodes.encode(opcode, dst, src, offset, imm)), Long.toHexString(words[0]), text);
    }

    private static void assertError(String text, int line, String reason) {
        AssemblyException e = assertThrows(AssemblyException.class, () -> Assembler.assemble(text), text);
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}

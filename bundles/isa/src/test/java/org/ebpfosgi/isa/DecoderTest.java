package org.ebpfosgi.isa;

import static org.ebpfosgi.isa.Opcodes.encode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.ebpfosgi.isa.SharedData.AssembledRow;
import org.ebpfosgi.isa.conformance.ConformanceCase;
import org.junit.jupiter.api.Test;

class DecoderTest {
    private static final long EXIT = encode(0x95, 0, 0, 0, 0);

    @Test
    void everyConformanceProgramDecodesWithTheSuitesCpuVersion() throws IOException {
        Map<String, AssembledRow> rows = SharedData.assembledRows().stream()
                .collect(Collectors.toMap(AssembledRow::name, Function.identity()));
        List<String> failures = new ArrayList<>();
        for (Path file : SharedData.conformanceFiles()) {
            ConformanceCase c = ConformanceCase.parse(file);
            long[] words = c.program();
            List<Instruction> program = Decoder.decode(words);
            int slots = 0;
            for (Instruction insn : program) {
                assertEquals(slots, insn.slot(), c.name());
                long[] back = insn.words();
                for (int i = 0; i < back.length; i++) {
                    assertEquals(words[slots + i], back[i], c.name() + " slot " + (slots + i));
                }
                slots += insn.slotCount();
            }
            assertEquals(words.length, slots, c.name());
            String version = "v" + Decoder.minimumCpuVersion(program);
            if (!version.equals(rows.get(c.name()).cpuVersion())) {
                failures.add(c.name() + ": " + version + " but the suite says " + rows.get(c.name()).cpuVersion());
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    // ---- accepted forms, per class ----

    @Test
    void aluForms() {
        for (int cls : new int[] {Opcodes.ALU, Opcodes.ALU64}) {
            for (int op : new int[] {0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x90, 0xa0, 0xb0, 0xc0}) {
                accept(encode(cls | op, 3, 0, 0, -7));
                accept(encode(cls | op | 0x08, 9, 10, 0, 0));
            }
            accept(encode(cls | 0x30, 1, 0, 1, 3)); // sdiv
            accept(encode(cls | 0x98, 1, 2, 1, 0)); // smod
            accept(encode(cls | 0x80, 1, 0, 0, 0)); // neg
            accept(encode(cls | 0xb8, 1, 2, 8, 0)); // movsx
            accept(encode(cls | 0xb8, 1, 2, 16, 0));
            for (int width : new int[] {16, 32, 64}) {
                accept(encode(cls | 0xd0, 1, 0, 0, width));
            }
        }
        accept(encode(0xbf, 1, 2, 32, 0)); // movsx 64 from 32
        accept(encode(0xdc, 1, 0, 0, 64)); // be64
        Instruction sdiv = Decoder.decode(new long[] {encode(0x3f, 1, 2, 1, 0), EXIT}).get(0);
        assertEquals(4, sdiv.minimumCpuVersion());
        assertTrue(sdiv.usesSrcRegister());
        assertEquals(0x30, sdiv.operation());
        assertEquals(Opcodes.ALU64, sdiv.instructionClass());
    }

    @Test
    void jumpForms() {
        for (int cls : new int[] {Opcodes.JMP, Opcodes.JMP32}) {
            for (int op = 0x10; op <= 0xd0; op += 0x10) {
                if (op == 0x80 || op == 0x90) {
                    continue;
                }
                accept(encode(cls | op, 10, 0, 0, -1));
                accept(encode(cls | op | 0x08, 1, 10, 0, 0));
            }
        }
        accept(encode(0x05, 0, 0, 0, 0)); // ja +0
        accept(encode(0x06, 0, 0, 0, 0)); // ja32 (gotol) +0
        accept(encode(0x85, 0, 0, 0, 12345)); // helper
        accept(encode(0x85, 0, 2, 0, 7)); // kfunc
        accept(encode(0x8d, 2, 0, 0, 0)); // callx r2
        List<Instruction> p = Decoder.decode(new long[] {encode(0x85, 0, 1, 0, 1), EXIT, EXIT});
        assertTrue(p.get(0).isLocalCall());
        assertEquals(2, p.get(0).targetSlot());
        assertEquals(3, p.get(0).minimumCpuVersion());
        p = Decoder.decode(new long[] {encode(0x06, 0, 0, 0, -1)});
        assertEquals(0, p.get(0).targetSlot());
        assertEquals(4, p.get(0).minimumCpuVersion());
        p = Decoder.decode(new long[] {encode(0xa5, 1, 0, 1, 0), EXIT, EXIT});
        assertEquals(2, p.get(0).targetSlot());
        assertEquals(2, p.get(0).minimumCpuVersion());
        assertTrue(p.get(0).isJump());
        assertTrue(p.get(1).isExit());
        assertEquals(-1, p.get(1).targetSlot());
    }

    @Test
    void loadStoreForms() {
        for (int size : new int[] {0x00, 0x08, 0x10, 0x18}) {
            accept(encode(0x61 | size, 0, 10, -8, 0)); // ldx
            accept(encode(0x62 | size, 10, 0, -8, 1)); // st
            accept(encode(0x63 | size, 10, 9, -8, 0)); // stx
            if (size != 0x18) {
                accept(encode(0x81 | size, 1, 2, 3, 0)); // ldxs
                accept(encode(0x20 | size, 0, 0, 0, 14)); // ldabs
                accept(encode(0x40 | size, 0, 3, 0, -2)); // ldind
            }
        }
        Instruction ldxsb = Decoder.decode(new long[] {encode(0x91, 1, 2, 3, 0), EXIT}).get(0);
        assertEquals(1, ldxsb.accessBytes());
        assertEquals(Opcodes.MEMSX, ldxsb.mode());
        assertEquals(4, ldxsb.minimumCpuVersion());
    }

    @Test
    void atomicForms() {
        for (int size : new int[] {0x00, 0x18}) {
            for (int op : new int[] {0x00, 0x40, 0x50, 0xa0, 0x01, 0x41, 0x51, 0xa1, 0xe1, 0xf1}) {
                accept(encode(0xc3 | size, 10, 1, -8, op));
            }
            accept(encode(0xc3 | size, 1, 10, 0, 0x00)); // non-fetching may read r10 as the operand
            accept(encode(0xc3 | size, 1, 10, 0, 0xf1)); // cmpxchg writes r0, not src
        }
    }

    @Test
    void lddwForms() {
        List<Instruction> p = Decoder.decode(new long[] {0x5566778800000018L, 0x1122334400000000L, EXIT});
        assertEquals(2, p.size());
        assertTrue(p.get(0).isLddw());
        assertEquals(0x1122334455667788L, p.get(0).imm64());
        assertEquals(2, p.get(0).slotCount());
        assertEquals(2, p.get(1).slot());
        assertArrayEquals(new int[] {0, -1, 1}, Decoder.instructionIndexBySlot(p));
        for (int pseudo = 0; pseudo <= 6; pseudo++) {
            long high = pseudo == 2 || pseudo == 6 || pseudo == 0 ? 8 : 0;
            int imm = pseudo == 4 ? 1 : 3; // code address: pc-relative, here the exit
            p = Decoder.decode(new long[] {encode(0x18, 1, pseudo, 0, imm), encode(0, 0, 0, 0, (int) high), EXIT});
            assertEquals(pseudo, p.get(0).src());
            assertEquals(high << 32 | imm, p.get(0).imm64());
        }
        Instruction code = Decoder.decode(new long[] {encode(0x18, 1, 4, 0, 1), 0, EXIT}).get(0);
        assertEquals(2, code.targetSlot());
    }

    @Test
    void bytesToWords() {
        byte[] code = {(byte) 0x95, 0, 0, 0, 0, 0, 0, 0, (byte) 0xb7, 1, 0, 0, 5, 0, 0, 0};
        assertArrayEquals(new long[] {EXIT, encode(0xb7, 1, 0, 0, 5)}, Decoder.words(code));
        reject(() -> Decoder.words(new byte[9]), 1, "not a whole number of 8-byte instructions");
    }

    @Test
    void instructionsAreValues() {
        List<Instruction> a = Decoder.decode(new long[] {encode(0xb7, 1, 0, 0, 5), EXIT});
        List<Instruction> b = Decoder.decode(new long[] {encode(0xb7, 1, 0, 0, 5), EXIT});
        assertEquals(a, b);
        assertEquals(a.get(0).hashCode(), b.get(0).hashCode());
        assertFalse(a.get(0).equals(a.get(1)));
        assertEquals("r1 = 0x5", a.get(0).toString());
        assertThrows(UnsupportedOperationException.class, () -> a.add(a.get(0)));
    }

    // ---- rejections ----

    @Test
    void rejectsEmptyProgram() {
        reject(new long[0], 0, "empty program");
    }

    @Test
    void rejectsUnknownOpcodes() {
        for (int opcode : new int[] {0x00, 0x08, 0x10, 0x38, 0x60, 0x80, 0x8e, 0x9d, 0x96, 0x86, 0xe4, 0xe7, 0xf7,
                0xdf, 0x8c, 0x8f, 0x0d, 0x0e, 0xe5, 0xf5, 0xe6, 0x99, 0x21, 0x82, 0xa3, 0xc2, 0xd3, 0x99}) {
            reject(new long[] {encode(opcode, 0, 0, 0, 0), EXIT}, 0, String.format("unknown opcode 0x%02x", opcode));
        }
    }

    @Test
    void rejectsBadRegisters() {
        reject(new long[] {EXIT, encode(0xb7, 11, 0, 0, 0)}, 1, "bad register r11 in dst");
        reject(new long[] {encode(0xbf, 1, 15, 0, 0), EXIT}, 0, "bad register r15 in src");
        reject(new long[] {encode(0x61, 1, 12, 0, 0), EXIT}, 0, "bad register r12 in src");
        reject(new long[] {encode(0x7b, 11, 1, 0, 0), EXIT}, 0, "bad register r11 in dst");
        reject(new long[] {encode(0x1d, 1, 11, 0, 0), EXIT}, 0, "bad register r11 in src");
        reject(new long[] {encode(0x8d, 11, 0, 0, 0), EXIT}, 0, "bad register r11 in dst");
        reject(new long[] {encode(0x48, 0, 11, 0, 0), EXIT}, 0, "bad register r11 in src");
    }

    @Test
    void rejectsWritingTheFramePointer() {
        reject(new long[] {encode(0xb7, 10, 0, 0, 0), EXIT}, 0, "r10 is read-only");
        reject(new long[] {encode(0x07, 10, 0, 0, 8), EXIT}, 0, "r10 is read-only");
        reject(new long[] {encode(0x79, 10, 1, 0, 0), EXIT}, 0, "r10 is read-only");
        reject(new long[] {encode(0x18, 10, 0, 0, 0), 0, EXIT}, 0, "r10 is read-only");
        reject(new long[] {encode(0xdc, 10, 0, 0, 16), EXIT}, 0, "r10 is read-only");
        reject(new long[] {encode(0xdb, 1, 10, 0, 0x01), EXIT}, 0, "r10 is read-only (the atomic fetch writes src)");
        reject(new long[] {encode(0xc3, 1, 10, 0, 0xe1), EXIT}, 0, "r10 is read-only");
    }

    @Test
    void rejectsNonzeroReservedFields() {
        reject(new long[] {encode(0x07, 1, 2, 0, 1), EXIT}, 0, "src must be 0 but is 2");
        reject(new long[] {encode(0x0f, 1, 2, 0, 1), EXIT}, 0, "imm must be 0 but is 1");
        reject(new long[] {encode(0x0f, 1, 2, 1, 0), EXIT}, 0, "offset must be 0 but is 1");
        reject(new long[] {encode(0x3f, 1, 2, 2, 0), EXIT}, 0, "offset of div/mod must be 0 (unsigned) or 1");
        reject(new long[] {encode(0xb7, 1, 0, 8, 0), EXIT}, 0, "offset of mov with an immediate must be 0");
        reject(new long[] {encode(0xbc, 1, 2, 32, 0), EXIT}, 0, "movsx offset must be 8, 16 but is 32");
        reject(new long[] {encode(0xbf, 1, 2, 24, 0), EXIT}, 0, "movsx offset must be 8, 16 or 32 but is 24");
        reject(new long[] {encode(0x87, 1, 0, 0, 5), EXIT}, 0, "imm must be 0 but is 5");
        reject(new long[] {encode(0xdc, 1, 3, 0, 16), EXIT}, 0, "src must be 0 but is 3");
        reject(new long[] {encode(0x05, 1, 0, 0, 0), EXIT}, 0, "dst must be 0 but is 1");
        reject(new long[] {encode(0x05, 0, 0, 0, 4), EXIT}, 0, "imm must be 0 but is 4");
        reject(new long[] {encode(0x06, 0, 0, 1, 0), EXIT}, 0, "offset must be 0 but is 1");
        reject(new long[] {encode(0x15, 1, 2, 0, 0), EXIT}, 0, "src must be 0 but is 2");
        reject(new long[] {encode(0x1d, 1, 2, 0, 3), EXIT}, 0, "imm must be 0 but is 3");
        reject(new long[] {encode(0x85, 1, 0, 0, 3), EXIT}, 0, "dst must be 0 but is 1");
        reject(new long[] {encode(0x85, 0, 0, 2, 3), EXIT}, 0, "offset must be 0 but is 2");
        reject(new long[] {encode(0x85, 0, 3, 0, 3), EXIT}, 0, "call src must be 0 (helper), 1 (local) or 2");
        reject(new long[] {encode(0x8d, 1, 2, 0, 0), EXIT}, 0, "src must be 0 but is 2");
        reject(new long[] {encode(0x8d, 1, 0, 0, 7), EXIT}, 0, "imm must be 0 but is 7");
        reject(new long[] {encode(0x95, 0, 0, 0, 1)}, 0, "imm must be 0 but is 1");
        reject(new long[] {encode(0x95, 1, 0, 0, 0)}, 0, "dst must be 0 but is 1");
        reject(new long[] {encode(0x61, 1, 2, 0, 1), EXIT}, 0, "imm must be 0 but is 1");
        reject(new long[] {encode(0x62, 1, 2, 0, 1), EXIT}, 0, "src must be 0 but is 2");
        reject(new long[] {encode(0x63, 1, 2, 0, 1), EXIT}, 0, "imm must be 0 but is 1");
        reject(new long[] {encode(0x18, 1, 0, 4, 0), 0, EXIT}, 0, "offset must be 0 but is 4");
        reject(new long[] {encode(0x18, 1, 7, 0, 0), 0, EXIT}, 0, "lddw src must be 0..6 but is 7");
        reject(new long[] {encode(0x20, 1, 0, 0, 0), EXIT}, 0, "dst must be 0 but is 1");
        reject(new long[] {encode(0x20, 0, 1, 0, 0), EXIT}, 0, "src must be 0 but is 1");
        reject(new long[] {encode(0x40, 0, 1, 2, 0), EXIT}, 0, "offset must be 0 but is 2");
    }

    @Test
    void rejectsMalformedLddw() {
        reject(new long[] {EXIT, encode(0x18, 1, 0, 0, 0)}, 1, "lddw is missing its second half");
        reject(new long[] {encode(0x18, 1, 0, 0, 0), EXIT}, 1, "malformed second half of lddw");
        reject(new long[] {encode(0x18, 1, 0, 0, 0), encode(0, 1, 0, 0, 0), EXIT}, 1, "malformed second half");
        reject(new long[] {encode(0x18, 1, 0, 0, 0), encode(0, 0, 0, 1, 0), EXIT}, 1, "malformed second half");
        reject(new long[] {encode(0x18, 1, 1, 0, 0), encode(0, 0, 0, 0, 1), EXIT}, 1,
                "lddw with src 1 must have 0 in the second half's imm");
        reject(new long[] {encode(0x18, 1, 5, 0, 0), encode(0, 0, 0, 0, 1), EXIT}, 1, "src 5 must have 0");
    }

    @Test
    void rejectsBadTargets() {
        reject(new long[] {encode(0x05, 0, 0, 1, 0), EXIT}, 0, "jump target 2 is outside the program (0..1)");
        reject(new long[] {EXIT, encode(0x05, 0, 0, -3, 0)}, 1, "jump target -1 is outside the program");
        reject(new long[] {encode(0x15, 1, 0, 32767, 0), EXIT}, 0, "jump target 32768 is outside");
        reject(new long[] {encode(0x06, 0, 0, 0, Integer.MAX_VALUE), EXIT}, 0, "jump target 2147483648 is outside");
        reject(new long[] {encode(0x85, 0, 1, 0, 5), EXIT}, 0, "call target 6 is outside the program");
        reject(new long[] {encode(0x85, 0, 1, 0, Integer.MIN_VALUE), EXIT}, 0, "call target -2147483647 is outside");
        reject(new long[] {encode(0x18, 1, 4, 0, 9), 0, EXIT}, 0, "code address target 10 is outside");
        long[] intoLddw = {encode(0x05, 0, 0, 1, 0), encode(0x18, 1, 0, 0, 0), 0, EXIT};
        reject(intoLddw, 0, "jump target 2 is the second half of a lddw");
        reject(new long[] {encode(0x85, 0, 1, 0, 1), encode(0x18, 1, 0, 0, 0), 0, EXIT}, 0,
                "call target 2 is the second half of a lddw");
        reject(new long[] {encode(0x06, 0, 0, 0, 1), encode(0x18, 1, 0, 0, 0), 0, EXIT}, 0, "second half of a lddw");
    }

    @Test
    void rejectsBadAtomicOperations() {
        for (int op : new int[] {0x02, 0x10, 0x11, 0xe0, 0xf0, 0x80, 0x100}) {
            reject(new long[] {encode(0xdb, 1, 2, 0, op), EXIT}, 0, String.format("bad atomic operation 0x%x", op));
        }
        reject(new long[] {encode(0xd3, 1, 2, 0, 0), EXIT}, 0, "unknown opcode 0xd3"); // 8-bit atomic
        reject(new long[] {encode(0xcb, 1, 2, 0, 0), EXIT}, 0, "unknown opcode 0xcb"); // 16-bit atomic
    }

    @Test
    void rejectsBadEndiannessWidths() {
        for (int opcode : new int[] {0xd4, 0xdc, 0xd7}) {
            for (int width : new int[] {0, 8, 24, 128, -16}) {
                reject(new long[] {encode(opcode, 1, 0, 0, width), EXIT}, 0,
                        "byte swap width must be 16, 32 or 64 but is " + width);
            }
        }
    }

    private static void accept(long word) {
        List<Instruction> p = Decoder.decode(new long[] {word, EXIT, EXIT});
        assertEquals(word, p.get(0).words()[0]);
    }

    private static void reject(long[] words, int index, String reason) {
        reject(() -> Decoder.decode(words), index, reason);
    }

    private static void reject(org.junit.jupiter.api.function.Executable call, int index, String reason) {
        InvalidProgramException e = assertThrows(InvalidProgramException.class, call);
        assertEquals(index, e.index(), e.getMessage());
        assertTrue(e.reason().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("instruction " + index + ": "), e.getMessage());
    }
}

package org.ebpfosgi.interpreter.machine;

import org.ebpfosgi.interpreter.internal.InterpretedProgram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.isa.Assembler;
import org.junit.jupiter.api.Test;

/**
 * Superinstructions ({@link ProgramCode#fuse}): which groups are fused, that a group never swallows a
 * jump target, and that fused code computes what the same code computes unfused.
 */
class FusionTest {
    /** Every fused code, each group followed by code that makes the path taken visible in r0. */
    private static final List<String> KITCHEN_SINK = List.of(
            "ldxdw %r2, [%r1]", "ldxdw %r4, [%r1+8]", "ldxdw %r5, [%r1+16]", "mov %r3, %r2", "and %r3, 15",
            "mov %r0, 0", "mov %r6, 0",
            "top:",
            "add %r0, %r4", "jsgt %r0, %r5, skip1",           // add x; jcc
            "xor %r0, 0x11",
            "skip1:",
            "mov %r7, %r0", "jset %r7, 1, skip2",             // mov x; jcc
            "add %r0, 0x22",
            "skip2:",
            "mov32 %r7, %r2", "jle32 %r7, %r4, skip3",        // mov32 x; jcc (32-bit compare)
            "lsh %r0, 1",
            "skip3:",
            "and %r7, 0xff", "jne %r7, 0x80, skip4",          // and k; jcc
            "add %r0, 3",
            "skip4:",
            "mov32 %r7, %r5", "and32 %r7, 0xf0f0", "jeq32 %r7, 0, skip5", // and32 k; jcc
            "add %r0, 5",
            "skip5:",
            "ldxb %r7, [%r1+3]", "jgt %r7, 100, skip6",       // ldxb; jcc
            "add %r0, 7",
            "skip6:",
            "ldxh %r7, [%r1+4]", "jsle %r7, 30000, skip7",    // ldxh; jcc
            "add %r0, 11",
            "skip7:",
            "ldxw %r7, [%r1+8]", "jslt32 %r7, 0, skip8",      // ldxw; jcc
            "add %r0, 13",
            "skip8:",
            "mov %r8, %r6", "add %r8, -2", "jsge %r8, 0, skip9", // mov x; add k; jcc
            "add %r0, 17",
            "skip9:",
            "mov %r8, %r2", "add %r8, %r6", "xor %r0, %r8",   // mov x; add x
            "mov %r8, %r4", "add %r8, %r8", "add %r0, %r8",   // mov x; add x to itself
            "mov %r8, %r5", "add %r8, 99", "xor %r0, %r8",    // mov x; add k
            "mov %r9, 0", "ja skip10",                        // mov k; ja
            "mov %r0, -1",
            "skip10:",
            "add %r7, 300", "add %r8, -7", "xor %r0, %r7", "xor %r0, %r8", // add k; add k
            "mov %r8, %r2", "and %r8, 0x3c", "xor %r0, %r8",  // mov x; and k
            "mov %r8, %r0", "and %r8, 1", "jeq %r8, 0, skip11", // mov x; and k; jcc
            "add %r0, 19",
            "skip11:",
            "mov %r8, %r0", "rsh %r8, 7", "xor %r0, %r8",     // mov x; rsh k
            "mov32 %r8, %r0", "rsh32 %r8, 15", "xor %r0, %r8", // mov32 x; rsh32 k
            "ldxw %r8, [%r1+4]", "be32 %r8", "xor %r0, %r8",  // ldxw; be32
            "ldxh %r8, [%r1+6]", "be16 %r8", "add %r0, %r8",  // ldxh; be16
            "ldxb %r8, [%r1+5]", "xor %r0, %r8", "add %r0, %r8", // ldxb; xor into another register
            "ldxb %r8, [%r1+2]", "xor %r8, %r8", "add %r0, %r8", // ldxb; xor into itself: not this fusion
            "add %r6, 1", "jlt %r6, %r3, top",                // add k; jcc back edge
            "exit");

    @Test
    void fusedCodeComputesWhatTheSameCodeComputesUnfused() {
        ProgramCode fused = ProgramCode.of(image(assembly(KITCHEN_SINK, false)));
        ProgramCode unfused = ProgramCode.of(image(assembly(KITCHEN_SINK, true)));
        Set<Integer> expected = new TreeSet<>(List.of(Ops.I_MOV_ADD_X, Ops.I_MOV_ADD_K, Ops.I_MOV_ADD_K_J,
                Ops.I_ADD64_K_J, Ops.I_ADD64_X_J, Ops.I_MOV64_X_J, Ops.I_MOV64_K_J, Ops.I_MOV32_X_J,
                Ops.I_AND64_K_J, Ops.I_AND32_K_J, Ops.I_LDXB_J, Ops.I_LDXH_J, Ops.I_LDXW_J, Ops.I_ADD2_K,
                Ops.I_MOV_AND_K, Ops.I_MOV_AND_K_J, Ops.I_MOV_RSH_K, Ops.I_MOV32_RSH32_K, Ops.I_LDXW_BE32,
                Ops.I_LDXH_BE16, Ops.I_LDXB_XOR));
        assertEquals(expected, fusedCodes(fused));
        assertEquals(Set.of(), fusedCodes(unfused), "a jump target inside every group prevents fusion");
        InterpretedProgram a = new InterpretedProgram(fused, Long.MAX_VALUE);
        InterpretedProgram b = new InterpretedProgram(unfused, Long.MAX_VALUE);
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            byte[] memory = new byte[24];
            random.nextBytes(memory);
            assertEquals(run(b, memory), run(a, memory), "input #" + i);
        }
    }

    @Test
    void aJumpIntoTheMiddleOfAFusablePairPreventsFusionAndRunsTheSecondAlone() {
        // 2-3 (mov; add) would fuse, but 1 jumps to 3.
        String asm = "mov %r0, 7\njne %r2, 0, second\nmov %r0, %r2\nsecond:\nadd %r0, 3\nexit";
        ProgramCode code = ProgramCode.of(image(asm));
        assertEquals(0xbf, code.words[2] & 0xFF, "mov stays on its own");
        assertEquals(0x07, code.words[3] & 0xFF);
        InterpretedProgram program = new InterpretedProgram(code, Long.MAX_VALUE);
        assertEquals(10L, run(program, new byte[3])); // r2 = 3: jumps into the middle
        assertEquals(3L, run(program, new byte[0]));  // r2 = 0: falls through both
        // Without the jump into the middle the same pair is fused.
        ProgramCode straight = ProgramCode.of(image("mov %r0, 7\njne %r2, 0, over\nmov %r0, %r2\nadd %r0, 3\nover:\nexit"));
        assertEquals(Ops.I_MOV_ADD_K, straight.words[2] & 0xFF);
    }

    @Test
    void aLocalCallTargetOrCodeAddressIsAJumpTargetToo() {
        ProgramCode called = ProgramCode.of(image("mov %r1, 1\ncall local fn\nexit\nmov %r0, %r1\nfn:\nadd %r0, 1\nexit"));
        assertEquals(0xbf, called.words[3] & 0xFF);
    }

    @Test
    void aFusedBackEdgeChargesTheBudgetAndNamesTheJump() {
        ProgramCode code = ProgramCode.of(image("mov %r0, 0\nloop:\nadd %r0, 1\njne %r0, 0, loop\nexit"));
        assertEquals(Ops.I_ADD64_K_J, code.words[1] & 0xFF);
        InterpretedProgram program = new InterpretedProgram(code, 1000);
        ExecutionException e = assertThrows(ExecutionException.class, () -> run(program, new byte[0]));
        assertTrue(e.getMessage().contains("budget"), e.getMessage());
        assertEquals(2, e.pc());
    }

    @Test
    void aFusedLoadOutOfBoundsAbortsAtTheLoad() {
        ProgramCode code = ProgramCode.of(image("mov %r0, 0\nldxw %r3, [%r1+6]\njeq %r3, 0, out\nmov %r0, 1\nout:\nexit"));
        assertEquals(Ops.I_LDXW_J, code.words[1] & 0xFF);
        InterpretedProgram program = new InterpretedProgram(code, Long.MAX_VALUE);
        assertEquals(0L, run(program, new byte[10]));
        ExecutionException e = assertThrows(ExecutionException.class, () -> run(program, new byte[8]));
        assertEquals(1, e.pc());
    }

    /** The lines with a never-taken jump to each instruction after a label-free line when {@code unfused}. */
    private static String assembly(List<String> lines, boolean unfused) {
        List<String> out = new ArrayList<>();
        List<String> body = new ArrayList<>();
        int labels = 0;
        boolean first = true;
        for (String line : lines) {
            if (!line.endsWith(":") && !first && unfused) {
                body.add("t" + labels + ":");
                out.add("jne %r9, 0, t" + labels);
                labels++;
            }
            if (!line.endsWith(":")) {
                first = false;
            }
            body.add(line);
        }
        out.add(0, "mov %r9, 0");
        out.add(1, "lsh %r9, 1"); // not fusable: the never-taken jumps stay on their own
        out.addAll(body);
        return String.join("\n", out);
    }

    private static Set<Integer> fusedCodes(ProgramCode code) {
        Set<Integer> found = new TreeSet<>();
        for (int pc = 0; pc < code.raw.length; pc++) {
            int op = (int) code.words[pc] & 0xFF;
            if (code.instructionStart[pc] && op != ((int) code.raw[pc] & 0xFF) && isFused(op)) {
                found.add(op);
            }
        }
        return found;
    }

    private static boolean isFused(int op) {
        return op == Ops.I_MOV_ADD_X || op == Ops.I_MOV_ADD_K || op == Ops.I_MOV_ADD_K_J || op == Ops.I_ADD64_K_J
                || op == Ops.I_ADD64_X_J || op == Ops.I_MOV64_X_J || op == Ops.I_MOV64_K_J || op == Ops.I_MOV32_X_J
                || op == Ops.I_AND64_K_J || op == Ops.I_AND32_K_J || op == Ops.I_LDXB_J || op == Ops.I_LDXH_J
                || op == Ops.I_LDXW_J || op == Ops.I_ADD2_K || op == Ops.I_MOV_AND_K || op == Ops.I_MOV_AND_K_J
                || op == Ops.I_MOV_RSH_K || op == Ops.I_MOV32_RSH32_K || op == Ops.I_LDXW_BE32 || op == Ops.I_LDXH_BE16
                || op == Ops.I_LDXB_XOR;
    }

    private static ProgramImage image(String asm) {
        return ProgramImage.of("fusion", Assembler.assemble(asm));
    }

    private static long run(InterpretedProgram program, byte[] memory) {
        Memory m = program.memory();
        long r1 = memory.length == 0 ? 0 : m.map(Region.of(Region.Kind.MEMORY, "memory", memory));
        return program.run(m, r1, memory.length, null);
    }
}

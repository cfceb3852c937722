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
            "ldxb %r7, [%r1+1]", "ldxb %r8, [%r1+2]", "xor %r0, %r7", "mul %r0, %r8", // ldxb; ldxb (same base)
            "stxw [%r10-8], %r0", "stxw [%r10-4], %r7", "ldxdw %r8, [%r10-8]", "xor %r0, %r8", // stxw; stxw
            "lsh %r0, 3", "or %r0, %r7",                      // lsh k; or x
            "lsh %r8, 2", "or %r8, %r8", "xor %r0, %r8",      // lsh k; or x of itself
            "add %r0, %r7", "add %r7, 5", "xor %r0, %r7",     // add x; add k
            "add %r0, %r2", "add %r7, 1", "jgt %r7, 50, skip12", // add x; add k; jcc
            "add %r0, 23",
            "skip12:",
            "mul %r0, %r3", "add %r7, 3", "xor %r0, %r7",     // mul x; add k
            "mul %r0, %r5", "add %r7, 1", "jne %r7, 1000, skip13", // mul x; add k; jcc
            "add %r0, 29",
            "skip13:",
            "mov %r8, %r0", "mov %r7, %r8", "xor %r0, %r7",   // mov x; mov x reading the first's result
            "mov %r8, %r7", "mov %r7, %r0", "jlt %r7, %r8, skip14", // mov x; mov x; jcc
            "add %r0, 31",
            "skip14:",
            "add %r7, 9", "mov %r8, %r7", "xor %r0, %r8",     // add k; mov x
            "add %r0, 1", "mov %r8, %r0", "jeq %r8, 77, skip15", // add k; mov x; jcc
            "add %r0, 37",
            "skip15:",
            "xor32 %r7, %r0", "xor32 %r7, %r2", "add %r0, %r7", // xor32 x; xor32 x
            "mul %r7, 3", "add %r7, 1", "xor %r0, %r7",       // mul k; add k
            "mul32 %r7, 1103515245", "add32 %r7, 12345", "xor %r0, %r7", // mul32 k; add32 k
            "mul32 %r0, -1640531535", "mov32 %r8, %r0", "rsh32 %r8, 15", "xor32 %r0, %r8", // mul32 k; mov32 x; rsh32 k
            "lsh %r0, 1",
            "add %r6, 1", "jlt %r6, %r3, top",                // add k; jcc back edge
            "exit");

    @Test
    void fusedCodeComputesWhatTheSameCodeComputesUnfused() {
        ProgramCode fused = ProgramCode.of(image(assembly(KITCHEN_SINK, false)), true);
        ProgramCode unfused = ProgramCode.of(image(assembly(KITCHEN_SINK, true)), true);
        Set<Integer> expected = new TreeSet<>(List.of(Ops.I_MOV_ADD_X, Ops.I_MOV_ADD_K, Ops.I_MOV_ADD_K_J,
                Ops.I_ADD64_K_J, Ops.I_ADD64_X_J, Ops.I_MOV64_X_J, Ops.I_MOV64_K_J, Ops.I_MOV32_X_J,
                Ops.I_AND64_K_J, Ops.I_AND32_K_J, Ops.I_LDXB_J, Ops.I_LDXH_J, Ops.I_LDXW_J, Ops.I_ADD2_K,
                Ops.I_MOV_AND_K, Ops.I_MOV_AND_K_J, Ops.I_MOV_RSH_K, Ops.I_MOV32_RSH32_K, Ops.I_LDXW_BE32,
                Ops.I_LDXH_BE16, Ops.I_LDXB_XOR, Ops.I_LDXB2, Ops.I_STXW2, Ops.I_LSH_OR_X, Ops.I_ADD_X_ADD_K,
                Ops.I_ADD_X_ADD_K_J, Ops.I_MUL_X_ADD_K, Ops.I_MUL_X_ADD_K_J, Ops.I_MOV2_X, Ops.I_MOV2_X_J,
                Ops.I_ADD_K_MOV_X, Ops.I_ADD_K_MOV_X_J, Ops.I_XOR2_32_X, Ops.I_MUL_K_ADD_K, Ops.I_MUL32_K_ADD32_K,
                Ops.I_MUL32_K_MOV_RSH32));
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

    @Test
    void aFaultInTheSecondAccessOfAFusedPairNamesTheSecondInstruction() {
        ProgramCode loads = ProgramCode.of(image("ldxb %r2, [%r1+1]\nldxb %r3, [%r1+8]\nmov %r0, %r3\nexit"));
        assertEquals(Ops.I_LDXB2, loads.words[0] & 0xFF);
        InterpretedProgram program = new InterpretedProgram(loads, Long.MAX_VALUE);
        assertEquals(9L, run(program, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 9}));
        assertEquals(1, assertThrows(ExecutionException.class, () -> run(program, new byte[4])).pc());
        ProgramCode stores = ProgramCode.of(image("stxw [%r1], %r2\nstxw [%r1+4], %r2\nmov %r0, 0\nexit"), true);
        assertEquals(Ops.I_STXW2, stores.words[0] & 0xFF);
        InterpretedProgram storing = new InterpretedProgram(stores, Long.MAX_VALUE);
        assertEquals(0L, run(storing, new byte[8]));
        assertEquals(1, assertThrows(ExecutionException.class, () -> run(storing, new byte[6])).pc());
    }

    @Test
    void storePairsAreFusedOnlyWhereTheyPayOff() {
        String pair = "stxw [%r1], %r2\nstxw [%r1+4], %r2\nmov %r0, 0\nexit";
        assertEquals(Ops.I_STXW2, ProgramCode.of(image(pair), true).words[0] & 0xFF);
        assertEquals(Ops.STXW, ProgramCode.of(image(pair), false).words[0] & 0xFF);
        int expected = Runtime.version().feature() < 18 ? Ops.I_STXW2 : Ops.STXW; // see ProgramCode.PAIR_STORES
        assertEquals(expected, ProgramCode.of(image(pair)).words[0] & 0xFF);
        InterpretedProgram unpaired = new InterpretedProgram(ProgramCode.of(image(pair), false), Long.MAX_VALUE);
        byte[] memory = new byte[8];
        assertEquals(0L, run(unpaired, memory));
        assertEquals(1, assertThrows(ExecutionException.class, () -> run(unpaired, new byte[6])).pc());
    }

    /**
     * Random straight runs of fusable instructions with random (often aliasing) registers and forward
     * jumps: fused code must compute what the same code computes with every group broken up.
     */
    @Test
    void randomRunsOfFusableInstructionsComputeWhatTheyComputeUnfused() {
        Random random = new Random(7);
        Set<Integer> seen = new TreeSet<>();
        for (int program = 0; program < 300; program++) {
            List<String> lines = randomRun(random);
            ProgramCode fused = ProgramCode.of(image(assembly(lines, false)), true);
            ProgramCode unfused = ProgramCode.of(image(assembly(lines, true)), true);
            seen.addAll(fusedCodes(fused));
            assertEquals(Set.of(), fusedCodes(unfused));
            InterpretedProgram a = new InterpretedProgram(fused, Long.MAX_VALUE);
            InterpretedProgram b = new InterpretedProgram(unfused, Long.MAX_VALUE);
            for (int i = 0; i < 20; i++) {
                byte[] memory = new byte[64];
                random.nextBytes(memory);
                assertEquals(run(b, memory), run(a, memory), "program #" + program + ", input #" + i + ":\n" + lines);
            }
        }
        assertTrue(seen.containsAll(List.of(Ops.I_LDXB2, Ops.I_STXW2, Ops.I_LSH_OR_X, Ops.I_ADD_X_ADD_K,
                Ops.I_ADD_X_ADD_K_J, Ops.I_MUL_X_ADD_K, Ops.I_MUL_X_ADD_K_J, Ops.I_MOV2_X, Ops.I_MOV2_X_J,
                Ops.I_ADD_K_MOV_X, Ops.I_ADD_K_MOV_X_J, Ops.I_XOR2_32_X, Ops.I_MUL_K_ADD_K, Ops.I_MUL32_K_ADD32_K,
                Ops.I_MUL32_K_MOV_RSH32)), "fused codes seen: " + seen);
    }

    /** Registers loaded from memory, then 40 random fusable instructions and forward jumps, r0 mixed from all. */
    private static List<String> randomRun(Random random) {
        List<String> lines = new ArrayList<>();
        for (int reg = 2; reg <= 8; reg++) {
            lines.add("ldxdw %r" + reg + ", [%r1+" + (reg - 2) * 8 + "]");
        }
        lines.add("mov %r0, 0");
        for (int k = 8; k <= 64; k += 8) {
            lines.add("stxdw [%r10-" + k + "], %r0");
        }
        int labels = 0;
        int pendingLabel = -1;
        for (int i = 0; i < 40; i++) {
            String a = dst(random);
            String b = reg(random);
            String c = dst(random);
            String d = reg(random);
            int k = random.nextInt(2000) - 1000;
            switch (random.nextInt(14)) {
                case 0: lines.add("ldxb " + a + ", [%r1+" + random.nextInt(64) + "]"); break;
                case 1: lines.add("stxw [%r10-" + 4 * (1 + random.nextInt(16)) + "], " + b); break;
                case 2: lines.add("ldxw " + a + ", [%r10-" + 4 * (1 + random.nextInt(16)) + "]"); break;
                case 3: lines.add("lsh " + a + ", " + random.nextInt(64)); lines.add("or " + a + ", " + b); break;
                case 4: lines.add("add " + a + ", " + b); break;
                case 5: lines.add("add " + a + ", " + k); break;
                case 6: lines.add("mul " + a + ", " + b); break;
                case 7: lines.add("mul " + a + ", " + k); lines.add("add " + a + ", " + random.nextInt(100)); break;
                case 8: lines.add("mov " + a + ", " + b); break;
                case 9: lines.add("xor32 " + a + ", " + b); break;
                case 10: lines.add("mul32 " + a + ", " + (random.nextInt() | 1)); lines.add("add32 " + a + ", " + k); break;
                case 11: lines.add("mul32 " + a + ", " + random.nextInt()); lines.add("mov32 " + c + ", " + a);
                    lines.add("rsh32 " + c + ", " + random.nextInt(32)); break;
                case 12: lines.add("mov " + c + ", " + d); lines.add("mov " + a + ", " + b); break;
                default:
                    if (pendingLabel < 0) {
                        pendingLabel = labels++;
                        lines.add((random.nextBoolean() ? "jlt " + a + ", " + b : "jne " + a + ", " + k) + ", j" + pendingLabel);
                    }
                    break;
            }
            if (pendingLabel >= 0 && random.nextInt(4) == 0) {
                lines.add("j" + pendingLabel + ":");
                lines.add("xor %r0, " + reg(random));
                pendingLabel = -1;
            }
        }
        if (pendingLabel >= 0) {
            lines.add("j" + pendingLabel + ":");
        }
        for (int reg = 2; reg <= 8; reg++) {
            lines.add("mul %r0, 31");
            lines.add("xor %r0, %r" + reg);
        }
        lines.add("exit");
        return lines;
    }

    /** A destination: r0 or r2..r8 (r1 points to the memory, r9 is the unfused form's, r10 is read-only). */
    private static String dst(Random random) {
        int n = random.nextInt(8);
        return "%r" + (n == 0 ? 0 : n + 1);
    }

    private static String reg(Random random) {
        return "%r" + random.nextInt(9);
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
                || op == Ops.I_LDXB_XOR || op == Ops.I_LDXB2 || op == Ops.I_STXW2 || op == Ops.I_LSH_OR_X
                || op == Ops.I_ADD_X_ADD_K || op == Ops.I_ADD_X_ADD_K_J || op == Ops.I_MUL_X_ADD_K
                || op == Ops.I_MUL_X_ADD_K_J || op == Ops.I_MOV2_X || op == Ops.I_MOV2_X_J || op == Ops.I_ADD_K_MOV_X
                || op == Ops.I_ADD_K_MOV_X_J || op == Ops.I_XOR2_32_X || op == Ops.I_MUL_K_ADD_K
                || op == Ops.I_MUL32_K_ADD32_K || op == Ops.I_MUL32_K_MOV_RSH32;
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

package org.ebpfosgi.isa;

import static org.ebpfosgi.isa.Opcodes.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Decodes and validates a whole program against RFC 9669 (CPU v1-v4, including the legacy packet loads and callx).
 * Every field is checked: registers, reserved fields that must be zero, lddw pairs, and that every jump, local call
 * and code address lands on the first slot of an instruction inside the program.
 */
public final class Decoder {
    private Decoder() {
    }

    /**
     * @return the instructions in program order, each knowing its slot (lddw is one element covering two slots);
     *     unmodifiable
     * @throws InvalidProgramException naming the first offending slot
     */
    public static List<Instruction> decode(long[] words) {
        Objects.requireNonNull(words, "words");
        int n = words.length;
        if (n == 0) {
            throw new InvalidProgramException(0, "empty program");
        }
        List<Instruction> out = new ArrayList<>(n);
        // Slots that hold the second half of a lddw: no control transfer may land there.
        boolean[] secondHalf = new boolean[n];
        for (int slot = 0; slot < n; slot++) {
            long word = words[slot];
            Instruction insn = decodeOne(word, slot);
            if (insn.opcode() == LDDW) {
                if (slot + 1 >= n) {
                    throw new InvalidProgramException(slot, "lddw is missing its second half");
                }
                long next = words[slot + 1];
                if ((next & 0xffffffffL) != 0) {
                    throw new InvalidProgramException(slot + 1, String.format(
                            "malformed second half of lddw: opcode, registers and offset must be 0 (word 0x%016x)",
                            next));
                }
                long imm64 = insn.imm() & 0xffffffffL | next & 0xffffffff00000000L;
                int high = (int) (next >>> 32);
                int pseudo = insn.src();
                if (high != 0 && pseudo != PSEUDO_NONE && pseudo != PSEUDO_MAP_VALUE
                        && pseudo != PSEUDO_MAP_IDX_VALUE) {
                    throw new InvalidProgramException(slot + 1,
                            "lddw with src " + pseudo + " must have 0 in the second half's imm");
                }
                insn = new Instruction(slot, LDDW, insn.dst(), pseudo, 0, insn.imm(), imm64);
                secondHalf[slot + 1] = true;
                slot++;
            }
            out.add(insn);
        }
        for (Instruction insn : out) {
            boolean byImm = insn.opcode() == (JMP32 | JA) || insn.isLocalCall();
            boolean codeAddress = insn.isLddw() && insn.src() == PSEUDO_FUNC;
            if (!insn.isJump() && !byImm && !codeAddress) {
                continue;
            }
            String what = insn.isLocalCall() ? "call" : codeAddress ? "code address" : "jump";
            long target = (long) insn.slot() + 1 + (byImm || codeAddress ? insn.imm() : insn.offset());
            if (target < 0 || target >= n) {
                throw new InvalidProgramException(insn.slot(),
                        what + " target " + target + " is outside the program (0.." + (n - 1) + ")");
            }
            if (secondHalf[(int) target]) {
                throw new InvalidProgramException(insn.slot(),
                        what + " target " + target + " is the second half of a lddw");
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * For each slot of a decoded program, the index of its instruction in {@code program}; -1 for the second half
     * of a lddw. Jump and call targets are slots: this maps them to list positions.
     */
    public static int[] instructionIndexBySlot(List<Instruction> program) {
        if (program.isEmpty()) {
            return new int[0];
        }
        Instruction last = program.get(program.size() - 1);
        int[] index = new int[last.slot() + last.slotCount()];
        java.util.Arrays.fill(index, -1);
        for (int i = 0; i < program.size(); i++) {
            index[program.get(i).slot()] = i;
        }
        return index;
    }

    /** The lowest clang {@code -mcpu} version (1..4) able to emit every instruction of a decoded program. */
    public static int minimumCpuVersion(List<Instruction> program) {
        int version = 1;
        for (Instruction insn : program) {
            version = Math.max(version, insn.minimumCpuVersion());
        }
        return version;
    }

    /**
     * Groups little-endian code bytes (as in an ELF section) into instruction words.
     *
     * @throws InvalidProgramException if the length is not a multiple of 8
     */
    public static long[] words(byte[] code) {
        if (code.length % 8 != 0) {
            throw new InvalidProgramException(code.length / 8,
                    "code is " + code.length + " bytes, not a whole number of 8-byte instructions");
        }
        long[] words = new long[code.length / 8];
        for (int i = 0; i < words.length; i++) {
            long w = 0;
            for (int b = 7; b >= 0; b--) {
                w = w << 8 | (code[i * 8 + b] & 0xffL);
            }
            words[i] = w;
        }
        return words;
    }

    // -------------------------------------------------------------------------------------------------------

    private static Instruction decodeOne(long word, int slot) {
        int opcode = Opcodes.opcode(word);
        int dst = Opcodes.dst(word);
        int src = Opcodes.src(word);
        int offset = Opcodes.offset(word);
        int imm = Opcodes.imm(word);
        Check c = new Check(slot, opcode, dst, src, offset, imm);
        switch (opcode & CLASS_MASK) {
            case ALU, ALU64 -> c.alu();
            case JMP, JMP32 -> c.jump();
            case LD -> c.ld();
            case LDX -> c.ldx();
            case ST -> c.st();
            default -> c.stx();
        }
        return new Instruction(slot, opcode, dst, src, offset, imm, imm);
    }

    /** Field checks of one instruction word. */
    private record Check(int slot, int opcode, int dst, int src, int offset, int imm) {

        private InvalidProgramException fail(String reason) {
            return new InvalidProgramException(slot, reason + String.format(" (opcode 0x%02x)", opcode));
        }

        private InvalidProgramException unknown() {
            return new InvalidProgramException(slot, String.format("unknown opcode 0x%02x", opcode));
        }

        private void zero(String field, int value) {
            if (value != 0) {
                throw fail(field + " must be 0 but is " + value);
            }
        }

        private void readable(String field, int register) {
            if (register > 10) {
                throw fail("bad register r" + register + " in " + field);
            }
        }

        private void writable(int register) {
            readable("dst", register);
            if (register == FRAME_POINTER) {
                throw fail("r10 is read-only");
            }
        }

        private boolean registerSource() {
            return (opcode & SOURCE_MASK) == X;
        }

        /** K: src must be 0; X: imm must be 0 and src a register. */
        private void operand() {
            if (registerSource()) {
                readable("src", src);
                zero("imm", imm);
            } else {
                zero("src", src);
            }
        }

        void alu() {
            boolean is64 = (opcode & CLASS_MASK) == ALU64;
            int op = opcode & OP_MASK;
            switch (op) {
                case ADD, SUB, MUL, OR, AND, LSH, RSH, XOR, ARSH -> {
                    writable(dst);
                    operand();
                    zero("offset", offset);
                }
                case DIV, MOD -> {
                    writable(dst);
                    operand();
                    if (offset != 0 && offset != 1) {
                        throw fail("offset of div/mod must be 0 (unsigned) or 1 (signed) but is " + offset);
                    }
                }
                case MOV -> {
                    writable(dst);
                    operand();
                    if (offset != 0) {
                        if (!registerSource()) {
                            throw fail("offset of mov with an immediate must be 0 but is " + offset);
                        }
                        if (offset != 8 && offset != 16 && (offset != 32 || !is64)) {
                            throw fail("movsx offset must be 8, 16" + (is64 ? " or 32" : "") + " but is " + offset);
                        }
                    }
                }
                case NEG -> {
                    if (registerSource()) {
                        throw unknown();
                    }
                    writable(dst);
                    zero("src", src);
                    zero("offset", offset);
                    zero("imm", imm);
                }
                case END -> {
                    if (is64 && registerSource()) {
                        throw unknown();
                    }
                    writable(dst);
                    zero("src", src);
                    zero("offset", offset);
                    if (imm != 16 && imm != 32 && imm != 64) {
                        throw fail("byte swap width must be 16, 32 or 64 but is " + imm);
                    }
                }
                default -> throw unknown();
            }
        }

        void jump() {
            boolean is32 = (opcode & CLASS_MASK) == JMP32;
            int op = opcode & OP_MASK;
            switch (op) {
                case JA -> {
                    if (registerSource()) {
                        throw unknown();
                    }
                    zero("dst", dst);
                    zero("src", src);
                    if (is32) {
                        zero("offset", offset);
                    } else {
                        zero("imm", imm);
                    }
                }
                case JEQ, JGT, JGE, JSET, JNE, JSGT, JSGE, JLT, JLE, JSLT, JSLE -> {
                    readable("dst", dst);
                    operand();
                }
                case CALL -> {
                    if (is32) {
                        throw unknown();
                    }
                    zero("offset", offset);
                    if (registerSource()) {
                        // callx: the target register is in dst (as clang and bpf_conformance encode it).
                        readable("dst", dst);
                        zero("src", src);
                        zero("imm", imm);
                    } else {
                        zero("dst", dst);
                        if (src != CALL_HELPER && src != CALL_LOCAL && src != CALL_KFUNC) {
                            throw fail("call src must be 0 (helper), 1 (local) or 2 (kfunc) but is " + src);
                        }
                    }
                }
                case EXIT -> {
                    if (is32 || registerSource()) {
                        throw unknown();
                    }
                    zero("dst", dst);
                    zero("src", src);
                    zero("offset", offset);
                    zero("imm", imm);
                }
                default -> throw unknown();
            }
        }

        void ld() {
            int mode = opcode & MODE_MASK;
            int size = opcode & SIZE_MASK;
            if (mode == IMM && size == DW) {
                writable(dst);
                zero("offset", offset);
                if (src > PSEUDO_MAP_IDX_VALUE) {
                    throw fail("lddw src must be 0..6 but is " + src);
                }
                return;
            }
            if ((mode == ABS || mode == IND) && size != DW) {
                // Legacy packet loads write r0 implicitly.
                zero("dst", dst);
                zero("offset", offset);
                if (mode == ABS) {
                    zero("src", src);
                } else {
                    readable("src", src);
                }
                return;
            }
            throw unknown();
        }

        void ldx() {
            int mode = opcode & MODE_MASK;
            if (mode != MEM && !(mode == MEMSX && (opcode & SIZE_MASK) != DW)) {
                throw unknown();
            }
            writable(dst);
            readable("src", src);
            zero("imm", imm);
        }

        void st() {
            if ((opcode & MODE_MASK) != MEM) {
                throw unknown();
            }
            readable("dst", dst);
            zero("src", src);
        }

        void stx() {
            int mode = opcode & MODE_MASK;
            int size = opcode & SIZE_MASK;
            if (mode == MEM) {
                readable("dst", dst);
                readable("src", src);
                zero("imm", imm);
                return;
            }
            if (mode != ATOMIC || (size != W && size != DW)) {
                throw unknown();
            }
            readable("dst", dst);
            readable("src", src);
            switch (imm) {
                case ATOMIC_ADD, ATOMIC_OR, ATOMIC_AND, ATOMIC_XOR -> {
                }
                case ATOMIC_ADD | FETCH, ATOMIC_OR | FETCH, ATOMIC_AND | FETCH, ATOMIC_XOR | FETCH, ATOMIC_XCHG -> {
                    if (src == FRAME_POINTER) {
                        throw fail("r10 is read-only (the atomic fetch writes src)");
                    }
                }
                case ATOMIC_CMPXCHG -> {
                }
                default -> throw fail(String.format("bad atomic operation 0x%x", imm));
            }
        }
    }
}

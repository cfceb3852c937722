package org.ebpfosgi.verifier.soundness;

import static org.ebpfosgi.isa.Opcodes.*;

import java.util.ArrayList;
import java.util.List;

/** Instruction words with forward and backward labels, resolved when the program is done. */
final class ProgramBuilder {
    private final List<Long> words = new ArrayList<>();
    /** Per word: the label a jump goes to, or -1. */
    private final List<Integer> targets = new ArrayList<>();
    private final List<Integer> labelPositions = new ArrayList<>();
    /** Registers set by the instructions so far, read as straight-line code (a bit per register). */
    private int defined = 1 << 1 | 1 << 10;
    private boolean lddwSecondHalf;

    int defined() {
        return defined;
    }

    private final List<Runnable> later = new ArrayList<>();

    /** Code to place after the main program (subprograms). */
    void later(Runnable code) {
        later.add(code);
    }

    void emitLater() {
        for (int i = 0; i < later.size(); i++) {
            later.get(i).run();
        }
        later.clear();
    }

    int newLabel() {
        labelPositions.add(-1);
        return labelPositions.size() - 1;
    }

    void bind(int label) {
        labelPositions.set(label, words.size());
    }

    int size() {
        return words.size();
    }

    void emit(int opcode, int dst, int src, int offset, int imm) {
        words.add(encode(opcode, dst, src, offset, imm));
        targets.add(-1);
        track(opcode, dst);
    }

    private void track(int opcode, int dst) {
        if (lddwSecondHalf) {
            lddwSecondHalf = false;
            return;
        }
        int cls = opcode & CLASS_MASK;
        if (cls == ALU || cls == ALU64 || cls == LDX || opcode == LDDW) {
            defined |= 1 << dst;
            lddwSecondHalf = opcode == LDDW;
        } else if (cls == LD || cls == JMP && (opcode & OP_MASK) == CALL) {
            defined = defined & ~0b111110 | 1;
        }
    }

    void jump(int opcode, int dst, int src, int imm, int label) {
        words.add(encode(opcode, dst, src, 0, imm));
        targets.add(label);
        track(opcode, dst);
    }

    void lddw(int dst, int src, long imm) {
        emit(LDDW, dst, src, 0, (int) imm);
        emit(0, 0, 0, 0, (int) (imm >>> 32));
    }

    void alu64(int op, int dst, int imm) {
        emit(ALU64 | op | K, dst, 0, 0, imm);
    }

    void alu64Reg(int op, int dst, int src) {
        emit(ALU64 | op | X, dst, src, 0, 0);
    }

    /** {@code size} may carry a mode ({@code MEMSX | W}); MEM otherwise. */
    void load(int size, int dst, int base, int offset) {
        emit(LDX | ((size & MODE_MASK) == 0 ? MEM : 0) | size, dst, base, offset, 0);
    }

    void store(int size, int base, int offset, int imm) {
        emit(ST | MEM | size, base, 0, offset, imm);
    }

    void storeReg(int size, int base, int offset, int src) {
        emit(STX | MEM | size, base, src, offset, 0);
    }

    void call(int helper) {
        emit(JMP | CALL, 0, CALL_HELPER, 0, helper);
    }

    void exit() {
        emit(JMP | EXIT, 0, 0, 0, 0);
    }

    long[] build() {
        long[] out = new long[words.size()];
        for (int i = 0; i < out.length; i++) {
            long w = words.get(i);
            int label = targets.get(i);
            if (label >= 0) {
                int at = labelPositions.get(label);
                if (at < 0) {
                    throw new IllegalStateException("label " + label + " never bound");
                }
                boolean viaImm = opcode(w) == (JMP | CALL);
                w = viaImm ? w & 0xFFFF_FFFFL | ((long) (at - i - 1) & 0xFFFF_FFFFL) << 32
                        : w & ~(0xFFFFL << 16) | ((at - i - 1) & 0xFFFFL) << 16;
            }
            out[i] = w;
        }
        return out;
    }
}

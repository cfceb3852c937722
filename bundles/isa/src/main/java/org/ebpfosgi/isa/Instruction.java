package org.ebpfosgi.isa;

import static org.ebpfosgi.isa.Opcodes.*;

/**
 * One decoded instruction (RFC 9669), immutable, at its slot in the program. A lddw takes two slots; its
 * {@link #imm64()} joins both immediates and {@link #src()} is its pseudo kind ({@link Opcodes#PSEUDO_MAP_FD} ...).
 * Instances come from {@link Decoder}, which has checked every field. Two instructions are equal if all their
 * fields, the slot included, are.
 */
public final class Instruction {
    private final int slot;
    private final int opcode;
    private final int dst;
    private final int src;
    private final int offset;
    private final int imm;
    private final long imm64;

    Instruction(int slot, int opcode, int dst, int src, int offset, int imm, long imm64) {
        this.slot = slot;
        this.opcode = opcode;
        this.dst = dst;
        this.src = src;
        this.offset = offset;
        this.imm = imm;
        this.imm64 = imm64;
    }

    /** The 0-based slot (64-bit word index) of this instruction in its program. */
    public int slot() {
        return slot;
    }

    /** The opcode byte, 0..255. */
    public int opcode() {
        return opcode;
    }

    public int dst() {
        return dst;
    }

    public int src() {
        return src;
    }

    /** The signed 16-bit offset. */
    public int offset() {
        return offset;
    }

    /** The signed 32-bit immediate (for lddw: the low half). */
    public int imm() {
        return imm;
    }

    /** For lddw the 64-bit immediate (low half from this slot, high half from the next); else {@link #imm()} sign-extended. */
    public long imm64() {
        return imm64;
    }

    /** {@link Opcodes#LD} ... {@link Opcodes#ALU64}. */
    public int instructionClass() {
        return opcode & CLASS_MASK;
    }

    /** The operation of ALU and JMP classes ({@link Opcodes#ADD}, {@link Opcodes#JEQ}, ...). */
    public int operation() {
        return opcode & OP_MASK;
    }

    /** True if the second operand of an ALU or JMP instruction is the src register ({@link Opcodes#X}). */
    public boolean usesSrcRegister() {
        return (opcode & SOURCE_MASK) == X;
    }

    /** The load/store mode ({@link Opcodes#MEM}, {@link Opcodes#MEMSX}, {@link Opcodes#ATOMIC}, ...). */
    public int mode() {
        return opcode & MODE_MASK;
    }

    /** The access width in bytes of a load, store or atomic instruction. */
    public int accessBytes() {
        return switch (opcode & SIZE_MASK) {
            case W -> 4;
            case H -> 2;
            case B -> 1;
            default -> 8;
        };
    }

    public boolean isLddw() {
        return opcode == LDDW;
    }

    /** 2 for lddw, else 1. */
    public int slotCount() {
        return opcode == LDDW ? 2 : 1;
    }

    public boolean isExit() {
        return opcode == (JMP | EXIT);
    }

    /** A program-local call ({@code call} with src 1). */
    public boolean isLocalCall() {
        return opcode == (JMP | CALL) && src == CALL_LOCAL;
    }

    /** JA, JMP32 JA and conditional jumps (not calls or exit). */
    public boolean isJump() {
        int cls = instructionClass();
        if (cls != JMP && cls != JMP32) {
            return false;
        }
        int op = operation();
        return op != CALL && op != EXIT;
    }

    /**
     * The slot this instruction transfers control to: jumps ({@code ja32} uses imm), local calls, and lddw with a
     * code address (src 4); -1 for every other instruction.
     */
    public int targetSlot() {
        if (isJump()) {
            return opcode == (JMP32 | JA) ? slot + 1 + imm : slot + 1 + offset;
        }
        if (isLocalCall() || (opcode == LDDW && src == PSEUDO_FUNC)) {
            return slot + 1 + imm;
        }
        return -1;
    }

    /** The lowest clang {@code -mcpu} version (1..4) that emits this instruction. */
    public int minimumCpuVersion() {
        int cls = instructionClass();
        switch (cls) {
            case ALU, ALU64 -> {
                int op = operation();
                if ((op == DIV || op == MOD) && offset != 0 || op == MOV && offset != 0
                        || op == END && cls == ALU64) {
                    return 4;
                }
                return 1;
            }
            case JMP32 -> {
                return operation() == JA ? 4 : 3;
            }
            case JMP -> {
                int op = operation();
                if (isLocalCall()) {
                    return 3;
                }
                return op == JLT || op == JLE || op == JSLT || op == JSLE ? 2 : 1;
            }
            case LDX -> {
                return mode() == MEMSX ? 4 : 1;
            }
            case STX -> {
                return mode() == ATOMIC ? 3 : 1;
            }
            default -> {
                return 1;
            }
        }
    }

    /** The encoded word(s): two for lddw. */
    public long[] words() {
        if (opcode == LDDW) {
            return new long[] {encode(opcode, dst, src, offset, imm), encode(0, 0, 0, 0, (int) (imm64 >>> 32))};
        }
        return new long[] {encode(opcode, dst, src, offset, imm)};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Instruction other && slot == other.slot && opcode == other.opcode && dst == other.dst
                && src == other.src && offset == other.offset && imm == other.imm && imm64 == other.imm64;
    }

    @Override
    public int hashCode() {
        return ((slot * 31 + opcode) * 31 + (dst << 4 | src)) * 31 + offset * 17 + Long.hashCode(imm64);
    }

    /** The llvm-objdump style text ({@link Disassembler#format(Instruction)}). */
    @Override
    public String toString() {
        return Disassembler.format(this);
    }
}

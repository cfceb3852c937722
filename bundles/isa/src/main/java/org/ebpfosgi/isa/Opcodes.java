package org.ebpfosgi.isa;

/**
 * Opcode fields of RFC 9669. An opcode byte is {@code class | ...}: for ALU/ALU64/JMP/JMP32 it is
 * {@code op | source | class}, for loads and stores {@code mode | size | class}.
 */
public final class Opcodes {
    private Opcodes() {
    }

    // Instruction classes (low 3 bits).
    public static final int CLASS_MASK = 0x07;
    public static final int LD = 0x00;
    public static final int LDX = 0x01;
    public static final int ST = 0x02;
    public static final int STX = 0x03;
    public static final int ALU = 0x04;
    public static final int JMP = 0x05;
    public static final int JMP32 = 0x06;
    public static final int ALU64 = 0x07;

    // Source bit of arithmetic and jump instructions.
    public static final int SOURCE_MASK = 0x08;
    /** Operand is the 32-bit immediate. */
    public static final int K = 0x00;
    /** Operand is the src register. */
    public static final int X = 0x08;

    // Arithmetic operations (high 4 bits).
    public static final int OP_MASK = 0xf0;
    public static final int ADD = 0x00;
    public static final int SUB = 0x10;
    public static final int MUL = 0x20;
    public static final int DIV = 0x30;
    public static final int OR = 0x40;
    public static final int AND = 0x50;
    public static final int LSH = 0x60;
    public static final int RSH = 0x70;
    public static final int NEG = 0x80;
    public static final int MOD = 0x90;
    public static final int XOR = 0xa0;
    public static final int MOV = 0xb0;
    public static final int ARSH = 0xc0;
    /** Byte swap; the source bit selects the target byte order for class ALU, and must be 0 for ALU64. */
    public static final int END = 0xd0;
    /** END with class ALU: convert to little endian. */
    public static final int TO_LE = 0x00;
    /** END with class ALU: convert to big endian. */
    public static final int TO_BE = 0x08;

    // Jump operations (high 4 bits).
    public static final int JA = 0x00;
    public static final int JEQ = 0x10;
    public static final int JGT = 0x20;
    public static final int JGE = 0x30;
    public static final int JSET = 0x40;
    public static final int JNE = 0x50;
    public static final int JSGT = 0x60;
    public static final int JSGE = 0x70;
    public static final int CALL = 0x80;
    public static final int EXIT = 0x90;
    public static final int JLT = 0xa0;
    public static final int JLE = 0xb0;
    public static final int JSLT = 0xc0;
    public static final int JSLE = 0xd0;

    // Load/store sizes (bits 3-4).
    public static final int SIZE_MASK = 0x18;
    public static final int W = 0x00;
    public static final int H = 0x08;
    public static final int B = 0x10;
    public static final int DW = 0x18;

    // Load/store modes (high 3 bits).
    public static final int MODE_MASK = 0xe0;
    public static final int IMM = 0x00;
    /** Legacy packet access, absolute offset. */
    public static final int ABS = 0x20;
    /** Legacy packet access, offset in a register. */
    public static final int IND = 0x40;
    public static final int MEM = 0x60;
    /** Sign-extending load (LDX only, CPU v4). */
    public static final int MEMSX = 0x80;
    public static final int ATOMIC = 0xc0;

    // Atomic operations (in imm).
    public static final int ATOMIC_ADD = 0x00;
    public static final int ATOMIC_OR = 0x40;
    public static final int ATOMIC_AND = 0x50;
    public static final int ATOMIC_XOR = 0xa0;
    /** Flag: the old value is returned in src. */
    public static final int FETCH = 0x01;
    public static final int ATOMIC_XCHG = 0xe0 | FETCH;
    public static final int ATOMIC_CMPXCHG = 0xf0 | FETCH;

    // Call kinds (src field of CALL).
    public static final int CALL_HELPER = 0;
    /** Program-local call, imm is the pc-relative target. */
    public static final int CALL_LOCAL = 1;
    public static final int CALL_KFUNC = 2;

    // lddw pseudo sources (src field of LD|IMM|DW).
    public static final int LDDW = LD | IMM | DW;
    public static final int PSEUDO_NONE = 0;
    public static final int PSEUDO_MAP_FD = 1;
    public static final int PSEUDO_MAP_VALUE = 2;
    /** RFC 9669 var_addr (Linux: BTF id of a kernel variable). */
    public static final int PSEUDO_VAR_ADDR = 3;
    /** RFC 9669 code_addr: imm is pc-relative like a local call. */
    public static final int PSEUDO_FUNC = 4;
    public static final int PSEUDO_MAP_IDX = 5;
    public static final int PSEUDO_MAP_IDX_VALUE = 6;

    /** Number of registers; r10 is the read-only frame pointer. */
    public static final int REGISTER_COUNT = 11;
    public static final int FRAME_POINTER = 10;

    /** Encodes one instruction word (little-endian field layout as in RFC 9669). */
    public static long encode(int opcode, int dst, int src, int offset, int imm) {
        return (opcode & 0xffL) | (long) (dst & 0xf) << 8 | (long) (src & 0xf) << 12 | (offset & 0xffffL) << 16
                | (imm & 0xffffffffL) << 32;
    }

    public static int opcode(long word) {
        return (int) word & 0xff;
    }

    public static int dst(long word) {
        return (int) (word >>> 8) & 0xf;
    }

    public static int src(long word) {
        return (int) (word >>> 12) & 0xf;
    }

    public static short offset(long word) {
        return (short) (word >>> 16);
    }

    public static int imm(long word) {
        return (int) (word >>> 32);
    }
}

package org.ebpfosgi.interpreter.machine;

/**
 * Opcode bytes the interpreter dispatches on. Most are the RFC 9669 opcodes themselves; the
 * {@code I_*} codes are internal ones the predecoder writes in place of instructions whose meaning
 * depends on another field (offset, src), so the hot loop never re-examines those fields. Internal
 * codes reuse byte values of class LD that no valid program contains.
 */
public final class Ops {
    private Ops() {
    }

    // RFC 9669 opcodes, named as in the Linux headers (class | op | source).
    public static final int LDDW = 0x18;
    public static final int LD_ABS_W = 0x20, LD_ABS_H = 0x28, LD_ABS_B = 0x30;
    public static final int LD_IND_W = 0x40, LD_IND_H = 0x48, LD_IND_B = 0x50;
    public static final int LDXW = 0x61, LDXH = 0x69, LDXB = 0x71, LDXDW = 0x79;
    public static final int LDXSW = 0x81, LDXSH = 0x89, LDXSB = 0x91;
    public static final int STW = 0x62, STH = 0x6a, STB = 0x72, STDW = 0x7a;
    public static final int STXW = 0x63, STXH = 0x6b, STXB = 0x73, STXDW = 0x7b;
    public static final int ATOMIC_W = 0xc3, ATOMIC_DW = 0xdb;
    public static final int END_LE = 0xd4, END_BE = 0xdc, BSWAP = 0xd7;
    public static final int JA = 0x05, JA32 = 0x06, CALL = 0x85, CALLX = 0x8d, EXIT = 0x95;

    // Atomic operations (imm of ATOMIC_W / ATOMIC_DW).
    public static final int ATOMIC_FETCH = 0x01;
    public static final int ATOMIC_ADD = 0x00, ATOMIC_OR = 0x40, ATOMIC_AND = 0x50, ATOMIC_XOR = 0xa0;
    public static final int ATOMIC_XCHG = 0xe1, ATOMIC_CMPXCHG = 0xf1;

    // Internal codes.
    /** {@code lddw src=1/5}: dst = the run's handle of map #imm. */
    public static final int I_LDDW_MAP = 0x08;
    /** {@code lddw src=2/6}: dst = the run's pointer to map #imm's value + the next word (offset). */
    public static final int I_LDDW_MAP_VALUE = 0x10;
    /** {@code call src=0/2}: imm indexes the program's helper table. */
    public static final int I_CALL_HELPER = 0x38;
    /** {@code call src=1}: imm is the pc-relative target, as in the ISA. */
    public static final int I_CALL_LOCAL = 0x00;
    public static final int I_SDIV32_K = 0x58, I_SDIV32_X = 0x60, I_SDIV64_K = 0x68, I_SDIV64_X = 0x70;
    public static final int I_SMOD32_K = 0x78, I_SMOD32_X = 0x80, I_SMOD64_K = 0x88, I_SMOD64_X = 0x90;
    public static final int I_MOVSX32_8 = 0x98, I_MOVSX32_16 = 0xa0;
    public static final int I_MOVSX64_8 = 0xa8, I_MOVSX64_16 = 0xb0, I_MOVSX64_32 = 0xb8;
    /*
     * Superinstructions (ProgramCode.fuse): one dispatch for a group. The ALU-class ones sit on byte
     * values of ALU operation 0xe0/0xf0, which the instruction set leaves undefined, so the loop's
     * arithmetic switch takes them; the load ones on free class-LD values. "_J" codes end with the
     * jump (ja or conditional) in the word after the group, which the loop's fused-jump switch runs.
     */
    /** {@code rD = rS; rD += rT}: dst, src = S, offset = T. */
    public static final int I_MOV_ADD_X = 0xe7;
    /** {@code rD = rS; rD += imm}: dst, src = S, imm. */
    public static final int I_MOV_ADD_K = 0xef;
    /** {@code rD = rS; rD += imm}, then the jump two words on. */
    public static final int I_MOV_ADD_K_J = 0xf7;
    /** The instruction's own fields, then the jump in the next word. */
    public static final int I_ADD64_K_J = 0xff, I_ADD64_X_J = 0xed, I_MOV64_X_J = 0xe4, I_MOV64_K_J = 0xec;
    public static final int I_MOV32_X_J = 0xf4, I_AND64_K_J = 0xfc, I_AND32_K_J = 0xe5;
    public static final int I_LDXB_J = 0xc0, I_LDXH_J = 0xc8, I_LDXW_J = 0xd0;
    /** {@code rD += off; rS += imm}: two 64-bit additions of constants (the first one's fits in the offset). */
    public static final int I_ADD2_K = 0xf5;
    /** {@code rD = rS; rD &= imm} (then the jump in the second next word), {@code rD = rS; rD >>= imm}, 32-bit too. */
    public static final int I_MOV_AND_K = 0xfd, I_MOV_AND_K_J = 0xe6, I_MOV_RSH_K = 0xee, I_MOV32_RSH32_K = 0xf6;
    /** A load and the byte swap of the loaded register to big-endian (network order fields). */
    public static final int I_LDXW_BE32 = 0xd8, I_LDXH_BE16 = 0xe0;
    /** {@code rD = *(u8 *)(rS + off)}, then {@code rA ^= rD} (A in imm): a hash step. */
    public static final int I_LDXB_XOR = 0xe8;
    /*
     * Pairs of arithmetic instructions (ProgramCode.fuse). They sit on free class-LD/LDX/ST/STX byte
     * values, so the loop's second switch takes them. The registers of the second instruction are
     * named E (its destination) and T (its source); "_J" codes end with the jump after the pair.
     */
    /** {@code rD = *(u8 *)(rS + off); rE = *(u8 *)(rS + off2)} (D != S): E in imm bits 0-3, off2 in imm bits 16-31. */
    public static final int I_LDXB2 = 0x01;
    /** {@code rD <<= imm; rD |= rS} (64-bit): assembling a value from bytes. */
    public static final int I_LSH_OR_X = 0x02;
    /** {@code rD += rS; rE += imm} (64-bit), E in offset bits 0-3; then the jump two words on (_J). */
    public static final int I_ADD_X_ADD_K = 0x03, I_ADD_X_ADD_K_J = 0x09;
    /** {@code rD *= rS; rE += imm} (64-bit), E in offset bits 0-3; then the jump two words on (_J). */
    public static final int I_MUL_X_ADD_K = 0x0a, I_MUL_X_ADD_K_J = 0x0b;
    /** {@code rD = rS; rE = rT} (64-bit), E and T in offset bits 0-3 and 4-7; then the jump two words on (_J). */
    public static final int I_MOV2_X = 0x11, I_MOV2_X_J = 0x12;
    /** {@code rD += imm; rE = rT} (64-bit), E and T in offset bits 0-3 and 4-7; then the jump two words on (_J). */
    public static final int I_ADD_K_MOV_X = 0x13, I_ADD_K_MOV_X_J = 0x19;
    /** {@code wD *= imm; wE = wD; wE >>= off} (a multiply-shift hash step, three instructions), E in src. */
    public static final int I_MUL32_K_MOV_RSH32 = 0x1a;
    /** {@code wD ^= wS; wE ^= wT} (32-bit), E and T in offset bits 0-3 and 4-7. */
    public static final int I_XOR2_32_X = 0x1b;
    /** {@code rD *= imm; rD += off} (64-bit, and the 32-bit form): a linear step such as 3n + 1. */
    public static final int I_MUL_K_ADD_K = 0x21, I_MUL32_K_ADD32_K = 0x22;
    /** {@code *(u32 *)(rD + off) = rS; *(u32 *)(rD + off2) = rT}: T in imm bits 0-3, off2 in imm bits 16-31. */
    public static final int I_STXW2 = 0x23;
    /** Placed after the last instruction: reaching it means control ran off the end of the code. */
    public static final int I_END_OF_CODE = 0xf8;
}

package org.ebpfosgi.interpreter.internal;

import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.interpreter.machine.Arithmetic;
import org.ebpfosgi.interpreter.machine.Ops;
import org.ebpfosgi.interpreter.machine.ProgramCode;
import org.ebpfosgi.interpreter.machine.RunState;

/**
 * The instruction loop. One word per instruction ({@link ProgramCode}), registers in a local array,
 * one {@code switch} per instruction; conditional jumps share the taken-branch code, which is also
 * the only place (with calls) that charges the instruction budget ({@link RunState#budget}, a field
 * so that the loop keeps fewer locals alive). Superinstructions ({@link ProgramCode#fuse}) run a
 * group of two or three instructions per dispatch. Rare instructions (division, movsx, atomics,
 * legacy packet loads) live in {@link #rare} so that this method stays under HotSpot's 8000-byte
 * limit for compiling methods (it is about 7200 bytes: check with javap before adding cases).
 */
final class Interpreter {
    private static final long M32 = 0xFFFF_FFFFL;

    private Interpreter() {
    }

    /**
     * Runs {@code program} from {@code pc} in a fresh register set whose frame is {@code baseDepth}
     * ({@code 0} for the program itself, deeper for helper callbacks) and returns r0 at the matching
     * exit. Every failure leaves as an {@link ExecutionException} naming the instruction.
     */
    static long execute(RunState s, InterpretedProgram program, int pc, int baseDepth,
                        long r1, long r2, long r3, long r4, long r5) {
        final long[] r = new long[16];
        r[1] = r1;
        r[2] = r2;
        r[3] = r3;
        r[4] = r4;
        r[5] = r5;
        r[10] = s.stackBase + RunState.STACK_SIZE - (long) baseDepth * RunState.FRAME_SIZE;
        s.depth = baseDepth;
        long[] code = program.code.words;
        // Few locals live across the loop (s, r, code, pc): fewer spills in the compiled switch. The budget
        // lives in s: only backward jumps and calls touch it.
        try {
            for (;;) {
                long w = code[pc];
                int d = (int) w >>> 8 & 0xF;
                jump:
                {
                fused:
                {
                    // Two dispatch sites, split on a class bit: arithmetic and jumps, then memory, calls and
                    // internal codes. Each indirect jump sees fewer targets and a history of its own, so the
                    // branch predictor guesses right more often (measured 1.3-1.6x on irregular code; more
                    // sites lost on branchy ALU code such as collatz).
                    if ((w & 0x04) != 0) { // ALU, JMP, JMP32, ALU64
                        switch ((int) w & 0xFF) {
                            // ---- ALU64 ----
                            case 0x07: r[d] += w >> 32; pc++; continue;
                            case 0x0f: r[d] += r[(int) w >>> 12 & 0xF]; pc++; continue;
                            case 0x17: r[d] -= w >> 32; pc++; continue;
                            case 0x1f: r[d] -= r[(int) w >>> 12 & 0xF]; pc++; continue;
                            case 0x27: r[d] *= w >> 32; pc++; continue;
                            case 0x2f: r[d] *= r[(int) w >>> 12 & 0xF]; pc++; continue;
                            case 0x47: r[d] |= w >> 32; pc++; continue;
                            case 0x4f: r[d] |= r[(int) w >>> 12 & 0xF]; pc++; continue;
                            case 0x57: r[d] &= w >> 32; pc++; continue;
                            case 0x5f: r[d] &= r[(int) w >>> 12 & 0xF]; pc++; continue;
                            case 0x67: r[d] <<= (int) (w >> 32); pc++; continue;
                            case 0x6f: r[d] <<= (int) r[(int) w >>> 12 & 0xF]; pc++; continue;
                            case 0x77: r[d] >>>= (int) (w >> 32); pc++; continue;
                            case 0x7f: r[d] >>>= (int) r[(int) w >>> 12 & 0xF]; pc++; continue;
                            case 0x87: r[d] = -r[d]; pc++; continue;
                            case 0xa7: r[d] ^= w >> 32; pc++; continue;
                            case 0xaf: r[d] ^= r[(int) w >>> 12 & 0xF]; pc++; continue;
                            case 0xb7: r[d] = w >> 32; pc++; continue;
                            case 0xbf: r[d] = r[(int) w >>> 12 & 0xF]; pc++; continue;
                            case 0xc7: r[d] >>= (int) (w >> 32); pc++; continue;
                            case 0xcf: r[d] >>= (int) r[(int) w >>> 12 & 0xF]; pc++; continue;
                            case Ops.BSWAP: r[d] = Arithmetic.bswap(r[d], (int) (w >> 32)); pc++; continue;
                            // ---- superinstructions (ProgramCode.fuse); "_J" ones leave through "fused" to their jump ----
                            case Ops.I_MOV_ADD_X: r[d] = r[(int) w >>> 12 & 0xF] + r[(int) w >>> 16 & 0xF]; pc += 2; continue;
                            case Ops.I_MOV_ADD_K: r[d] = r[(int) w >>> 12 & 0xF] + (w >> 32); pc += 2; continue;
                            case Ops.I_MOV_ADD_K_J: r[d] = r[(int) w >>> 12 & 0xF] + (w >> 32); pc += 2; break fused;
                            case Ops.I_MOV_AND_K: r[d] = r[(int) w >>> 12 & 0xF] & w >> 32; pc += 2; continue;
                            case Ops.I_MOV_AND_K_J: r[d] = r[(int) w >>> 12 & 0xF] & w >> 32; pc += 2; break fused;
                            case Ops.I_MOV_RSH_K: r[d] = r[(int) w >>> 12 & 0xF] >>> (int) (w >> 32); pc += 2; continue;
                            case Ops.I_MOV32_RSH32_K: r[d] = (int) r[(int) w >>> 12 & 0xF] >>> (int) (w >> 32) & M32; pc += 2; continue;
                            case Ops.I_ADD2_K: r[d] += (short) (w >>> 16); r[(int) w >>> 12 & 0xF] += w >> 32; pc += 2; continue;
                            case Ops.I_ADD64_K_J: r[d] += w >> 32; pc++; break fused;
                            case Ops.I_ADD64_X_J: r[d] += r[(int) w >>> 12 & 0xF]; pc++; break fused;
                            case Ops.I_MOV64_X_J: r[d] = r[(int) w >>> 12 & 0xF]; pc++; break fused;
                            case Ops.I_MOV64_K_J: r[d] = w >> 32; pc++; break fused;
                            case Ops.I_MOV32_X_J: r[d] = r[(int) w >>> 12 & 0xF] & M32; pc++; break fused;
                            case Ops.I_AND64_K_J: r[d] &= w >> 32; pc++; break fused;
                            case Ops.I_AND32_K_J: r[d] &= w >>> 32; pc++; break fused;
                            // ---- ALU (32-bit; results are zero-extended) ----
                            case 0x04: r[d] = (int) r[d] + (int) (w >> 32) & M32; pc++; continue;
                            case 0x0c: r[d] = (int) r[d] + (int) r[(int) w >>> 12 & 0xF] & M32; pc++; continue;
                            case 0x14: r[d] = (int) r[d] - (int) (w >> 32) & M32; pc++; continue;
                            case 0x1c: r[d] = (int) r[d] - (int) r[(int) w >>> 12 & 0xF] & M32; pc++; continue;
                            case 0x24: r[d] = (int) r[d] * (int) (w >> 32) & M32; pc++; continue;
                            case 0x2c: r[d] = (int) r[d] * (int) r[(int) w >>> 12 & 0xF] & M32; pc++; continue;
                            case 0x44: r[d] = (r[d] | w >>> 32) & M32; pc++; continue;
                            case 0x4c: r[d] = (r[d] | r[(int) w >>> 12 & 0xF]) & M32; pc++; continue;
                            case 0x54: r[d] = r[d] & w >>> 32; pc++; continue;
                            case 0x5c: r[d] = r[d] & r[(int) w >>> 12 & 0xF] & M32; pc++; continue;
                            case 0x64: r[d] = (int) r[d] << (int) (w >> 32) & M32; pc++; continue;
                            case 0x6c: r[d] = (int) r[d] << (int) r[(int) w >>> 12 & 0xF] & M32; pc++; continue;
                            case 0x74: r[d] = (int) r[d] >>> (int) (w >> 32) & M32; pc++; continue;
                            case 0x7c: r[d] = (int) r[d] >>> (int) r[(int) w >>> 12 & 0xF] & M32; pc++; continue;
                            case 0x84: r[d] = -(int) r[d] & M32; pc++; continue;
                            case 0xa4: r[d] = (r[d] ^ w >>> 32) & M32; pc++; continue;
                            case 0xac: r[d] = (r[d] ^ r[(int) w >>> 12 & 0xF]) & M32; pc++; continue;
                            case 0xb4: r[d] = w >>> 32; pc++; continue;
                            case 0xbc: r[d] = r[(int) w >>> 12 & 0xF] & M32; pc++; continue;
                            case 0xc4: r[d] = (int) r[d] >> (int) (w >> 32) & M32; pc++; continue;
                            case 0xcc: r[d] = (int) r[d] >> (int) r[(int) w >>> 12 & 0xF] & M32; pc++; continue;
                            case Ops.END_LE: r[d] = Arithmetic.toLittleEndian(r[d], (int) (w >> 32)); pc++; continue;
                            case Ops.END_BE: r[d] = Arithmetic.toBigEndian(r[d], (int) (w >> 32)); pc++; continue;
                            // ---- JMP (64-bit compares); a taken branch leaves the switch through "jump" ----
                            case Ops.JA: break jump;
                            case 0x15: if (r[d] == w >> 32) break jump; pc++; continue;
                            case 0x1d: if (r[d] == r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                            case 0x55: if (r[d] != w >> 32) break jump; pc++; continue;
                            case 0x5d: if (r[d] != r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                            case 0x25: if (Long.compareUnsigned(r[d], w >> 32) > 0) break jump; pc++; continue;
                            case 0x2d: if (Long.compareUnsigned(r[d], r[(int) w >>> 12 & 0xF]) > 0) break jump; pc++; continue;
                            case 0x35: if (Long.compareUnsigned(r[d], w >> 32) >= 0) break jump; pc++; continue;
                            case 0x3d: if (Long.compareUnsigned(r[d], r[(int) w >>> 12 & 0xF]) >= 0) break jump; pc++; continue;
                            case 0xa5: if (Long.compareUnsigned(r[d], w >> 32) < 0) break jump; pc++; continue;
                            case 0xad: if (Long.compareUnsigned(r[d], r[(int) w >>> 12 & 0xF]) < 0) break jump; pc++; continue;
                            case 0xb5: if (Long.compareUnsigned(r[d], w >> 32) <= 0) break jump; pc++; continue;
                            case 0xbd: if (Long.compareUnsigned(r[d], r[(int) w >>> 12 & 0xF]) <= 0) break jump; pc++; continue;
                            case 0x45: if ((r[d] & w >> 32) != 0) break jump; pc++; continue;
                            case 0x4d: if ((r[d] & r[(int) w >>> 12 & 0xF]) != 0) break jump; pc++; continue;
                            case 0x65: if (r[d] > w >> 32) break jump; pc++; continue;
                            case 0x6d: if (r[d] > r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                            case 0x75: if (r[d] >= w >> 32) break jump; pc++; continue;
                            case 0x7d: if (r[d] >= r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                            case 0xc5: if (r[d] < w >> 32) break jump; pc++; continue;
                            case 0xcd: if (r[d] < r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                            case 0xd5: if (r[d] <= w >> 32) break jump; pc++; continue;
                            case 0xdd: if (r[d] <= r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                            // ---- JMP32 (compares of the low 32 bits) ----
                            case Ops.JA32: {
                                int off = (int) (w >> 32);
                                if (off < 0 && --s.budget < 0) {
                                    throw budgetExhausted(pc);
                                }
                                pc += off + 1;
                                continue;
                            }
                            case 0x16: if ((int) r[d] == (int) (w >> 32)) break jump; pc++; continue;
                            case 0x1e: if ((int) r[d] == (int) r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                            case 0x56: if ((int) r[d] != (int) (w >> 32)) break jump; pc++; continue;
                            case 0x5e: if ((int) r[d] != (int) r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                            case 0x26: if (Integer.compareUnsigned((int) r[d], (int) (w >> 32)) > 0) break jump; pc++; continue;
                            case 0x2e: if (Integer.compareUnsigned((int) r[d], (int) r[(int) w >>> 12 & 0xF]) > 0) break jump; pc++; continue;
                            case 0x36: if (Integer.compareUnsigned((int) r[d], (int) (w >> 32)) >= 0) break jump; pc++; continue;
                            case 0x3e: if (Integer.compareUnsigned((int) r[d], (int) r[(int) w >>> 12 & 0xF]) >= 0) break jump; pc++; continue;
                            case 0xa6: if (Integer.compareUnsigned((int) r[d], (int) (w >> 32)) < 0) break jump; pc++; continue;
                            case 0xae: if (Integer.compareUnsigned((int) r[d], (int) r[(int) w >>> 12 & 0xF]) < 0) break jump; pc++; continue;
                            case 0xb6: if (Integer.compareUnsigned((int) r[d], (int) (w >> 32)) <= 0) break jump; pc++; continue;
                            case 0xbe: if (Integer.compareUnsigned((int) r[d], (int) r[(int) w >>> 12 & 0xF]) <= 0) break jump; pc++; continue;
                            case 0x46: if (((int) r[d] & (int) (w >> 32)) != 0) break jump; pc++; continue;
                            case 0x4e: if (((int) r[d] & (int) r[(int) w >>> 12 & 0xF]) != 0) break jump; pc++; continue;
                            case 0x66: if ((int) r[d] > (int) (w >> 32)) break jump; pc++; continue;
                            case 0x6e: if ((int) r[d] > (int) r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                            case 0x76: if ((int) r[d] >= (int) (w >> 32)) break jump; pc++; continue;
                            case 0x7e: if ((int) r[d] >= (int) r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                            case 0xc6: if ((int) r[d] < (int) (w >> 32)) break jump; pc++; continue;
                            case 0xce: if ((int) r[d] < (int) r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                            case 0xd6: if ((int) r[d] <= (int) (w >> 32)) break jump; pc++; continue;
                            case 0xde: if ((int) r[d] <= (int) r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                            case Ops.CALLX: {
                                long target = r[d];
                                if (target >>> 32 == ProgramCode.CODE_ADDRESS_TAG) {
                                    if (--s.budget < 0) {
                                        throw budgetExhausted(pc);
                                    }
                                    int to = (int) target;
                                    if (to < 0 || to >= s.program.code().raw.length || !s.program.code().instructionStart[to]) {
                                        throw new ExecutionException(pc, "callx to 0x" + Long.toHexString(target)
                                                + ", not an instruction of this program", null);
                                    }
                                    s.pushFrame(r, pc);
                                    pc = to;
                                    continue;
                                }
                                r[0] = s.callHelperById(pc, target, r[1], r[2], r[3], r[4], r[5]);
                                pc++;
                                continue;
                            }
                            case Ops.EXIT:
                                if (s.depth == baseDepth) {
                                    return r[0];
                                }
                                pc = s.popFrame(r);
                                continue;
                            default:
                                pc = rare(s, r, w, pc);
                                continue;
                        }
                    } else { // LD, LDX, ST, STX and the internal codes
                        switch ((int) w & 0xFF) {
                            // ---- loads and stores (address = base register + offset) ----
                            case Ops.LDXB: r[d] = s.ld8(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16)); pc++; continue;
                            case Ops.LDXH: r[d] = s.ld16(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16)); pc++; continue;
                            case Ops.LDXW: r[d] = s.ld32(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16)); pc++; continue;
                            case Ops.LDXDW: r[d] = s.ld64(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16)); pc++; continue;
                            case Ops.I_LDXW_BE32: r[d] = Integer.reverseBytes((int) s.ld32(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16))) & M32; pc += 2; continue;
                            case Ops.I_LDXH_BE16: r[d] = Short.reverseBytes((short) s.ld16(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16))) & 0xFFFFL; pc += 2; continue;
                            case Ops.I_LDXB_XOR: r[(int) (w >>> 32)] ^= r[d] = s.ld8(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16)); pc += 2; continue;
                            case Ops.I_LDXB_J: r[d] = s.ld8(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16)); pc++; break fused;
                            case Ops.I_LDXH_J: r[d] = s.ld16(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16)); pc++; break fused;
                            case Ops.I_LDXW_J: r[d] = s.ld32(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16)); pc++; break fused;
                            case Ops.LDXSB: r[d] = (byte) s.ld8(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16)); pc++; continue;
                            case Ops.LDXSH: r[d] = (short) s.ld16(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16)); pc++; continue;
                            case Ops.LDXSW: r[d] = (int) s.ld32(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16)); pc++; continue;
                            case Ops.STB: s.st8(r[d] + (short) (w >>> 16), w >> 32); pc++; continue;
                            case Ops.STH: s.st16(r[d] + (short) (w >>> 16), w >> 32); pc++; continue;
                            case Ops.STW: s.st32(r[d] + (short) (w >>> 16), w >> 32); pc++; continue;
                            case Ops.STDW: s.st64(r[d] + (short) (w >>> 16), w >> 32); pc++; continue;
                            case Ops.STXB: s.st8(r[d] + (short) (w >>> 16), r[(int) w >>> 12 & 0xF]); pc++; continue;
                            case Ops.STXH: s.st16(r[d] + (short) (w >>> 16), r[(int) w >>> 12 & 0xF]); pc++; continue;
                            case Ops.STXW: s.st32(r[d] + (short) (w >>> 16), r[(int) w >>> 12 & 0xF]); pc++; continue;
                            case Ops.STXDW: s.st64(r[d] + (short) (w >>> 16), r[(int) w >>> 12 & 0xF]); pc++; continue;
                            case Ops.LDDW: r[d] = code[pc + 1]; pc += 2; continue;
                            case Ops.I_LDDW_MAP: r[d] = s.mapHandles[(int) (w >>> 32)]; pc += 2; continue;
                            case Ops.I_LDDW_MAP_VALUE: r[d] = s.mapValues[(int) (w >>> 32)] + code[pc + 1]; pc += 2; continue;
                            // ---- calls and exit ----
                            case Ops.I_CALL_LOCAL:
                                if (--s.budget < 0) {
                                    throw budgetExhausted(pc);
                                }
                                s.pushFrame(r, pc);
                                pc += (int) (w >> 32) + 1;
                                continue;
                            case Ops.I_CALL_HELPER: {
                                r[0] = s.callHelper(pc, (int) (w >>> 32), r[1], r[2], r[3], r[4], r[5]);
                                ExecutableProgram next = s.tailCallTarget;
                                if (next != null) {
                                    if (!(next instanceof InterpretedProgram)) {
                                        return s.runTailCall(r[1]);
                                    }
                                    s.tailCallTarget = null;
                                    InterpretedProgram target = (InterpretedProgram) next;
                                    s.enter(target);
                                    code = target.code.words;
                                    long context = r[1];
                                    long frame = r[10];
                                    java.util.Arrays.fill(r, 0L);
                                    r[1] = context;
                                    r[10] = frame;
                                    pc = 0;
                                    continue;
                                }
                                pc++;
                                continue;
                            }
                            case Ops.I_END_OF_CODE:
                                throw new ExecutionException(pc, "control ran past the last instruction", null);
                            default:
                                pc = rare(s, r, w, pc);
                                continue;
                        }
                    }
                }
                    // The jump that ends a fused group, at pc now: a switch site of its own, which sees few
                    // distinct jumps (mostly loop ends) and so predicts well.
                    w = code[pc];
                    d = (int) w >>> 8 & 0xF;
                    switch ((int) w & 0xFF) {
                    case Ops.JA: break jump;
                    case 0x15: if (r[d] == w >> 32) break jump; pc++; continue;
                    case 0x1d: if (r[d] == r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                    case 0x55: if (r[d] != w >> 32) break jump; pc++; continue;
                    case 0x5d: if (r[d] != r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                    case 0x25: if (Long.compareUnsigned(r[d], w >> 32) > 0) break jump; pc++; continue;
                    case 0x2d: if (Long.compareUnsigned(r[d], r[(int) w >>> 12 & 0xF]) > 0) break jump; pc++; continue;
                    case 0x35: if (Long.compareUnsigned(r[d], w >> 32) >= 0) break jump; pc++; continue;
                    case 0x3d: if (Long.compareUnsigned(r[d], r[(int) w >>> 12 & 0xF]) >= 0) break jump; pc++; continue;
                    case 0xa5: if (Long.compareUnsigned(r[d], w >> 32) < 0) break jump; pc++; continue;
                    case 0xad: if (Long.compareUnsigned(r[d], r[(int) w >>> 12 & 0xF]) < 0) break jump; pc++; continue;
                    case 0xb5: if (Long.compareUnsigned(r[d], w >> 32) <= 0) break jump; pc++; continue;
                    case 0xbd: if (Long.compareUnsigned(r[d], r[(int) w >>> 12 & 0xF]) <= 0) break jump; pc++; continue;
                    case 0x45: if ((r[d] & w >> 32) != 0) break jump; pc++; continue;
                    case 0x4d: if ((r[d] & r[(int) w >>> 12 & 0xF]) != 0) break jump; pc++; continue;
                    case 0x65: if (r[d] > w >> 32) break jump; pc++; continue;
                    case 0x6d: if (r[d] > r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                    case 0x75: if (r[d] >= w >> 32) break jump; pc++; continue;
                    case 0x7d: if (r[d] >= r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                    case 0xc5: if (r[d] < w >> 32) break jump; pc++; continue;
                    case 0xcd: if (r[d] < r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                    case 0xd5: if (r[d] <= w >> 32) break jump; pc++; continue;
                    case 0xdd: if (r[d] <= r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                    case 0x16: if ((int) r[d] == (int) (w >> 32)) break jump; pc++; continue;
                    case 0x1e: if ((int) r[d] == (int) r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                    case 0x56: if ((int) r[d] != (int) (w >> 32)) break jump; pc++; continue;
                    case 0x5e: if ((int) r[d] != (int) r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                    case 0x26: if (Integer.compareUnsigned((int) r[d], (int) (w >> 32)) > 0) break jump; pc++; continue;
                    case 0x2e: if (Integer.compareUnsigned((int) r[d], (int) r[(int) w >>> 12 & 0xF]) > 0) break jump; pc++; continue;
                    case 0x36: if (Integer.compareUnsigned((int) r[d], (int) (w >> 32)) >= 0) break jump; pc++; continue;
                    case 0x3e: if (Integer.compareUnsigned((int) r[d], (int) r[(int) w >>> 12 & 0xF]) >= 0) break jump; pc++; continue;
                    case 0xa6: if (Integer.compareUnsigned((int) r[d], (int) (w >> 32)) < 0) break jump; pc++; continue;
                    case 0xae: if (Integer.compareUnsigned((int) r[d], (int) r[(int) w >>> 12 & 0xF]) < 0) break jump; pc++; continue;
                    case 0xb6: if (Integer.compareUnsigned((int) r[d], (int) (w >> 32)) <= 0) break jump; pc++; continue;
                    case 0xbe: if (Integer.compareUnsigned((int) r[d], (int) r[(int) w >>> 12 & 0xF]) <= 0) break jump; pc++; continue;
                    case 0x46: if (((int) r[d] & (int) (w >> 32)) != 0) break jump; pc++; continue;
                    case 0x4e: if (((int) r[d] & (int) r[(int) w >>> 12 & 0xF]) != 0) break jump; pc++; continue;
                    case 0x66: if ((int) r[d] > (int) (w >> 32)) break jump; pc++; continue;
                    case 0x6e: if ((int) r[d] > (int) r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                    case 0x76: if ((int) r[d] >= (int) (w >> 32)) break jump; pc++; continue;
                    case 0x7e: if ((int) r[d] >= (int) r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                    case 0xc6: if ((int) r[d] < (int) (w >> 32)) break jump; pc++; continue;
                    case 0xce: if ((int) r[d] < (int) r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                    case 0xd6: if ((int) r[d] <= (int) (w >> 32)) break jump; pc++; continue;
                    case 0xde: if ((int) r[d] <= (int) r[(int) w >>> 12 & 0xF]) break jump; pc++; continue;
                    default:
                        throw new ExecutionException(pc, "unknown instruction " + ProgramCode.hex(w), null);
                    }
                }
                // A taken jump with a 16-bit offset; only backward ones can loop, so only they are charged.
                int off = (short) (w >>> 16);
                if (off < 0 && --s.budget < 0) {
                    throw budgetExhausted(pc);
                }
                pc += off + 1;
            }
        } catch (ExecutionException | RunState.LegacyPacketExit e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ExecutionException(pc, describe(s.program, pc) + ": " + message(e), e);
        } catch (StackOverflowError e) {
            throw new ExecutionException(pc, "Java stack exhausted (helpers calling back into the program too deeply)", null);
        }
    }

    /**
     * Instructions rare in hot code (division, signed division, movsx, atomics, legacy packet loads),
     * out of the loop so that it stays small enough for HotSpot to compile; answers the next pc.
     */
    private static int rare(RunState s, long[] r, long w, int pc) {
        int d = (int) w >>> 8 & 0xF;
        switch ((int) w & 0xFF) {
            case 0x37: r[d] = Arithmetic.udiv64(r[d], w >> 32); return pc + 1;
            case 0x3f: r[d] = Arithmetic.udiv64(r[d], r[(int) w >>> 12 & 0xF]); return pc + 1;
            case 0x97: r[d] = Arithmetic.umod64(r[d], w >> 32); return pc + 1;
            case 0x9f: r[d] = Arithmetic.umod64(r[d], r[(int) w >>> 12 & 0xF]); return pc + 1;
            case 0x34: r[d] = Arithmetic.udiv32(r[d], w >>> 32); return pc + 1;
            case 0x3c: r[d] = Arithmetic.udiv32(r[d], r[(int) w >>> 12 & 0xF]); return pc + 1;
            case 0x94: r[d] = Arithmetic.umod32(r[d], w >>> 32); return pc + 1;
            case 0x9c: r[d] = Arithmetic.umod32(r[d], r[(int) w >>> 12 & 0xF]); return pc + 1;
            case Ops.I_SDIV64_K: r[d] = Arithmetic.sdiv64(r[d], w >> 32); return pc + 1;
            case Ops.I_SDIV64_X: r[d] = Arithmetic.sdiv64(r[d], r[(int) w >>> 12 & 0xF]); return pc + 1;
            case Ops.I_SMOD64_K: r[d] = Arithmetic.smod64(r[d], w >> 32); return pc + 1;
            case Ops.I_SMOD64_X: r[d] = Arithmetic.smod64(r[d], r[(int) w >>> 12 & 0xF]); return pc + 1;
            case Ops.I_MOVSX64_8: r[d] = (byte) r[(int) w >>> 12 & 0xF]; return pc + 1;
            case Ops.I_MOVSX64_16: r[d] = (short) r[(int) w >>> 12 & 0xF]; return pc + 1;
            case Ops.I_MOVSX64_32: r[d] = (int) r[(int) w >>> 12 & 0xF]; return pc + 1;
            case Ops.I_SDIV32_K: r[d] = Arithmetic.sdiv32(r[d], w >> 32); return pc + 1;
            case Ops.I_SDIV32_X: r[d] = Arithmetic.sdiv32(r[d], r[(int) w >>> 12 & 0xF]); return pc + 1;
            case Ops.I_SMOD32_K: r[d] = Arithmetic.smod32(r[d], w >> 32); return pc + 1;
            case Ops.I_SMOD32_X: r[d] = Arithmetic.smod32(r[d], r[(int) w >>> 12 & 0xF]); return pc + 1;
            case Ops.I_MOVSX32_8: r[d] = (byte) r[(int) w >>> 12 & 0xF] & M32; return pc + 1;
            case Ops.I_MOVSX32_16: r[d] = (short) r[(int) w >>> 12 & 0xF] & M32; return pc + 1;
            case Ops.ATOMIC_W: atomic(s, r, w, 4); return pc + 1;
            case Ops.ATOMIC_DW: atomic(s, r, w, 8); return pc + 1;
            case Ops.LD_ABS_W: r[0] = s.legacyLoad(w >> 32, 4); return pc + 1;
            case Ops.LD_ABS_H: r[0] = s.legacyLoad(w >> 32, 2); return pc + 1;
            case Ops.LD_ABS_B: r[0] = s.legacyLoad(w >> 32, 1); return pc + 1;
            case Ops.LD_IND_W: r[0] = s.legacyLoad((w >> 32) + r[(int) w >>> 12 & 0xF], 4); return pc + 1;
            case Ops.LD_IND_H: r[0] = s.legacyLoad((w >> 32) + r[(int) w >>> 12 & 0xF], 2); return pc + 1;
            case Ops.LD_IND_B: r[0] = s.legacyLoad((w >> 32) + r[(int) w >>> 12 & 0xF], 1); return pc + 1;
            default:
                throw new ExecutionException(pc, "unknown instruction " + ProgramCode.hex(w), null);
        }
    }

    private static void atomic(RunState s, long[] r, long w, int size) {
        int d = (int) w >>> 8 & 0xF;
        int src = (int) w >>> 12 & 0xF;
        int op = (int) (w >> 32);
        long address = r[d] + (short) (w >>> 16);
        if (op == Ops.ATOMIC_CMPXCHG) {
            r[0] = s.atomic(op, address, size, r[src], r[0]);
            return;
        }
        long old = s.atomic(op, address, size, r[src], 0);
        if ((op & Ops.ATOMIC_FETCH) != 0) {
            r[src] = old;
        }
    }

    private static ExecutionException budgetExhausted(int pc) {
        return new ExecutionException(pc, "instruction budget exhausted (the program is not verified and may not terminate)", null);
    }

    private static String describe(org.ebpfosgi.interpreter.machine.MachineProgram program, int pc) {
        return ProgramCode.describe(program.code().raw, pc);
    }

    private static String message(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}

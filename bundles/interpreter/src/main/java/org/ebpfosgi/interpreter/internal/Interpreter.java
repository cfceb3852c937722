package org.ebpfosgi.interpreter.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.interpreter.machine.Arithmetic;
import org.ebpfosgi.interpreter.machine.Ops;
import org.ebpfosgi.interpreter.machine.ProgramCode;
import org.ebpfosgi.interpreter.machine.RunState;

/**
 * The instruction loop, in two parts. {@link #run}, the fast path, runs one word per instruction
 * ({@link ProgramCode#words}) with registers and code in one array ({@link RegisterFiles}) and one
 * {@code switch} per word; it runs arithmetic, jumps, superinstructions ({@link ProgramCode#fuse}: two
 * or three instructions per dispatch) and the loads and stores that hit the region touched last or
 * the stack. Everything else
 * (calls, exit, rare instructions, any other access) makes it return the pc: {@link #execute} makes a
 * helper call itself, {@link #step} runs anything else (that one instruction, unfused, with every
 * check), and the fast path resumes. Conditional jumps share the
 * taken-branch code, which is also the only place (with calls) that charges the instruction budget
 * ({@link RunState#budget}).
 * <p>
 * What HotSpot's C2 makes of {@link #run} decides the speed, and three of its limits shape it. It
 * compiles no method over 8000 bytes of bytecode; it inlines into a method only until that method and
 * everything inlined into it reach 8000 bytecodes ({@code DesiredMethodLimit}); and it treats every
 * register as clobbered by a call, so one call anywhere in the loop (even on a path that never runs)
 * left pc, the register array and the state in stack slots, reloaded on every dispatch. So the fast
 * path calls nothing that is not inlined: no slow memory path, no helper, no exception. And each case
 * decodes its operands from {@code w ^ K}, K being the case's own code: the same value as {@code w}
 * where the fields are (K only touches the opcode byte), but an expression of its own, so C2 cannot
 * merge one field's decoding across cases and hoist it above the switch, where every dispatch paid for
 * the fields of every hot case (40-odd instructions per dispatch, spilled to xmm registers, in
 * parse_udp: 6.7 ns per instruction before, 4.7 after; bubble_sort 5.3 to 3.7). Measured and
 * dropped: moving pc past a word as it is fetched (collatz 30% slower), a successor field in ALU words
 * to skip the {@code ja} after them (the next fetch then waits for the current word: 60% slower),
 * one-branch range checks (fnv1a 10% slower), jump tables instead of C2's profile-ordered compares
 * (-XX:-UseSwitchProfiling: 1.2-1.4x slower).
 */
final class Interpreter implements Loop {
    private static final long M32 = 0xFFFF_FFFFL;
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** What {@link #step} answers when the run's own frame exits (r0 holds the result). */
    private static final int EXITED = -1;
    /** What {@link #at64} answers for an address outside the stack and the cached region. */
    private static final int MISS = Integer.MIN_VALUE;

    /** The loop every program starts on; {@link Loops} gives a hot program a copy of its own. */
    static final Loop SHARED = new Interpreter();

    private Interpreter() {
    }

    @Override
    public long interpret(RunState s, InterpretedProgram program, int pc, int baseDepth,
                          long r1, long r2, long r3, long r4, long r5) {
        return execute(s, program, pc, baseDepth, r1, r2, r3, r4, r5);
    }

    /**
     * Runs {@code program} from {@code pc} in a fresh register set whose frame is {@code baseDepth}
     * ({@code 0} for the program itself, deeper for helper callbacks) and returns r0 at the matching
     * exit. Every failure leaves as an {@link ExecutionException} naming the instruction.
     */
    static long execute(RunState s, InterpretedProgram program, int pc, int baseDepth,
                        long r1, long r2, long r3, long r4, long r5) {
        long[] r = RegisterFiles.of(s, program.code, baseDepth);
        r[1] = r1;
        r[2] = r2;
        r[3] = r3;
        r[4] = r4;
        r[5] = r5;
        r[10] = s.stackBase + RunState.STACK_SIZE - (long) baseDepth * RunState.FRAME_SIZE;
        s.depth = baseDepth;
        ProgramCode code = program.code;
        try {
            for (;;) {
                pc = run(s, r, pc + RegisterFiles.CODE);
                if (pc < 0) {
                    pc = ~pc - RegisterFiles.CODE;
                    throw budgetExhausted(pc);
                }
                pc -= RegisterFiles.CODE;
                long w = code.unfused[pc];
                if (((int) w & 0xFF) == Ops.I_CALL_HELPER) { // the commonest reason to leave the fast path
                    r[0] = s.callHelper(pc, (int) (w >>> 32), r[1], r[2], r[3], r[4], r[5]);
                    if (s.tailCallTarget == null) {
                        pc++;
                    } else if (s.tailCallTarget instanceof InterpretedProgram) {
                        r = enterTailCall(s, r, baseDepth);
                        code = s.program.code();
                        pc = 0;
                    } else {
                        return s.runTailCall(r[1]);
                    }
                    continue;
                }
                pc = step(s, r, w, pc, baseDepth);
                if (pc == EXITED) {
                    return r[0];
                }
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
     * The fast path: runs {@code code} from {@code pc} while every instruction can run here, and answers
     * the pc of the first that cannot (a call, an exit, a rare instruction, a memory access outside the
     * stack and the cached region), which {@link #step} runs; or {@code ~pc} of a backward jump that
     * found the budget exhausted. It calls nothing that is not inlined: C2 then keeps the loop's state
     * in registers (a call anywhere in the loop made it spill pc, the register array and the state to
     * the stack on every dispatch, 25-45 instructions per dispatch).
     */
    private static int run(RunState s, long[] r, int pc) {
        final long[] code = r; // one array, so one length check and one base in a register (RegisterFiles)
        long v;
        int i;
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
                        case 0x07: r[d] += (w ^ 0x07) >> 32; pc++; continue;
                        case 0x0f: r[d] += r[(int) (w ^ 0x0f) >>> 12 & 0xF]; pc++; continue;
                        case 0x17: r[d] -= (w ^ 0x17) >> 32; pc++; continue;
                        case 0x1f: r[d] -= r[(int) (w ^ 0x1f) >>> 12 & 0xF]; pc++; continue;
                        case 0x27: r[d] *= (w ^ 0x27) >> 32; pc++; continue;
                        case 0x2f: r[d] *= r[(int) (w ^ 0x2f) >>> 12 & 0xF]; pc++; continue;
                        case 0x47: r[d] |= (w ^ 0x47) >> 32; pc++; continue;
                        case 0x4f: r[d] |= r[(int) (w ^ 0x4f) >>> 12 & 0xF]; pc++; continue;
                        case 0x57: r[d] &= (w ^ 0x57) >> 32; pc++; continue;
                        case 0x5f: r[d] &= r[(int) (w ^ 0x5f) >>> 12 & 0xF]; pc++; continue;
                        case 0x67: r[d] <<= (int) ((w ^ 0x67) >> 32); pc++; continue;
                        case 0x6f: r[d] <<= (int) r[(int) (w ^ 0x6f) >>> 12 & 0xF]; pc++; continue;
                        case 0x77: r[d] >>>= (int) ((w ^ 0x77) >> 32); pc++; continue;
                        case 0x7f: r[d] >>>= (int) r[(int) (w ^ 0x7f) >>> 12 & 0xF]; pc++; continue;
                        case 0x87: r[d] = -r[d]; pc++; continue;
                        case 0xa7: r[d] ^= (w ^ 0xa7) >> 32; pc++; continue;
                        case 0xaf: r[d] ^= r[(int) (w ^ 0xaf) >>> 12 & 0xF]; pc++; continue;
                        case 0xb7: r[d] = (w ^ 0xb7) >> 32; pc++; continue;
                        case 0xbf: r[d] = r[(int) (w ^ 0xbf) >>> 12 & 0xF]; pc++; continue;
                        case 0xc7: r[d] >>= (int) ((w ^ 0xc7) >> 32); pc++; continue;
                        case 0xcf: r[d] >>= (int) r[(int) (w ^ 0xcf) >>> 12 & 0xF]; pc++; continue;
                        case Ops.BSWAP: r[d] = Arithmetic.bswap(r[d], (int) ((w ^ Ops.BSWAP) >> 32)); pc++; continue;
                        // ---- superinstructions (ProgramCode.fuse); "_J" ones leave through "fused" to their jump ----
                        case Ops.I_MOV_ADD_X: r[d] = r[(int) (w ^ Ops.I_MOV_ADD_X) >>> 12 & 0xF] + r[(int) (w ^ Ops.I_MOV_ADD_X) >>> 16 & 0xF]; pc += 2; continue;
                        case Ops.I_MOV_ADD_K: r[d] = r[(int) (w ^ Ops.I_MOV_ADD_K) >>> 12 & 0xF] + ((w ^ Ops.I_MOV_ADD_K) >> 32); pc += 2; continue;
                        case Ops.I_MOV_ADD_K_J: r[d] = r[(int) (w ^ Ops.I_MOV_ADD_K_J) >>> 12 & 0xF] + ((w ^ Ops.I_MOV_ADD_K_J) >> 32); pc += 2; break fused;
                        case Ops.I_MOV_AND_K: r[d] = r[(int) (w ^ Ops.I_MOV_AND_K) >>> 12 & 0xF] & (w ^ Ops.I_MOV_AND_K) >> 32; pc += 2; continue;
                        case Ops.I_MOV_AND_K_J: r[d] = r[(int) (w ^ Ops.I_MOV_AND_K_J) >>> 12 & 0xF] & (w ^ Ops.I_MOV_AND_K_J) >> 32; pc += 2; break fused;
                        case Ops.I_MOV_RSH_K: r[d] = r[(int) (w ^ Ops.I_MOV_RSH_K) >>> 12 & 0xF] >>> (int) ((w ^ Ops.I_MOV_RSH_K) >> 32); pc += 2; continue;
                        case Ops.I_MOV32_RSH32_K: r[d] = (int) r[(int) (w ^ Ops.I_MOV32_RSH32_K) >>> 12 & 0xF] >>> (int) ((w ^ Ops.I_MOV32_RSH32_K) >> 32) & M32; pc += 2; continue;
                        case Ops.I_ADD2_K: r[d] += (short) ((w ^ Ops.I_ADD2_K) >>> 16); r[(int) (w ^ Ops.I_ADD2_K) >>> 12 & 0xF] += (w ^ Ops.I_ADD2_K) >> 32; pc += 2; continue;
                        case Ops.I_ADD64_K_J: r[d] += (w ^ Ops.I_ADD64_K_J) >> 32; pc++; break fused;
                        case Ops.I_ADD64_X_J: r[d] += r[(int) (w ^ Ops.I_ADD64_X_J) >>> 12 & 0xF]; pc++; break fused;
                        case Ops.I_MOV64_X_J: r[d] = r[(int) (w ^ Ops.I_MOV64_X_J) >>> 12 & 0xF]; pc++; break fused;
                        case Ops.I_MOV64_K_J: r[d] = (w ^ Ops.I_MOV64_K_J) >> 32; pc++; break fused;
                        case Ops.I_MOV32_X_J: r[d] = r[(int) (w ^ Ops.I_MOV32_X_J) >>> 12 & 0xF] & M32; pc++; break fused;
                        case Ops.I_AND64_K_J: r[d] &= (w ^ Ops.I_AND64_K_J) >> 32; pc++; break fused;
                        case Ops.I_AND32_K_J: r[d] &= (w ^ Ops.I_AND32_K_J) >>> 32; pc++; break fused;
                        // ---- ALU (32-bit; results are zero-extended) ----
                        case 0x04: r[d] = (int) r[d] + (int) ((w ^ 0x04) >> 32) & M32; pc++; continue;
                        case 0x0c: r[d] = (int) r[d] + (int) r[(int) (w ^ 0x0c) >>> 12 & 0xF] & M32; pc++; continue;
                        case 0x14: r[d] = (int) r[d] - (int) ((w ^ 0x14) >> 32) & M32; pc++; continue;
                        case 0x1c: r[d] = (int) r[d] - (int) r[(int) (w ^ 0x1c) >>> 12 & 0xF] & M32; pc++; continue;
                        case 0x24: r[d] = (int) r[d] * (int) ((w ^ 0x24) >> 32) & M32; pc++; continue;
                        case 0x2c: r[d] = (int) r[d] * (int) r[(int) (w ^ 0x2c) >>> 12 & 0xF] & M32; pc++; continue;
                        case 0x44: r[d] = (r[d] | (w ^ 0x44) >>> 32) & M32; pc++; continue;
                        case 0x4c: r[d] = (r[d] | r[(int) (w ^ 0x4c) >>> 12 & 0xF]) & M32; pc++; continue;
                        case 0x54: r[d] = r[d] & (w ^ 0x54) >>> 32; pc++; continue;
                        case 0x5c: r[d] = r[d] & r[(int) (w ^ 0x5c) >>> 12 & 0xF] & M32; pc++; continue;
                        case 0x64: r[d] = (int) r[d] << (int) ((w ^ 0x64) >> 32) & M32; pc++; continue;
                        case 0x6c: r[d] = (int) r[d] << (int) r[(int) (w ^ 0x6c) >>> 12 & 0xF] & M32; pc++; continue;
                        case 0x74: r[d] = (int) r[d] >>> (int) ((w ^ 0x74) >> 32) & M32; pc++; continue;
                        case 0x7c: r[d] = (int) r[d] >>> (int) r[(int) (w ^ 0x7c) >>> 12 & 0xF] & M32; pc++; continue;
                        case 0x84: r[d] = -(int) r[d] & M32; pc++; continue;
                        case 0xa4: r[d] = (r[d] ^ w >>> 32) & M32; pc++; continue;
                        case 0xac: r[d] = (r[d] ^ r[(int) (w ^ 0xac) >>> 12 & 0xF]) & M32; pc++; continue;
                        case 0xb4: r[d] = (w ^ 0xb4) >>> 32; pc++; continue;
                        case 0xbc: r[d] = r[(int) (w ^ 0xbc) >>> 12 & 0xF] & M32; pc++; continue;
                        case 0xc4: r[d] = (int) r[d] >> (int) ((w ^ 0xc4) >> 32) & M32; pc++; continue;
                        case 0xcc: r[d] = (int) r[d] >> (int) r[(int) (w ^ 0xcc) >>> 12 & 0xF] & M32; pc++; continue;
                        case Ops.END_LE: r[d] = Arithmetic.toLittleEndian(r[d], (int) ((w ^ Ops.END_LE) >> 32)); pc++; continue;
                        case Ops.END_BE: r[d] = Arithmetic.toBigEndian(r[d], (int) ((w ^ Ops.END_BE) >> 32)); pc++; continue;
                        // ---- JMP (64-bit compares); a taken branch leaves the switch through "jump" ----
                        case Ops.JA: break jump;
                        case 0x15: if (r[d] == (w ^ 0x15) >> 32) break jump; pc++; continue;
                        case 0x1d: if (r[d] == r[(int) (w ^ 0x1d) >>> 12 & 0xF]) break jump; pc++; continue;
                        case 0x55: if (r[d] != (w ^ 0x55) >> 32) break jump; pc++; continue;
                        case 0x5d: if (r[d] != r[(int) (w ^ 0x5d) >>> 12 & 0xF]) break jump; pc++; continue;
                        case 0x25: if (r[d] + Long.MIN_VALUE > ((w ^ 0x25) >> 32) + Long.MIN_VALUE) break jump; pc++; continue;
                        case 0x2d: if (r[d] + Long.MIN_VALUE > r[(int) (w ^ 0x2d) >>> 12 & 0xF] + Long.MIN_VALUE) break jump; pc++; continue;
                        case 0x35: if (r[d] + Long.MIN_VALUE >= ((w ^ 0x35) >> 32) + Long.MIN_VALUE) break jump; pc++; continue;
                        case 0x3d: if (r[d] + Long.MIN_VALUE >= r[(int) (w ^ 0x3d) >>> 12 & 0xF] + Long.MIN_VALUE) break jump; pc++; continue;
                        case 0xa5: if (r[d] + Long.MIN_VALUE < ((w ^ 0xa5) >> 32) + Long.MIN_VALUE) break jump; pc++; continue;
                        case 0xad: if (r[d] + Long.MIN_VALUE < r[(int) (w ^ 0xad) >>> 12 & 0xF] + Long.MIN_VALUE) break jump; pc++; continue;
                        case 0xb5: if (r[d] + Long.MIN_VALUE <= ((w ^ 0xb5) >> 32) + Long.MIN_VALUE) break jump; pc++; continue;
                        case 0xbd: if (r[d] + Long.MIN_VALUE <= r[(int) (w ^ 0xbd) >>> 12 & 0xF] + Long.MIN_VALUE) break jump; pc++; continue;
                        case 0x45: if ((r[d] & (w ^ 0x45) >> 32) != 0) break jump; pc++; continue;
                        case 0x4d: if ((r[d] & r[(int) (w ^ 0x4d) >>> 12 & 0xF]) != 0) break jump; pc++; continue;
                        case 0x65: if (r[d] > (w ^ 0x65) >> 32) break jump; pc++; continue;
                        case 0x6d: if (r[d] > r[(int) (w ^ 0x6d) >>> 12 & 0xF]) break jump; pc++; continue;
                        case 0x75: if (r[d] >= (w ^ 0x75) >> 32) break jump; pc++; continue;
                        case 0x7d: if (r[d] >= r[(int) (w ^ 0x7d) >>> 12 & 0xF]) break jump; pc++; continue;
                        case 0xc5: if (r[d] < (w ^ 0xc5) >> 32) break jump; pc++; continue;
                        case 0xcd: if (r[d] < r[(int) (w ^ 0xcd) >>> 12 & 0xF]) break jump; pc++; continue;
                        case 0xd5: if (r[d] <= (w ^ 0xd5) >> 32) break jump; pc++; continue;
                        case 0xdd: if (r[d] <= r[(int) (w ^ 0xdd) >>> 12 & 0xF]) break jump; pc++; continue;
                        // ---- JMP32 (compares of the low 32 bits) ----
                        case 0x16: if ((int) r[d] == (int) ((w ^ 0x16) >> 32)) break jump; pc++; continue;
                        case 0x1e: if ((int) r[d] == (int) r[(int) (w ^ 0x1e) >>> 12 & 0xF]) break jump; pc++; continue;
                        case 0x56: if ((int) r[d] != (int) ((w ^ 0x56) >> 32)) break jump; pc++; continue;
                        case 0x5e: if ((int) r[d] != (int) r[(int) (w ^ 0x5e) >>> 12 & 0xF]) break jump; pc++; continue;
                        case 0x26: if ((r[d] & M32) > (w ^ 0x26) >>> 32) break jump; pc++; continue;
                        case 0x2e: if ((r[d] & M32) > (r[(int) (w ^ 0x2e) >>> 12 & 0xF] & M32)) break jump; pc++; continue;
                        case 0x36: if ((r[d] & M32) >= (w ^ 0x36) >>> 32) break jump; pc++; continue;
                        case 0x3e: if ((r[d] & M32) >= (r[(int) (w ^ 0x3e) >>> 12 & 0xF] & M32)) break jump; pc++; continue;
                        case 0xa6: if ((r[d] & M32) < (w ^ 0xa6) >>> 32) break jump; pc++; continue;
                        case 0xae: if ((r[d] & M32) < (r[(int) (w ^ 0xae) >>> 12 & 0xF] & M32)) break jump; pc++; continue;
                        case 0xb6: if ((r[d] & M32) <= (w ^ 0xb6) >>> 32) break jump; pc++; continue;
                        case 0xbe: if ((r[d] & M32) <= (r[(int) (w ^ 0xbe) >>> 12 & 0xF] & M32)) break jump; pc++; continue;
                        case 0x46: if (((int) r[d] & (int) ((w ^ 0x46) >> 32)) != 0) break jump; pc++; continue;
                        case 0x4e: if (((int) r[d] & (int) r[(int) (w ^ 0x4e) >>> 12 & 0xF]) != 0) break jump; pc++; continue;
                        case 0x66: if ((int) r[d] > (int) ((w ^ 0x66) >> 32)) break jump; pc++; continue;
                        case 0x6e: if ((int) r[d] > (int) r[(int) (w ^ 0x6e) >>> 12 & 0xF]) break jump; pc++; continue;
                        case 0x76: if ((int) r[d] >= (int) ((w ^ 0x76) >> 32)) break jump; pc++; continue;
                        case 0x7e: if ((int) r[d] >= (int) r[(int) (w ^ 0x7e) >>> 12 & 0xF]) break jump; pc++; continue;
                        case 0xc6: if ((int) r[d] < (int) ((w ^ 0xc6) >> 32)) break jump; pc++; continue;
                        case 0xce: if ((int) r[d] < (int) r[(int) (w ^ 0xce) >>> 12 & 0xF]) break jump; pc++; continue;
                        case 0xd6: if ((int) r[d] <= (int) ((w ^ 0xd6) >> 32)) break jump; pc++; continue;
                        case 0xde: if ((int) r[d] <= (int) r[(int) (w ^ 0xde) >>> 12 & 0xF]) break jump; pc++; continue;
                        default: // callx, exit, gotol and rare arithmetic: step() runs them
                            return pc;
                    }
                } else { // LD, LDX, ST, STX and the internal codes
                    switch ((int) w & 0xFF) {
                        // ---- loads and stores (address = base register + offset) ----
                        case Ops.LDXB: v = ld8(s, r[(int) (w ^ Ops.LDXB) >>> 12 & 0xF] + (short) ((w ^ Ops.LDXB) >>> 16)); if (v < 0) return pc; r[d] = v; pc++; continue;
                        case Ops.LDXH: v = ld16(s, r[(int) (w ^ Ops.LDXH) >>> 12 & 0xF] + (short) ((w ^ Ops.LDXH) >>> 16)); if (v < 0) return pc; r[d] = v; pc++; continue;
                        case Ops.LDXW: v = ld32(s, r[(int) (w ^ Ops.LDXW) >>> 12 & 0xF] + (short) ((w ^ Ops.LDXW) >>> 16)); if (v < 0) return pc; r[d] = v; pc++; continue;
                        case Ops.LDXDW: i = at64(s, r[(int) (w ^ Ops.LDXDW) >>> 12 & 0xF] + (short) ((w ^ Ops.LDXDW) >>> 16), s.cachedReadLength); if (i == MISS) return pc; r[d] = i >= 0 ? get64(s.stack, i) : get64(s.cachedBytes, ~i); pc++; continue;
                        case Ops.I_LDXW_BE32: v = ld32(s, r[(int) (w ^ Ops.I_LDXW_BE32) >>> 12 & 0xF] + (short) ((w ^ Ops.I_LDXW_BE32) >>> 16)); if (v < 0) return pc; r[d] = Integer.reverseBytes((int) v) & M32; pc += 2; continue;
                        case Ops.I_LDXH_BE16: v = ld16(s, r[(int) (w ^ Ops.I_LDXH_BE16) >>> 12 & 0xF] + (short) ((w ^ Ops.I_LDXH_BE16) >>> 16)); if (v < 0) return pc; r[d] = Short.reverseBytes((short) v) & 0xFFFFL; pc += 2; continue;
                        case Ops.I_LDXB_XOR: v = ld8(s, r[(int) (w ^ Ops.I_LDXB_XOR) >>> 12 & 0xF] + (short) ((w ^ Ops.I_LDXB_XOR) >>> 16)); if (v < 0) return pc; r[(int) ((w ^ Ops.I_LDXB_XOR) >>> 32)] ^= r[d] = v; pc += 2; continue;
                        case Ops.I_LDXB_J: v = ld8(s, r[(int) (w ^ Ops.I_LDXB_J) >>> 12 & 0xF] + (short) ((w ^ Ops.I_LDXB_J) >>> 16)); if (v < 0) return pc; r[d] = v; pc++; break fused;
                        case Ops.I_LDXH_J: v = ld16(s, r[(int) (w ^ Ops.I_LDXH_J) >>> 12 & 0xF] + (short) ((w ^ Ops.I_LDXH_J) >>> 16)); if (v < 0) return pc; r[d] = v; pc++; break fused;
                        case Ops.I_LDXW_J: v = ld32(s, r[(int) (w ^ Ops.I_LDXW_J) >>> 12 & 0xF] + (short) ((w ^ Ops.I_LDXW_J) >>> 16)); if (v < 0) return pc; r[d] = v; pc++; break fused;
                        case Ops.LDXSB: v = ld8(s, r[(int) (w ^ Ops.LDXSB) >>> 12 & 0xF] + (short) ((w ^ Ops.LDXSB) >>> 16)); if (v < 0) return pc; r[d] = (byte) v; pc++; continue;
                        case Ops.LDXSH: v = ld16(s, r[(int) (w ^ Ops.LDXSH) >>> 12 & 0xF] + (short) ((w ^ Ops.LDXSH) >>> 16)); if (v < 0) return pc; r[d] = (short) v; pc++; continue;
                        case Ops.LDXSW: v = ld32(s, r[(int) (w ^ Ops.LDXSW) >>> 12 & 0xF] + (short) ((w ^ Ops.LDXSW) >>> 16)); if (v < 0) return pc; r[d] = (int) v; pc++; continue;
                        case Ops.STB: if (!st8(s, r[d] + (short) ((w ^ Ops.STB) >>> 16), (w ^ Ops.STB) >> 32)) return pc; pc++; continue;
                        case Ops.STH: if (!st16(s, r[d] + (short) ((w ^ Ops.STH) >>> 16), (w ^ Ops.STH) >> 32)) return pc; pc++; continue;
                        case Ops.STW: if (!st32(s, r[d] + (short) ((w ^ Ops.STW) >>> 16), (w ^ Ops.STW) >> 32)) return pc; pc++; continue;
                        case Ops.STDW: if (!st64(s, r[d] + (short) ((w ^ Ops.STDW) >>> 16), (w ^ Ops.STDW) >> 32)) return pc; pc++; continue;
                        case Ops.STXB: if (!st8(s, r[d] + (short) ((w ^ Ops.STXB) >>> 16), r[(int) (w ^ Ops.STXB) >>> 12 & 0xF])) return pc; pc++; continue;
                        case Ops.STXH: if (!st16(s, r[d] + (short) ((w ^ Ops.STXH) >>> 16), r[(int) (w ^ Ops.STXH) >>> 12 & 0xF])) return pc; pc++; continue;
                        case Ops.STXW: if (!st32(s, r[d] + (short) ((w ^ Ops.STXW) >>> 16), r[(int) (w ^ Ops.STXW) >>> 12 & 0xF])) return pc; pc++; continue;
                        case Ops.STXDW: if (!st64(s, r[d] + (short) ((w ^ Ops.STXDW) >>> 16), r[(int) (w ^ Ops.STXDW) >>> 12 & 0xF])) return pc; pc++; continue;
                        case Ops.LDDW: r[d] = code[pc + 1]; pc += 2; continue;
                        case Ops.I_LDDW_MAP: r[d] = s.mapHandles[(int) ((w ^ Ops.I_LDDW_MAP) >>> 32)]; pc += 2; continue;
                        case Ops.I_LDDW_MAP_VALUE: r[d] = s.mapValues[(int) ((w ^ Ops.I_LDDW_MAP_VALUE) >>> 32)] + code[pc + 1]; pc += 2; continue;
                        // ---- pairs of arithmetic instructions (ProgramCode.fuse), bodies in methods of their own:
                        // C2 inlines at most 8000 bytecodes into this method, counting its own size, so bodies
                        // that only some programs run stay out of it until they are hot ----
                        case Ops.I_LSH_OR_X: lshOr(r, (w ^ Ops.I_LSH_OR_X)); pc += 2; continue;
                        case Ops.I_ADD_X_ADD_K: addXAddK(r, (w ^ Ops.I_ADD_X_ADD_K)); pc += 2; continue;
                        case Ops.I_ADD_X_ADD_K_J: addXAddK(r, (w ^ Ops.I_ADD_X_ADD_K_J)); pc += 2; break fused;
                        case Ops.I_MUL_X_ADD_K: mulXAddK(r, (w ^ Ops.I_MUL_X_ADD_K)); pc += 2; continue;
                        case Ops.I_MUL_X_ADD_K_J: mulXAddK(r, (w ^ Ops.I_MUL_X_ADD_K_J)); pc += 2; break fused;
                        case Ops.I_MOV2_X: mov2(r, (w ^ Ops.I_MOV2_X)); pc += 2; continue;
                        case Ops.I_MOV2_X_J: mov2(r, (w ^ Ops.I_MOV2_X_J)); pc += 2; break fused;
                        case Ops.I_ADD_K_MOV_X: addKMovX(r, (w ^ Ops.I_ADD_K_MOV_X)); pc += 2; continue;
                        case Ops.I_ADD_K_MOV_X_J: addKMovX(r, (w ^ Ops.I_ADD_K_MOV_X_J)); pc += 2; break fused;
                        case Ops.I_XOR2_32_X: xor2x32(r, (w ^ Ops.I_XOR2_32_X)); pc += 2; continue;
                        case Ops.I_MUL_K_ADD_K: mulKAddK(r, (w ^ Ops.I_MUL_K_ADD_K)); pc += 2; continue;
                        case Ops.I_MUL32_K_ADD32_K: mulKAddK32(r, (w ^ Ops.I_MUL32_K_ADD32_K)); pc += 2; continue;
                        case Ops.I_MUL32_K_MOV_RSH32: mulMovRsh32(r, (w ^ Ops.I_MUL32_K_MOV_RSH32)); pc += 3; continue;
                        // the second access of a pair is the next instruction's: pc moves first, so a fault names it
                        case Ops.I_LDXB2:
                            v = ld8(s, r[(int) (w ^ Ops.I_LDXB2) >>> 12 & 0xF] + (short) ((w ^ Ops.I_LDXB2) >>> 16));
                            if (v < 0) return pc;
                            r[d] = v;
                            pc++;
                            v = ld8(s, r[(int) (w ^ Ops.I_LDXB2) >>> 12 & 0xF] + (short) ((w ^ Ops.I_LDXB2) >>> 48));
                            if (v < 0) return pc;
                            r[(int) ((w ^ Ops.I_LDXB2) >>> 32) & 0xF] = v;
                            pc++;
                            continue;
                        case Ops.I_STXW2:
                            if (!st32(s, r[d] + (short) ((w ^ Ops.I_STXW2) >>> 16), r[(int) (w ^ Ops.I_STXW2) >>> 12 & 0xF])) return pc;
                            pc++;
                            if (!st32(s, r[d] + (short) ((w ^ Ops.I_STXW2) >>> 48), r[(int) ((w ^ Ops.I_STXW2) >>> 32) & 0xF])) return pc;
                            pc++;
                            continue;
                        default: // calls, exit and everything rare: step() runs them
                            return pc;
                    }
                }
            }
                // The jump that ends a fused group, at pc now: a switch site of its own, which sees few
                // distinct jumps (mostly loop ends) and so predicts well. It takes the jumps compilers
                // emit most (equality and unsigned compares); the others go round the loop.
                w = code[pc];
                d = (int) w >>> 8 & 0xF;
                switch ((int) w & 0xFF) {
                case Ops.JA: break jump;
                case 0x15: if (r[d] == (w ^ 0x15) >> 32) break jump; pc++; continue;
                case 0x1d: if (r[d] == r[(int) (w ^ 0x1d) >>> 12 & 0xF]) break jump; pc++; continue;
                case 0x55: if (r[d] != (w ^ 0x55) >> 32) break jump; pc++; continue;
                case 0x5d: if (r[d] != r[(int) (w ^ 0x5d) >>> 12 & 0xF]) break jump; pc++; continue;
                case 0x25: if (r[d] + Long.MIN_VALUE > ((w ^ 0x25) >> 32) + Long.MIN_VALUE) break jump; pc++; continue;
                case 0x2d: if (r[d] + Long.MIN_VALUE > r[(int) (w ^ 0x2d) >>> 12 & 0xF] + Long.MIN_VALUE) break jump; pc++; continue;
                case 0x35: if (r[d] + Long.MIN_VALUE >= ((w ^ 0x35) >> 32) + Long.MIN_VALUE) break jump; pc++; continue;
                case 0x3d: if (r[d] + Long.MIN_VALUE >= r[(int) (w ^ 0x3d) >>> 12 & 0xF] + Long.MIN_VALUE) break jump; pc++; continue;
                case 0xa5: if (r[d] + Long.MIN_VALUE < ((w ^ 0xa5) >> 32) + Long.MIN_VALUE) break jump; pc++; continue;
                case 0xad: if (r[d] + Long.MIN_VALUE < r[(int) (w ^ 0xad) >>> 12 & 0xF] + Long.MIN_VALUE) break jump; pc++; continue;
                case 0xb5: if (r[d] + Long.MIN_VALUE <= ((w ^ 0xb5) >> 32) + Long.MIN_VALUE) break jump; pc++; continue;
                case 0xbd: if (r[d] + Long.MIN_VALUE <= r[(int) (w ^ 0xbd) >>> 12 & 0xF] + Long.MIN_VALUE) break jump; pc++; continue;
                case 0x16: if ((int) r[d] == (int) ((w ^ 0x16) >> 32)) break jump; pc++; continue;
                case 0x1e: if ((int) r[d] == (int) r[(int) (w ^ 0x1e) >>> 12 & 0xF]) break jump; pc++; continue;
                case 0x56: if ((int) r[d] != (int) ((w ^ 0x56) >> 32)) break jump; pc++; continue;
                case 0x5e: if ((int) r[d] != (int) r[(int) (w ^ 0x5e) >>> 12 & 0xF]) break jump; pc++; continue;
                case 0x26: if ((r[d] & M32) > (w ^ 0x26) >>> 32) break jump; pc++; continue;
                case 0x2e: if ((r[d] & M32) > (r[(int) (w ^ 0x2e) >>> 12 & 0xF] & M32)) break jump; pc++; continue;
                case 0x36: if ((r[d] & M32) >= (w ^ 0x36) >>> 32) break jump; pc++; continue;
                case 0x3e: if ((r[d] & M32) >= (r[(int) (w ^ 0x3e) >>> 12 & 0xF] & M32)) break jump; pc++; continue;
                case 0xa6: if ((r[d] & M32) < (w ^ 0xa6) >>> 32) break jump; pc++; continue;
                case 0xae: if ((r[d] & M32) < (r[(int) (w ^ 0xae) >>> 12 & 0xF] & M32)) break jump; pc++; continue;
                case 0xb6: if ((r[d] & M32) <= (w ^ 0xb6) >>> 32) break jump; pc++; continue;
                case 0xbe: if ((r[d] & M32) <= (r[(int) (w ^ 0xbe) >>> 12 & 0xF] & M32)) break jump; pc++; continue;
                default:
                    continue;
                }
            }
            // A taken jump with a 16-bit offset; only backward ones can loop, so only they are charged.
            int off = (short) (w >>> 16);
            if (off < 0 && --s.budget < 0) {
                return ~pc;
            }
            pc += off + 1;
        }
    }

    /**
     * Runs the one instruction {@code w} (its word before fusion) at {@code pc}: what the fast path leaves,
     * with every check; helper calls are {@link #execute}'s. Answers the next pc, or {@link #EXITED} when
     * the run's frame exits (r0 holds the result).
     */
    private static int step(RunState s, long[] r, long w, int pc, int baseDepth) {
        int d = (int) w >>> 8 & 0xF;
        switch ((int) w & 0xFF) {
            case Ops.LDXB: r[d] = s.ld8(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16)); return pc + 1;
            case Ops.LDXH: r[d] = s.ld16(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16)); return pc + 1;
            case Ops.LDXW: r[d] = s.ld32(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16)); return pc + 1;
            case Ops.LDXDW: r[d] = s.ld64(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16)); return pc + 1;
            case Ops.LDXSB: r[d] = (byte) s.ld8(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16)); return pc + 1;
            case Ops.LDXSH: r[d] = (short) s.ld16(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16)); return pc + 1;
            case Ops.LDXSW: r[d] = (int) s.ld32(r[(int) w >>> 12 & 0xF] + (short) (w >>> 16)); return pc + 1;
            case Ops.STB: s.st8(r[d] + (short) (w >>> 16), w >> 32); return pc + 1;
            case Ops.STH: s.st16(r[d] + (short) (w >>> 16), w >> 32); return pc + 1;
            case Ops.STW: s.st32(r[d] + (short) (w >>> 16), w >> 32); return pc + 1;
            case Ops.STDW: s.st64(r[d] + (short) (w >>> 16), w >> 32); return pc + 1;
            case Ops.STXB: s.st8(r[d] + (short) (w >>> 16), r[(int) w >>> 12 & 0xF]); return pc + 1;
            case Ops.STXH: s.st16(r[d] + (short) (w >>> 16), r[(int) w >>> 12 & 0xF]); return pc + 1;
            case Ops.STXW: s.st32(r[d] + (short) (w >>> 16), r[(int) w >>> 12 & 0xF]); return pc + 1;
            case Ops.STXDW: s.st64(r[d] + (short) (w >>> 16), r[(int) w >>> 12 & 0xF]); return pc + 1;
            case Ops.JA32: return longJump(s, w, pc);
            case Ops.CALLX: return callx(s, r, d, pc);
            case Ops.I_CALL_LOCAL: return callLocal(s, r, w, pc);
            case Ops.EXIT:
                if (s.depth == baseDepth) {
                    return EXITED;
                }
                return s.popFrame(r);
            case Ops.I_END_OF_CODE:
                throw new ExecutionException(pc, "control ran past the last instruction", null);
            default:
                return rare(s, r, w, pc);
        }
    }

    /** {@code gotol}: a jump with a 32-bit offset; backward ones are charged. */
    private static int longJump(RunState s, long w, int pc) {
        int off = (int) (w >> 32);
        if (off < 0 && --s.budget < 0) {
            throw budgetExhausted(pc);
        }
        return pc + off + 1;
    }

    /** {@code callx}: a local call through a code address, else a helper by id; answers the next pc. */
    private static int callx(RunState s, long[] r, int d, int pc) {
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
            return to;
        }
        r[0] = s.callHelperById(pc, target, r[1], r[2], r[3], r[4], r[5]);
        return pc + 1;
    }

    /** A call of a function of this program (charged: recursion could loop); answers its first pc. */
    private static int callLocal(RunState s, long[] r, long w, int pc) {
        if (--s.budget < 0) {
            throw budgetExhausted(pc);
        }
        s.pushFrame(r, pc);
        return pc + (int) (w >> 32) + 1;
    }

    /**
     * A tail call to another interpreted program: switches the state to it and answers the register
     * file to run its code in from instruction 0, cleared but r1 (the context) and r10 (this frame).
     */
    private static long[] enterTailCall(RunState s, long[] r, int baseDepth) {
        InterpretedProgram target = (InterpretedProgram) s.tailCallTarget;
        s.tailCallTarget = null;
        s.enter(target);
        long context = r[1];
        long frame = r[10];
        long[] next = RegisterFiles.of(s, target.code, baseDepth);
        next[1] = context;
        next[10] = frame;
        return next;
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
            case Ops.I_LDDW_MAP: r[d] = s.mapHandles[(int) (w >>> 32)]; return pc + 2;
            case Ops.I_LDDW_MAP_VALUE: r[d] = s.mapValues[(int) (w >>> 32)] + s.program.code().words[pc + 1]; return pc + 2;
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

    // ---- bodies of fused pairs (layouts in Ops) ----

    private static void lshOr(long[] r, long w) {
        int d = (int) w >>> 8 & 0xF;
        r[d] <<= (int) (w >> 32);
        r[d] |= r[(int) w >>> 12 & 0xF];
    }

    private static void addXAddK(long[] r, long w) {
        r[(int) w >>> 8 & 0xF] += r[(int) w >>> 12 & 0xF];
        r[(int) w >>> 16 & 0xF] += w >> 32;
    }

    private static void mulXAddK(long[] r, long w) {
        r[(int) w >>> 8 & 0xF] *= r[(int) w >>> 12 & 0xF];
        r[(int) w >>> 16 & 0xF] += w >> 32;
    }

    private static void mov2(long[] r, long w) {
        r[(int) w >>> 8 & 0xF] = r[(int) w >>> 12 & 0xF];
        r[(int) w >>> 16 & 0xF] = r[(int) w >>> 20 & 0xF];
    }

    private static void addKMovX(long[] r, long w) {
        r[(int) w >>> 8 & 0xF] += w >> 32;
        r[(int) w >>> 16 & 0xF] = r[(int) w >>> 20 & 0xF];
    }

    private static void xor2x32(long[] r, long w) {
        int d = (int) w >>> 8 & 0xF;
        r[d] = (r[d] ^ r[(int) w >>> 12 & 0xF]) & M32;
        int e = (int) w >>> 16 & 0xF;
        r[e] = (r[e] ^ r[(int) w >>> 20 & 0xF]) & M32;
    }

    private static void mulKAddK(long[] r, long w) {
        int d = (int) w >>> 8 & 0xF;
        r[d] = r[d] * (w >> 32) + (short) (w >>> 16);
    }

    private static void mulKAddK32(long[] r, long w) {
        int d = (int) w >>> 8 & 0xF;
        r[d] = (int) r[d] * (int) (w >> 32) + (short) (w >>> 16) & M32;
    }

    /** {@code wD *= k; wE = wD; wE >>= n}: E in the src field, n in the offset. */
    private static void mulMovRsh32(long[] r, long w) {
        int d = (int) w >>> 8 & 0xF;
        long product = (int) r[d] * (int) (w >> 32) & M32;
        r[d] = product;
        r[(int) w >>> 12 & 0xF] = product >>> (w >>> 16 & 0x1F);
    }

    // ---- loads and stores of the fast path: the cached region (the region touched last, the stack until
    // another is), then the stack, else a miss that leaves the access to step() (RunState resolves it
    // through Memory and caches its region). Cache first: a packet parser's loads then test one range,
    // not two (parse_udp 4.0 -> 3.4 ns per instruction), and a program that only touches its stack
    // finds it in the cache. C2 inlines
    // at most 8000 bytecodes into run() (DesiredMethodLimit), counting run() itself and everything inlined
    // into it, and a VarHandle access inlines about 200 bytecodes of its own: with one per width, parse_udp
    // and bubble_sort ran out of room for their hot loads, which stayed calls. So 32-bit accesses, the
    // hottest in these programs, use a VarHandle (bytes by hand cost bubble_sort 15%) and 16- and 64-bit
    // ones assemble bytes by hand. Loads answer -1 for a miss: no 8-, 16- or 32-bit value is negative
    // once zero-extended.

    private static long ld8(RunState s, long a) {
        long o = a - s.cachedBase;
        if (o >= 0 && o < s.cachedReadLength) {
            return s.cachedBytes[s.cachedOffset + (int) o] & 0xFFL;
        }
        o = a - s.stackBase;
        if (o >= 0 && o < RunState.STACK_SIZE) {
            return s.stack[(int) o] & 0xFFL;
        }
        return -1;
    }

    private static long ld16(RunState s, long a) {
        byte[] b;
        int i;
        long o = a - s.cachedBase;
        if (o >= 0 && o <= s.cachedReadLength - 2) {
            b = s.cachedBytes;
            i = s.cachedOffset + (int) o;
        } else {
            o = a - s.stackBase;
            if (o < 0 || o > RunState.STACK_SIZE - 2) {
                return -1;
            }
            b = s.stack;
            i = (int) o;
        }
        return b[i] & 0xFF | (b[i + 1] & 0xFF) << 8;
    }

    private static long ld32(RunState s, long a) {
        byte[] b;
        int i;
        long o = a - s.cachedBase;
        if (o >= 0 && o <= s.cachedReadLength - 4) {
            b = s.cachedBytes;
            i = s.cachedOffset + (int) o;
        } else {
            o = a - s.stackBase;
            if (o < 0 || o > RunState.STACK_SIZE - 4) {
                return -1;
            }
            b = s.stack;
            i = (int) o;
        }
        return (int) I32.get(b, i) & M32;
    }

    /**
     * Where the 8 bytes at {@code a} are: {@code ~index} into the cached region (of which {@code length}
     * bytes may be accessed), an index into the stack, or {@link #MISS}.
     */
    private static int at64(RunState s, long a, int length) {
        long o = a - s.cachedBase;
        if (o >= 0 && o <= length - 8) {
            return ~(s.cachedOffset + (int) o);
        }
        o = a - s.stackBase;
        if (o < 0 || o > RunState.STACK_SIZE - 8) {
            return MISS;
        }
        return (int) o;
    }

    private static boolean st8(RunState s, long a, long v) {
        long o = a - s.cachedBase;
        if (o >= 0 && o < s.cachedWriteLength) {
            s.cachedBytes[s.cachedOffset + (int) o] = (byte) v;
            return true;
        }
        o = a - s.stackBase;
        if (o >= 0 && o < RunState.STACK_SIZE) {
            s.stack[(int) o] = (byte) v;
            return true;
        }
        return false;
    }

    private static boolean st16(RunState s, long a, long v) {
        byte[] b;
        int i;
        long o = a - s.cachedBase;
        if (o >= 0 && o <= s.cachedWriteLength - 2) {
            b = s.cachedBytes;
            i = s.cachedOffset + (int) o;
        } else {
            o = a - s.stackBase;
            if (o < 0 || o > RunState.STACK_SIZE - 2) {
                return false;
            }
            b = s.stack;
            i = (int) o;
        }
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >> 8);
        return true;
    }

    private static boolean st32(RunState s, long a, long v) {
        byte[] b;
        int i;
        long o = a - s.cachedBase;
        if (o >= 0 && o <= s.cachedWriteLength - 4) {
            b = s.cachedBytes;
            i = s.cachedOffset + (int) o;
        } else {
            o = a - s.stackBase;
            if (o < 0 || o > RunState.STACK_SIZE - 4) {
                return false;
            }
            b = s.stack;
            i = (int) o;
        }
        I32.set(b, i, (int) v);
        return true;
    }

    private static boolean st64(RunState s, long a, long v) {
        int i = at64(s, a, s.cachedWriteLength);
        if (i == MISS) {
            return false;
        }
        put64(i >= 0 ? s.stack : s.cachedBytes, i >= 0 ? i : ~i, v);
        return true;
    }

    private static long get64(byte[] b, int i) {
        return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24
                | (b[i + 4] & 0xFFL) << 32 | (b[i + 5] & 0xFFL) << 40 | (b[i + 6] & 0xFFL) << 48 | (long) b[i + 7] << 56;
    }

    private static void put64(byte[] b, int i, long v) {
        for (int k = 0; k < 8; k++) {
            b[i + k] = (byte) (v >> 8 * k);
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

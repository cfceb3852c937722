package org.ebpfosgi.interpreter.machine;

import java.util.List;
import java.util.Map;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.isa.Decoder;
import org.ebpfosgi.isa.Disassembler;
import org.ebpfosgi.isa.InvalidProgramException;

/**
 * A program image checked and rewritten for the interpreter loop: every word keeps the RFC 9669
 * layout ({@code opcode | dst << 8 | src << 12 | offset << 16 | imm << 32}), but opcodes whose
 * meaning depends on other fields are replaced by internal ones ({@link Ops}), the second word of a
 * {@code lddw} holds the finished 64-bit constant, and one sentinel word follows the last
 * instruction. Immutable and shared by every thread that runs the program.
 */
public final class ProgramCode {
    /** Longest program accepted, in instruction words (Linux's verifier limit is 1M instructions). */
    public static final int MAX_INSTRUCTIONS = 1 << 20;
    /** High 32 bits of a code address ({@code lddw src=4}); above {@code Memory.MAX_ENTRIES}, so never a memory tag. */
    public static final long CODE_ADDRESS_TAG = 0xC0DE_0000L;

    public final ProgramImage image;
    public final long[] words;
    /** The same words before {@link #fuse}: each instruction alone, for a run that steps one at a time. */
    public final long[] unfused;
    /** Raw instruction words, for error messages. */
    public final long[] raw;
    /** Instruction starts (not the second word of an lddw): valid targets for callx through a code address. */
    public final boolean[] instructionStart;
    public final Helper[] helpers;
    public final String[] helperNames;
    public final EbpfMap[] maps;
    /** The value region of key 0 of each map referenced by {@code lddw src=2/6}, else null. */
    public final Region[] mapValues;

    private ProgramCode(ProgramImage image, long[] words, long[] unfused, long[] raw, boolean[] instructionStart,
                        Helper[] helpers, String[] helperNames, EbpfMap[] maps, Region[] mapValues) {
        this.image = image;
        this.words = words;
        this.unfused = unfused;
        this.raw = raw;
        this.instructionStart = instructionStart;
        this.helpers = helpers;
        this.helperNames = helperNames;
        this.maps = maps;
        this.mapValues = mapValues;
    }

    public ProgramImage image() {
        return image;
    }

    /** A code address ({@code lddw src=4}, callback arguments) for instruction {@code pc}. */
    public static long codeAddress(int pc) {
        return CODE_ADDRESS_TAG << 32 | pc;
    }

    /**
     * Checks and rewrites {@code image}: first the instruction set's own validation ({@link Decoder}),
     * then what the interpreter needs on top (no fall-through past the end, resolvable map
     * references). A program the interpreter cannot run safely is refused with an
     * {@link InvalidProgramException} naming the instruction.
     */
    public static ProgramCode of(ProgramImage image) {
        return of(image, PAIR_STORES);
    }

    /**
     * Whether {@link #fuse} pairs two 32-bit stores off one base register ({@link Ops#I_STXW2}), which
     * puts a second store site in the interpreter's loop. From JDK 18 on, C2 judges a call site hot by
     * how often it runs per call of the method that contains it (JDK-8272873, JDK-8273712), and the loop
     * method is called once per run, so every access site a program reaches is inlined, until C2's
     * 8,000-bytecode budget runs out; the pair's second store was the one too many, and the calls left
     * in the loop spilled its state (bubble_sort on JDK 25: 4.87 ns per instruction with the pair, 3.39
     * without). JDK 17 counts absolute executions and inlines fewer sites; there the pair gains 3%.
     */
    static final boolean PAIR_STORES = Runtime.version().feature() < 18;

    /** {@link #of(ProgramImage)} with the store pair on or off: tests check both shapes on any JDK. */
    static ProgramCode of(ProgramImage image, boolean pairStores) {
        long[] raw = image.instructions();
        int n = raw.length;
        if (n == 0) {
            throw new InvalidProgramException(0, "program '" + image.name() + "' has no instructions");
        }
        if (n > MAX_INSTRUCTIONS) {
            throw new InvalidProgramException(MAX_INSTRUCTIONS, "program '" + image.name() + "' has " + n
                    + " instructions, more than " + MAX_INSTRUCTIONS);
        }
        Decoder.decode(raw);
        boolean[] start = new boolean[n];
        for (int pc = 0; pc < n; pc++) {
            start[pc] = true;
            if ((raw[pc] & 0xFF) == Ops.LDDW) {
                if (pc + 1 >= n) {
                    throw invalid(pc, raw[pc], "lddw needs a second instruction word");
                }
                pc++;
            }
        }
        long[] words = new long[n + 1];
        words[n] = Ops.I_END_OF_CODE;
        List<EbpfMap> maps = image.maps();
        Region[] mapValues = new Region[maps.size()];
        HelperTable helpers = new HelperTable(image.helpers(), image.namedHelpers());
        for (int pc = 0; pc < n; pc++) {
            long w = raw[pc];
            int op = (int) w & 0xFF;
            int dst = (int) w >>> 8 & 0xF;
            int src = (int) w >>> 12 & 0xF;
            int off = (short) (w >>> 16);
            int imm = (int) (w >> 32);
            if (dst > 10 || src > 10) {
                throw invalid(pc, w, "no register r" + Math.max(dst, src));
            }
            int cls = op & 0x07;
            int rewritten = op;
            switch (cls) {
                case 0x04: // ALU
                case 0x07: // ALU64
                    noWrite10(pc, w, dst);
                    rewritten = alu(pc, w, op, off, imm, cls == 0x07);
                    break;
                case 0x05: // JMP
                case 0x06: // JMP32
                    rewritten = jump(pc, w, op, src, off, imm, n, start, helpers, cls == 0x06);
                    break;
                case 0x00: // LD
                    if (op == Ops.LDDW) {
                        noWrite10(pc, w, dst);
                        long second = raw[pc + 1];
                        if ((second & 0xFFFF_FFFFL) != 0) {
                            throw invalid(pc, w, "the second word of lddw must have opcode, registers and offset 0");
                        }
                        if (off != 0) {
                            throw invalid(pc, w, "lddw offset must be 0");
                        }
                        long high = second >>> 32;
                        words[pc] = lddw(pc, w, src, imm, high, n, start, maps, mapValues, words);
                        pc++;
                        continue;
                    }
                    if (op != Ops.LD_ABS_W && op != Ops.LD_ABS_H && op != Ops.LD_ABS_B
                            && op != Ops.LD_IND_W && op != Ops.LD_IND_H && op != Ops.LD_IND_B) {
                        throw invalid(pc, w, "unknown opcode");
                    }
                    break;
                case 0x01: // LDX
                    if (op != Ops.LDXW && op != Ops.LDXH && op != Ops.LDXB && op != Ops.LDXDW
                            && op != Ops.LDXSW && op != Ops.LDXSH && op != Ops.LDXSB) {
                        throw invalid(pc, w, "unknown opcode");
                    }
                    noWrite10(pc, w, dst);
                    break;
                case 0x02: // ST
                    if (op != Ops.STW && op != Ops.STH && op != Ops.STB && op != Ops.STDW) {
                        throw invalid(pc, w, "unknown opcode");
                    }
                    break;
                default: // STX
                    if (op == Ops.ATOMIC_W || op == Ops.ATOMIC_DW) {
                        atomic(pc, w, src, imm);
                    } else if (op != Ops.STXW && op != Ops.STXH && op != Ops.STXB && op != Ops.STXDW) {
                        throw invalid(pc, w, "unknown opcode");
                    }
                    break;
            }
            if (rewritten == Ops.I_CALL_HELPER) {
                int index = src == 0 ? helpers.byId(imm) : helpers.byName(imm);
                words[pc] = (w & 0xFFFF_FFFFL & ~0xFFL) | Ops.I_CALL_HELPER | (long) index << 32;
            } else {
                words[pc] = (w & ~0xFFL) | rewritten;
            }
        }
        int lastStart = start[n - 1] ? n - 1 : n - 2;
        int last = (int) raw[lastStart] & 0xFF;
        if (last != Ops.EXIT && last != Ops.JA && last != Ops.JA32) {
            throw invalid(lastStart, raw[lastStart], "the last instruction must be exit or an unconditional jump");
        }
        long[] unfused = words.clone();
        fuse(words, raw, start, pairStores);
        return new ProgramCode(image, words, unfused, raw, start, helpers.helpers(), helpers.names(),
                maps.toArray(new EbpfMap[0]), mapValues);
    }

    /**
     * Rewrites the first word of frequent instruction pairs (and a few triples) into a superinstruction
     * ({@link Ops}, {@code I_*} fused codes) so the loop dispatches once for the group: each
     * dispatch costs the interpreter a fetch, a decode and a multi-way branch the CPU may mispredict.
     * The pairs are idioms compilers emit (copy and offset a pointer, load two fields off one base,
     * assemble bytes, multiply-add, multiply-shift hash steps, loop counter steps before the loop's
     * jump); the JIT, which reads {@link #raw}, does not see them. Only the first word changes; the
     * others stay as they were, so code that enters a group in the middle (a {@code callx} to any
     * instruction start) still runs correctly. Groups never contain a jump target other than their
     * first instruction: a jump to the second would otherwise skip nothing but would make the
     * group's shape depend on how it is entered.
     */
    static void fuse(long[] words, long[] raw, boolean[] start, boolean pairStores) {
        int n = raw.length;
        boolean[] target = jumpTargets(raw, start);
        for (int pc = 0; pc + 1 < n; pc++) {
            if (!start[pc] || !start[pc + 1] || target[pc + 1]) {
                continue;
            }
            long a = words[pc];
            long b = words[pc + 1];
            int aop = (int) a & 0xFF;
            int bop = (int) b & 0xFF;
            int dst = (int) a >>> 8 & 0xF;
            int src = (int) a >>> 12 & 0xF;
            boolean sameDst = ((int) b >>> 8 & 0xF) == dst;
            boolean jumpAfterPair = pc + 2 < n && start[pc + 2] && !target[pc + 2] && fusableJump(words[pc + 2]);
            if (aop == 0xbf && bop == 0x0f && sameDst) { // rD = rS; rD += rT
                int t = (int) b >>> 12 & 0xF;
                if (t == dst) {
                    t = src; // rD += rD after rD = rS adds rS
                }
                words[pc] = Ops.I_MOV_ADD_X | (long) dst << 8 | (long) src << 12 | (long) t << 16;
                pc++;
            } else if (aop == 0xbf && bop == 0x07 && sameDst) { // rD = rS; rD += imm
                int code = jumpAfterPair ? Ops.I_MOV_ADD_K_J : Ops.I_MOV_ADD_K;
                words[pc] = code | (long) dst << 8 | (long) src << 12 | (b & 0xFFFF_FFFF_0000_0000L);
                pc += jumpAfterPair ? 2 : 1;
            } else if (aop == 0xbf && bop == 0x57 && sameDst) { // rD = rS; rD &= imm
                int code = jumpAfterPair ? Ops.I_MOV_AND_K_J : Ops.I_MOV_AND_K;
                words[pc] = code | (long) dst << 8 | (long) src << 12 | (b & 0xFFFF_FFFF_0000_0000L);
                pc += jumpAfterPair ? 2 : 1;
            } else if ((aop == 0xbf && bop == 0x77 || aop == 0xbc && bop == 0x74) && sameDst) { // rD = rS; rD >>= imm
                int code = aop == 0xbf ? Ops.I_MOV_RSH_K : Ops.I_MOV32_RSH32_K;
                words[pc] = code | (long) dst << 8 | (long) src << 12 | (b & 0xFFFF_FFFF_0000_0000L);
                pc++;
            } else if (aop == 0x07 && bop == 0x07 && (int) (a >> 32) == (short) (a >> 32)) { // rD += k1; rE += k2
                words[pc] = Ops.I_ADD2_K | (long) dst << 8 | (b & 0xF00L) << 4 | (a >>> 32 & 0xFFFFL) << 16
                        | (b & 0xFFFF_FFFF_0000_0000L);
                pc++;
            } else if ((aop == Ops.LDXW && bop == Ops.END_BE && (int) (b >> 32) == 32
                    || aop == Ops.LDXH && bop == Ops.END_BE && (int) (b >> 32) == 16) && sameDst) { // load, to host order
                words[pc] = (a & ~0xFFL) | (aop == Ops.LDXW ? Ops.I_LDXW_BE32 : Ops.I_LDXH_BE16);
                pc++;
            } else if (aop == Ops.LDXB && bop == 0xaf && ((int) b >>> 12 & 0xF) == dst && !sameDst) { // load a byte, xor it in
                words[pc] = (a & 0xFFFF_FF00L) | Ops.I_LDXB_XOR | (b >>> 8 & 0xF) << 32;
                pc++;
            } else if (pairCode(a, b, jumpAfterPair, pairStores) != 0) {
                words[pc] = pairWord(a, b, pairCode(a, b, jumpAfterPair, pairStores));
                pc++;
            } else if (aop == 0x24 && bop == 0xbc && pc + 2 < n && start[pc + 2] && !target[pc + 2]
                    && (int) words[pc + 2] == (0x74 | (int) (b & 0xF00)) && ((int) b >>> 12 & 0xF) == dst
                    && (words[pc + 2] >> 32) >= 0 && (words[pc + 2] >> 32) < 32) { // wD *= k; wE = wD; wE >>= s
                words[pc] = Ops.I_MUL32_K_MOV_RSH32 | (long) dst << 8 | (b & 0xF00L) << 4
                        | (words[pc + 2] >>> 32 & 0xFFFFL) << 16 | (a & 0xFFFF_FFFF_0000_0000L);
                pc += 2;
            } else if (fusableJump(b)) {
                int code = jumpSuffixed(aop);
                if (code != 0) {
                    words[pc] = (a & ~0xFFL) | code;
                    pc++;
                }
            }
        }
    }

    /**
     * The fused code for the arithmetic pair {@code a; b} (two words that are plain instructions), or 0
     * if the pair has none; {@code jumpAfter}: a jump that may end the group follows the pair.
     */
    private static int pairCode(long a, long b, boolean jumpAfter, boolean pairStores) {
        int aop = (int) a & 0xFF;
        int bop = (int) b & 0xFF;
        int dst = (int) a >>> 8 & 0xF;
        int src = (int) a >>> 12 & 0xF;
        int bdst = (int) b >>> 8 & 0xF;
        int bsrc = (int) b >>> 12 & 0xF;
        if (aop == Ops.LDXB && bop == Ops.LDXB && bsrc == src && dst != src) {
            return Ops.I_LDXB2;
        }
        if (aop == Ops.STXW && bop == Ops.STXW && bdst == dst && pairStores) {
            return Ops.I_STXW2;
        }
        if (aop == 0x67 && bop == 0x4f && bdst == dst && (int) (a >> 32) >= 0 && (int) (a >> 32) < 64) {
            return Ops.I_LSH_OR_X;
        }
        if (aop == 0x0f && bop == 0x07) {
            return jumpAfter ? Ops.I_ADD_X_ADD_K_J : Ops.I_ADD_X_ADD_K;
        }
        if (aop == 0x2f && bop == 0x07) {
            return jumpAfter ? Ops.I_MUL_X_ADD_K_J : Ops.I_MUL_X_ADD_K;
        }
        if (aop == 0xbf && bop == 0xbf) {
            return jumpAfter ? Ops.I_MOV2_X_J : Ops.I_MOV2_X;
        }
        if (aop == 0x07 && bop == 0xbf) {
            return jumpAfter ? Ops.I_ADD_K_MOV_X_J : Ops.I_ADD_K_MOV_X;
        }
        if (aop == 0xac && bop == 0xac) {
            return Ops.I_XOR2_32_X;
        }
        boolean smallAddend = (int) (b >> 32) == (short) (b >> 32);
        if (aop == 0x27 && bop == 0x07 && bdst == dst && smallAddend) {
            return Ops.I_MUL_K_ADD_K;
        }
        if (aop == 0x24 && bop == 0x04 && bdst == dst && smallAddend) {
            return Ops.I_MUL32_K_ADD32_K;
        }
        return 0;
    }

    /** The first word of the group {@code code} for the pair {@code a; b} (see {@link Ops} for each layout). */
    private static long pairWord(long a, long b, int code) {
        long head = code | (a & 0xFF00L);
        long bdst = b >>> 8 & 0xF;
        long bsrc = b >>> 12 & 0xF;
        switch (code) {
            case Ops.I_LDXB2:
            case Ops.I_STXW2: // first offset stays; the second word's register and offset go to imm
                return head | (a & 0xFFFF_0000L) | (code == Ops.I_LDXB2 ? bdst : bsrc) << 32 | (b >>> 16 & 0xFFFFL) << 48;
            case Ops.I_LSH_OR_X: // shift from a, source register from b
                return head & ~0xF000L | bsrc << 12 | (a & 0xFFFF_FFFF_0000_0000L);
            case Ops.I_ADD_X_ADD_K: case Ops.I_ADD_X_ADD_K_J: case Ops.I_MUL_X_ADD_K: case Ops.I_MUL_X_ADD_K_J:
                return head | bdst << 16 | (b & 0xFFFF_FFFF_0000_0000L);
            case Ops.I_MOV2_X: case Ops.I_MOV2_X_J: case Ops.I_XOR2_32_X:
                return head | bdst << 16 | bsrc << 20;
            case Ops.I_ADD_K_MOV_X: case Ops.I_ADD_K_MOV_X_J:
                return head & ~0xF000L | bdst << 16 | bsrc << 20 | (a & 0xFFFF_FFFF_0000_0000L);
            default: // I_MUL_K_ADD_K, I_MUL32_K_ADD32_K: the addend in the offset
                return head & ~0xF000L | (b >>> 32 & 0xFFFFL) << 16 | (a & 0xFFFF_FFFF_0000_0000L);
        }
    }

    /** The fused code for {@code op} followed by a jump, or 0 if there is none. */
    private static int jumpSuffixed(int op) {
        switch (op) {
            case 0x07: return Ops.I_ADD64_K_J;
            case 0x0f: return Ops.I_ADD64_X_J;
            case 0xbf: return Ops.I_MOV64_X_J;
            case 0xb7: return Ops.I_MOV64_K_J;
            case 0xbc: return Ops.I_MOV32_X_J;
            case 0x57: return Ops.I_AND64_K_J;
            case 0x54: return Ops.I_AND32_K_J;
            case Ops.LDXB: return Ops.I_LDXB_J;
            case Ops.LDXH: return Ops.I_LDXH_J;
            case Ops.LDXW: return Ops.I_LDXW_J;
            default: return 0;
        }
    }

    /** {@code ja} with a 16-bit offset or a conditional jump (JMP or JMP32 class): what a fused group may end with. */
    static boolean fusableJump(long w) {
        int op = (int) w & 0xFF;
        int cls = op & 0x07;
        int operation = op & 0xF0;
        return (cls == 0x05 || cls == 0x06) && operation != 0x80 && operation != 0x90 && op != Ops.JA32;
    }

    /** Instructions control can reach other than by falling through: jump and local-call targets, code addresses. */
    public static boolean[] jumpTargets(long[] raw, boolean[] start) {
        int n = raw.length;
        boolean[] target = new boolean[n];
        target[0] = true;
        for (int pc = 0; pc < n; pc++) {
            if (!start[pc]) {
                continue;
            }
            long w = raw[pc];
            int op = (int) w & 0xFF;
            int cls = op & 0x07;
            int src = (int) w >>> 12 & 0xF;
            long to;
            if (op == Ops.JA32) {
                to = (long) pc + (int) (w >> 32) + 1;
            } else if (op == Ops.CALL) {
                to = src == 1 ? (long) pc + (int) (w >> 32) + 1 : -1;
            } else if (op == Ops.LDDW) {
                to = src == 4 ? (long) pc + (int) (w >> 32) + 1 : -1;
            } else if ((cls == 0x05 || cls == 0x06) && op != Ops.CALLX && op != Ops.EXIT) {
                to = (long) pc + (short) (w >>> 16) + 1;
            } else {
                to = -1;
            }
            if (to >= 0 && to < n) {
                target[(int) to] = true;
            }
        }
        return target;
    }

    private static int alu(int pc, long w, int op, int off, int imm, boolean is64) {
        int operation = op & 0xF0;
        boolean x = (op & 0x08) != 0;
        switch (operation) {
            case 0x00: case 0x10: case 0x20: case 0x40: case 0x50: case 0x60: case 0x70: case 0xa0: case 0xc0:
                requireOffset(pc, w, off, 0);
                return op;
            case 0x30: // div, sdiv
            case 0x90: // mod, smod
                if (off == 0) {
                    return op;
                }
                requireOffset(pc, w, off, 1);
                if (operation == 0x30) {
                    return is64 ? (x ? Ops.I_SDIV64_X : Ops.I_SDIV64_K) : (x ? Ops.I_SDIV32_X : Ops.I_SDIV32_K);
                }
                return is64 ? (x ? Ops.I_SMOD64_X : Ops.I_SMOD64_K) : (x ? Ops.I_SMOD32_X : Ops.I_SMOD32_K);
            case 0x80: // neg
                if (x) {
                    throw invalid(pc, w, "neg takes no source register");
                }
                requireOffset(pc, w, off, 0);
                return op;
            case 0xb0: // mov, movsx
                if (off == 0) {
                    return op;
                }
                if (x && off == 8) {
                    return is64 ? Ops.I_MOVSX64_8 : Ops.I_MOVSX32_8;
                }
                if (x && off == 16) {
                    return is64 ? Ops.I_MOVSX64_16 : Ops.I_MOVSX32_16;
                }
                if (x && off == 32 && is64) {
                    return Ops.I_MOVSX64_32;
                }
                throw invalid(pc, w, "invalid mov offset " + off);
            case 0xd0: // end, bswap
                if (is64 && x) {
                    throw invalid(pc, w, "unknown opcode");
                }
                if (imm != 16 && imm != 32 && imm != 64) {
                    throw invalid(pc, w, "byte swap width must be 16, 32 or 64, not " + imm);
                }
                requireOffset(pc, w, off, 0);
                return op;
            default:
                throw invalid(pc, w, "unknown opcode");
        }
    }

    private static int jump(int pc, long w, int op, int src, int off, int imm, int n, boolean[] start,
                            HelperTable helpers, boolean is32) {
        int operation = op & 0xF0;
        switch (operation) {
            case 0x00: // ja, gotol
                if ((op & 0x08) != 0) {
                    throw invalid(pc, w, "unknown opcode");
                }
                target(pc, w, is32 ? imm : off, n, start);
                return op;
            case 0x80: // call, callx
                if (is32) {
                    throw invalid(pc, w, "unknown opcode");
                }
                if (op == Ops.CALLX) {
                    return op;
                }
                if (src == 1) {
                    target(pc, w, imm, n, start);
                    return Ops.I_CALL_LOCAL;
                }
                if (src != 0 && src != 2) {
                    throw invalid(pc, w, "unknown call kind src=" + src);
                }
                return Ops.I_CALL_HELPER;
            case 0x90: // exit
                if (is32 || (op & 0x08) != 0) {
                    throw invalid(pc, w, "unknown opcode");
                }
                return op;
            case 0xe0:
            case 0xf0:
                throw invalid(pc, w, "unknown opcode");
            default: // conditional jumps
                target(pc, w, off, n, start);
                return op;
        }
    }

    private static long lddw(int pc, long w, int src, int imm, long high, int n, boolean[] start,
                             List<EbpfMap> maps, Region[] mapValues, long[] words) {
        long base = w & 0xF00L;
        switch (src) {
            case 0:
                words[pc + 1] = high << 32 | (imm & 0xFFFF_FFFFL);
                return base | Ops.LDDW;
            case 1: // map by fd, relocated to an index into image.maps()
            case 5: // map by index
                mapIndex(pc, w, imm, maps);
                return base | Ops.I_LDDW_MAP | (long) imm << 32;
            case 2: // map value by fd
            case 6: // map value by index
                mapIndex(pc, w, imm, maps);
                if (mapValues[imm] == null) {
                    EbpfMap map = maps.get(imm);
                    Region value = map.lookupRegion(new byte[map.definition().keySize()]);
                    if (value == null) {
                        throw invalid(pc, w, "map '" + map.definition().name() + "' has no value at key 0 to point into");
                    }
                    mapValues[imm] = value;
                }
                words[pc + 1] = high;
                return base | Ops.I_LDDW_MAP_VALUE | (long) imm << 32;
            case 4: // code address, pc-relative like a local call
                int target = target(pc, w, imm, n, start);
                words[pc + 1] = codeAddress(target);
                return base | Ops.LDDW;
            default:
                throw invalid(pc, w, "lddw src=" + src + " is not supported by this platform");
        }
    }

    private static void mapIndex(int pc, long w, int imm, List<EbpfMap> maps) {
        if (imm < 0 || imm >= maps.size()) {
            throw invalid(pc, w, "no map #" + imm + " (the program has " + maps.size() + ")");
        }
    }

    private static void atomic(int pc, long w, int src, int imm) {
        switch (imm) {
            case Ops.ATOMIC_ADD: case Ops.ATOMIC_OR: case Ops.ATOMIC_AND: case Ops.ATOMIC_XOR:
                return;
            case Ops.ATOMIC_ADD | Ops.ATOMIC_FETCH: case Ops.ATOMIC_OR | Ops.ATOMIC_FETCH:
            case Ops.ATOMIC_AND | Ops.ATOMIC_FETCH: case Ops.ATOMIC_XOR | Ops.ATOMIC_FETCH:
            case Ops.ATOMIC_XCHG:
                noWrite10(pc, w, src);
                return;
            case Ops.ATOMIC_CMPXCHG:
                return;
            default:
                throw invalid(pc, w, "unknown atomic operation 0x" + Integer.toHexString(imm));
        }
    }

    private static int target(int pc, long w, int relative, int n, boolean[] start) {
        long target = (long) pc + relative + 1;
        if (target < 0 || target >= n || !start[(int) target]) {
            throw invalid(pc, w, "jump target " + target + " is not an instruction of this program");
        }
        return (int) target;
    }

    private static void requireOffset(int pc, long w, int off, int expected) {
        if (off != expected) {
            throw invalid(pc, w, "offset must be " + expected + ", not " + off);
        }
    }

    private static void noWrite10(int pc, long w, int reg) {
        if (reg == 10) {
            throw invalid(pc, w, "r10 (the frame pointer) is read-only");
        }
    }

    /** The instruction at {@code pc} in the instruction set's own syntax, for messages. */
    public static String describe(long[] raw, int pc) {
        if (pc < 0 || pc >= raw.length) {
            return "pc " + pc;
        }
        boolean lddw = (raw[pc] & 0xFF) == Ops.LDDW && pc + 1 < raw.length;
        long[] words = lddw ? new long[] {raw[pc], raw[pc + 1]} : new long[] {raw[pc]};
        try {
            String text = Disassembler.disassemble(words).strip();
            return text.startsWith("0: ") ? text.substring(3) : text;
        } catch (RuntimeException undecodable) {
            return hex(raw[pc]);
        }
    }

    public static String hex(long word) {
        return String.format("op 0x%02x dst r%d src r%d off %d imm %d", word & 0xFF, (word >>> 8) & 0xF,
                (word >>> 12) & 0xF, (short) (word >>> 16), (int) (word >> 32));
    }

    private static InvalidProgramException invalid(int pc, long w, String why) {
        return new InvalidProgramException(pc, why + " (" + hex(w) + ")");
    }

    /** Helpers as the program calls them, resolved once: missing ones stay as names for the run-time error. */
    private static final class HelperTable {
        private final Map<Integer, Helper> byId;
        private final List<Helper> byName;
        private final java.util.ArrayList<Helper> helpers = new java.util.ArrayList<>();
        private final java.util.ArrayList<String> names = new java.util.ArrayList<>();
        private final java.util.HashMap<String, Integer> indexes = new java.util.HashMap<>();

        HelperTable(Map<Integer, Helper> byId, List<Helper> byName) {
            this.byId = byId;
            this.byName = byName;
        }

        int byId(int id) {
            Helper h = byId.get(id);
            return add("id:" + id, h, h != null ? h.name() + " (helper " + id + ")" : "helper " + id);
        }

        int byName(int index) {
            Helper h = index >= 0 && index < byName.size() ? byName.get(index) : null;
            return add("name:" + index, h, h != null ? h.name() : "named helper #" + index);
        }

        private int add(String key, Helper h, String name) {
            Integer known = indexes.get(key);
            if (known != null) {
                return known;
            }
            helpers.add(h);
            names.add(name);
            indexes.put(key, helpers.size() - 1);
            return helpers.size() - 1;
        }

        Helper[] helpers() {
            return helpers.toArray(new Helper[0]);
        }

        String[] names() {
            return names.toArray(new String[0]);
        }
    }
}

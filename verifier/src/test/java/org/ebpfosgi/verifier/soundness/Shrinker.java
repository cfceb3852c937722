package org.ebpfosgi.verifier.soundness;

import static org.ebpfosgi.isa.Opcodes.*;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * Makes a failing program smaller while it still fails: first every instruction that can become a
 * no-op ({@code ja +0}) does, then the no-ops are removed with the jumps over them shortened.
 */
final class Shrinker {
    private static final long NOP = encode(JMP | JA, 0, 0, 0, 0);
    private static final int MAX_ATTEMPTS = 2_000;

    private Shrinker() {
    }

    static long[] shrink(long[] program, Predicate<long[]> fails) {
        long[] best = program.clone();
        int attempts = 0;
        boolean progress = true;
        while (progress && attempts < MAX_ATTEMPTS) {
            progress = false;
            for (int i = 0; i < best.length && attempts < MAX_ATTEMPTS; i++) {
                if (isSecondHalf(best, i) || best[i] == NOP) {
                    continue;
                }
                long[] candidate = best.clone();
                candidate[i] = NOP;
                if (opcode(best[i]) == LDDW && i + 1 < best.length) {
                    candidate[i + 1] = NOP;
                }
                attempts++;
                if (fails.test(candidate)) {
                    best = candidate;
                    progress = true;
                }
            }
        }
        progress = true;
        while (progress && attempts < MAX_ATTEMPTS) {
            progress = false;
            for (int i = best.length - 1; i >= 0 && attempts < MAX_ATTEMPTS; i--) {
                if (i >= best.length || best[i] != NOP || isSecondHalf(best, i)) {
                    continue;
                }
                long[] candidate = remove(best, i);
                attempts++;
                if (candidate != null && fails.test(candidate)) {
                    best = candidate;
                    progress = true;
                }
            }
        }
        return best;
    }

    private static boolean isSecondHalf(long[] p, int i) {
        // Walk from the start: the second word of lddw is not an instruction of its own.
        boolean second = false;
        for (int k = 0; k <= i; k++) {
            if (k == i) {
                return second;
            }
            second = !second && opcode(p[k]) == LDDW;
        }
        return false;
    }

    /** The program without slot {@code at}, jumps and local calls retargeted; null if one cannot be. */
    private static long[] remove(long[] p, int at) {
        long[] out = new long[p.length - 1];
        boolean second = false;
        for (int j = 0, o = 0; j < p.length; j++) {
            long w = p[j];
            boolean isSecond = second;
            second = !second && opcode(w) == LDDW;
            if (j == at) {
                continue;
            }
            if (!isSecond) {
                int cls = opcode(w) & CLASS_MASK;
                int op = opcode(w) & OP_MASK;
                boolean jumpClass = cls == JMP || cls == JMP32;
                boolean localCall = jumpClass && op == CALL && src(w) == CALL_LOCAL;
                boolean viaImm = localCall || cls == JMP32 && op == JA;
                boolean isJump = jumpClass && op != CALL && op != EXIT || localCall;
                if (isJump) {
                    int delta = viaImm ? imm(w) : offset(w);
                    int target = j + 1 + delta;
                    int newTarget = target > at ? target - 1 : target;
                    int newJ = j > at ? j - 1 : j;
                    int newDelta = newTarget - newJ - 1;
                    if (viaImm) {
                        w = w & 0xFFFF_FFFFL | (newDelta & 0xFFFF_FFFFL) << 32;
                    } else {
                        if (newDelta < Short.MIN_VALUE || newDelta > Short.MAX_VALUE) {
                            return null;
                        }
                        w = w & ~(0xFFFFL << 16) | (newDelta & 0xFFFFL) << 16;
                    }
                }
            }
            out[o++] = w;
        }
        return out.length == 0 ? null : Arrays.copyOf(out, out.length);
    }
}

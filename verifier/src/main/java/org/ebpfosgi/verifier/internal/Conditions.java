package org.ebpfosgi.verifier.internal;

import static org.ebpfosgi.isa.Opcodes.*;

/**
 * What a conditional jump teaches on each of its edges: numbers narrow, a NULL check splits a
 * maybe-NULL pointer (and every copy of it), and comparing a packet pointer with the packet's end
 * proves bytes readable. Returns null for an edge that cannot be taken.
 */
final class Conditions {
    private Conditions() {
    }

    static State assume(State pre, int op, boolean taken, int a, Value left, int b, Value right, boolean is64) {
        if (op == JSET) {
            return assumeBitTest(pre, taken, a, left, right, is64);
        }
        int cond = taken ? op : negate(op);
        State s = pre.copy();
        if ((left.kinds | right.kinds) == Value.NUMBER) {
            Num[] r = is64 ? numbers(cond, left.num, right.num) : numbers32(cond, left.num, right.num);
            if (r == null) {
                return null;
            }
            s.regs[a] = left.withNum(r[0]);
            if (!s.narrowSymbol(left, r[0])) {
                return null;
            }
            if (b >= 0) {
                s.regs[b] = right.withNum(r[1]);
                if (!s.narrowSymbol(right, r[1])) {
                    return null;
                }
            }
            return s;
        }
        if (right.isConstant() && right.num.smin == 0) {
            return nullCheck(s, cond, a, left, is64);
        }
        if (left.isConstant() && left.num.smin == 0 && b >= 0) {
            return nullCheck(s, swap(cond), b, right, is64);
        }
        if (left.kinds == Value.PACKET && right.kinds == Value.PACKET) {
            return packetFacts(s, cond, left, right) ? s : null;
        }
        return s;
    }

    private static State assumeBitTest(State pre, boolean taken, int a, Value left, Value right, boolean is64) {
        if (left.isNumber() && right.isNumber() && left.num.isConstant() && right.num.isConstant()) {
            long bits = left.num.smin & right.num.smin;
            if (!is64) {
                bits &= Num.U32;
            }
            return (bits != 0) == taken ? pre : null;
        }
        if (taken && left.isConstant() && left.num.smin == 0) {
            return null;
        }
        return pre;
    }

    static int negate(int op) {
        return switch (op) {
            case JEQ -> JNE;
            case JNE -> JEQ;
            case JGT -> JLE;
            case JLE -> JGT;
            case JGE -> JLT;
            case JLT -> JGE;
            case JSGT -> JSLE;
            case JSLE -> JSGT;
            case JSGE -> JSLT;
            case JSLT -> JSGE;
            default -> op;
        };
    }

    /** The condition with its operands exchanged: a < b is b > a. */
    static int swap(int op) {
        return switch (op) {
            case JGT -> JLT;
            case JLT -> JGT;
            case JGE -> JLE;
            case JLE -> JGE;
            case JSGT -> JSLT;
            case JSLT -> JSGT;
            case JSGE -> JSLE;
            case JSLE -> JSGE;
            default -> op;
        };
    }

    /** Narrows both sides of {@code l cond r} (64-bit); null if it cannot hold. */
    static Num[] numbers(int cond, Num l, Num r) {
        Num nl = l;
        Num nr = r;
        switch (cond) {
            case JEQ -> {
                nl = l.meet(r);
                nr = nl;
            }
            case JNE -> {
                if (r.isConstant()) {
                    nl = exclude(l, r.smin);
                }
                if (l.isConstant()) {
                    nr = exclude(r, l.smin);
                }
            }
            case JGT -> {
                nl = r.umin == -1 ? null : l.meet(Num.unsigned(r.umin + 1, -1));
                nr = l.umax == 0 ? null : r.meet(Num.unsigned(0, l.umax - 1));
            }
            case JGE -> {
                nl = l.meet(Num.unsigned(r.umin, -1));
                nr = r.meet(Num.unsigned(0, l.umax));
            }
            case JSGT -> {
                nl = r.smin == Long.MAX_VALUE ? null : l.meet(Num.signed(r.smin + 1, Long.MAX_VALUE));
                nr = l.smax == Long.MIN_VALUE ? null : r.meet(Num.signed(Long.MIN_VALUE, l.smax - 1));
            }
            case JSGE -> {
                nl = l.meet(Num.signed(r.smin, Long.MAX_VALUE));
                nr = r.meet(Num.signed(Long.MIN_VALUE, l.smax));
            }
            case JLT, JLE, JSLT, JSLE -> {
                // l < r is r > l: narrow with the operands exchanged.
                Num[] s = numbers(swap(cond), r, l);
                return s == null ? null : new Num[] {s[1], s[0]};
            }
            default -> {
            }
        }
        return nl == null || nr == null ? null : new Num[] {nl, nr};
    }

    /** The same on the low 32 bits: exact when both sides fit, otherwise only feasibility is decided. */
    static Num[] numbers32(int cond, Num l, Num r) {
        boolean signed = cond == JSGT || cond == JSGE || cond == JSLT || cond == JSLE;
        Num l32 = signed ? l.low32Signed() : l.low32();
        Num r32 = signed ? r.low32Signed() : r.low32();
        Num[] n = numbers(cond, l32, r32);
        if (n == null) {
            return null;
        }
        boolean lExact = signed ? l.equals(l32) : l.fitsU32();
        boolean rExact = signed ? r.equals(r32) : r.fitsU32();
        return new Num[] {lExact ? n[0] : l, rExact ? n[1] : r};
    }

    private static Num exclude(Num n, long c) {
        if (n.isConstant()) {
            return n.smin == c ? null : n;
        }
        Num out = n;
        if (out.smin == c) {
            out = out.meet(Num.signed(c + 1, Long.MAX_VALUE));
        } else if (out.smax == c) {
            out = out.meet(Num.signed(Long.MIN_VALUE, c - 1));
        }
        if (out != null && out.umin == c) {
            out = out.meet(Num.unsigned(c + 1, -1));
        } else if (out != null && out.umax == c) {
            out = out.meet(Num.unsigned(0, c - 1));
        }
        return out;
    }

    /** {@code reg cond 0} where reg may be a pointer: pointers are never 0. */
    private static State nullCheck(State s, int cond, int reg, Value v, boolean is64) {
        boolean isZero;
        switch (cond) {
            case JEQ, JLE -> isZero = true;
            case JNE, JGT -> isZero = false;
            default -> {
                if (v.isNumber()) {
                    Num[] n = is64 ? numbers(cond, v.num, Num.of(0)) : numbers32(cond, v.num, Num.of(0));
                    if (n == null) {
                        return null;
                    }
                    s.regs[reg] = v.withNum(n[0]);
                }
                return s;
            }
        }
        Value refined = zeroOrNot(v, isZero, is64);
        if (refined == null) {
            return null;
        }
        s.regs[reg] = refined;
        if (v.id != 0) {
            for (int r = 0; r < s.regs.length; r++) {
                if (r != reg && s.regs[r].id == v.id) {
                    Value other = zeroOrNot(s.regs[r], isZero, true);
                    if (other == null) {
                        return null;
                    }
                    s.regs[r] = other;
                }
            }
            // Copies spilled to the stack before the check (compilers do) are the same pointer.
            boolean[] infeasible = new boolean[1];
            s.stack = s.stack.mapSlots(w -> {
                if (w.id != v.id) {
                    return w;
                }
                Value other = zeroOrNot(w, isZero, true);
                infeasible[0] |= other == null;
                return other == null ? w : other;
            });
            if (infeasible[0]) {
                return null;
            }
        }
        return s;
    }

    private static Value zeroOrNot(Value v, boolean isZero, boolean is64) {
        if (isZero) {
            if (!v.has(Value.NUMBER)) {
                return v.only(Value.POINTERS | Value.MAP_FD | Value.MAP_PROGRAMS | Value.FUNC) ? null : v;
            }
            Num zero = is64 ? v.num.meet(Num.of(0)) : (v.num.fitsU32() ? v.num.meet(Num.of(0)) : v.num);
            if (zero == null) {
                return null;
            }
            return Value.number(zero);
        }
        Value rest = v;
        if (v.has(Value.NUMBER)) {
            Num nonZero = is64 || v.num.fitsU32() ? exclude(v.num, 0) : v.num;
            rest = v.withNum(nonZero);
        }
        return rest == null ? null : rest.withId(0);
    }

    /** Turns a packet pointer comparison into "packet_size >= v + k" (or the metadata's size) facts. */
    private static boolean packetFacts(State s, int cond, Value l, Value r) {
        return switch (cond) {
            case JLE, JSLE -> lessOrEqual(s, l, r, 0);
            case JLT, JSLT -> lessOrEqual(s, l, r, 1);
            case JGE, JSGE -> lessOrEqual(s, r, l, 0);
            case JGT, JSGT -> lessOrEqual(s, r, l, 1);
            case JEQ -> lessOrEqual(s, l, r, 0) && lessOrEqual(s, r, l, 0);
            default -> true;
        };
    }

    /** Learns from p + extra <= q. */
    private static boolean lessOrEqual(State s, Value p, Value q, long extra) {
        if (q.packetBase == Value.BASE_END && p.packetBase >= 0) {
            long k = p.packetOffset.smin + extra - q.packetOffset.smax;
            if (p.packetBase == Value.BASE_START && k > s.packetSize.umax) {
                return false;
            }
            s.proveVariable(p.packetBase, k);
            return true;
        }
        if (q.packetBase == Value.BASE_START && p.packetBase == Value.BASE_META) {
            s.metaProven = Math.max(s.metaProven, p.packetOffset.smin + extra - q.packetOffset.smax);
        }
        return true;
    }
}

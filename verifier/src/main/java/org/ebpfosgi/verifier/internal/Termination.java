package org.ebpfosgi.verifier.internal;

import static org.ebpfosgi.isa.Opcodes.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;

import org.ebpfosgi.isa.Instruction;

/**
 * A termination proof for each loop, from an induction variable: a register that every iteration
 * moves by a known step in one direction, tested on every iteration against a bound the loop does not
 * change. From its value where the loop is entered, the step and the bound follows a limit on the
 * iterations. A loop without such a proof is reported, and the runtime keeps the instruction budget.
 */
final class Termination {
    /** Iterations allowed, counting each loop's iterations times those of the loops around it. */
    static final long MAX_ITERATIONS = 1L << 22;

    /** r = origin-at-loop-head + delta; shape says whether only the low 32 bits of that are held. */
    private record Delta(int origin, Num delta, int shape) {
        static final int PLAIN = 0;
        static final int LOW32 = 1;
        static final int SHIFTED32 = 2;

        Delta join(Delta o) {
            if (o == null || o.origin != origin || o.shape != shape) {
                return null;
            }
            return new Delta(origin, delta.join(o.delta), shape);
        }
    }

    /** The verdict on one loop: a bound on its iterations, or why there is none. */
    record Loop(int headPc, long iterations, String problem) {
    }

    private final ControlFlow cfg;
    private final Instruction[] code;
    private final State[] in;
    private final List<List<Integer>> predecessors;
    private final java.util.function.BiFunction<Integer, Integer, State> edgeState;

    Termination(ControlFlow cfg, Instruction[] code, State[] in, java.util.function.BiFunction<Integer, Integer, State> edgeState) {
        this.cfg = cfg;
        this.code = code;
        this.in = in;
        this.edgeState = edgeState;
        int n = cfg.nodeCount();
        predecessors = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            predecessors.add(new ArrayList<>(2));
        }
        for (int i = 0; i < n; i++) {
            for (ControlFlow.Edge e : cfg.successors.get(i)) {
                predecessors.get(e.to()).add(i);
            }
        }
    }

    /** Every reachable loop with its verdict; iterations multiply through enclosing loops. */
    List<Loop> loops() {
        List<Integer> heads = new ArrayList<>();
        List<BitSet> bodies = new ArrayList<>();
        List<long[]> bounds = new ArrayList<>();
        List<Loop> out = new ArrayList<>();
        for (int h = 0; h < cfg.nodeCount(); h++) {
            if (cfg.loopHead[h] && in[h] != null) {
                BitSet body = body(h);
                heads.add(h);
                bodies.add(body);
                String[] problem = new String[1];
                long n = bound(h, body, problem);
                bounds.add(new long[] {n});
                out.add(new Loop(cfg.nodePc[h], n, problem[0]));
            }
        }
        // Multiply by the enclosing loops' bounds.
        List<Loop> result = new ArrayList<>();
        for (int i = 0; i < heads.size(); i++) {
            Loop l = out.get(i);
            if (l.iterations() < 0) {
                result.add(l);
                continue;
            }
            long total = l.iterations();
            for (int j = 0; j < heads.size() && total >= 0; j++) {
                if (j != i && bodies.get(j).get(heads.get(i))) {
                    long outer = bounds.get(j)[0];
                    total = outer < 0 || Math.multiplyHigh(total, outer) != 0 || total * outer > MAX_ITERATIONS
                            ? -1 : total * outer;
                }
            }
            result.add(total < 0 || total > MAX_ITERATIONS
                    ? new Loop(l.headPc(), -1, "with the loops around it, more than " + MAX_ITERATIONS + " iterations")
                    : new Loop(l.headPc(), total, null));
        }
        return result;
    }

    /** Nodes of the loop at h: those that reach a back edge into h without passing through h. */
    private BitSet body(int h) {
        BitSet body = new BitSet();
        body.set(h);
        Deque<Integer> work = new ArrayDeque<>();
        for (int p : predecessors.get(h)) {
            if (p >= h) {
                work.add(p);
            }
        }
        while (!work.isEmpty()) {
            int x = work.pop();
            if (body.get(x) || in[x] == null) {
                continue;
            }
            body.set(x);
            for (int p : predecessors.get(x)) {
                if (!body.get(p)) {
                    work.add(p);
                }
            }
        }
        return body;
    }

    private long bound(int h, BitSet body, String[] problem) {
        if (body.previousSetBit(h - 1) >= 0) {
            problem[0] = "the loop is entered at more than one place";
            return -1;
        }
        Delta[][] at = deltas(h, body);
        // Registers moved by the same step direction on every path back to the head.
        Num[] step = new Num[11];
        boolean first = true;
        for (int p : predecessors.get(h)) {
            if (!body.get(p)) {
                continue;
            }
            Delta[] end = transfer(p, at[p], h);
            for (int r = 0; r < 11; r++) {
                Delta d = end == null ? null : end[r];
                Num s = d != null && d.origin == r && d.shape == Delta.PLAIN ? d.delta : null;
                step[r] = first ? s : (s == null || step[r] == null ? null : step[r].join(s));
            }
            first = false;
        }
        State entry = null;
        for (int p : predecessors.get(h)) {
            if (!body.get(p)) {
                State s = edgeState.apply(p, h);
                if (s != null) {
                    entry = entry == null ? s : entry.join(s, false);
                }
            }
        }
        if (entry == null) {
            problem[0] = "the loop has no entry";
            return -1;
        }
        long best = -1;
        for (int x = body.nextSetBit(0); x >= 0; x = body.nextSetBit(x + 1)) {
            Instruction insn = code[cfg.nodePc[x]];
            if (!insn.isJump() || insn.operation() == JA || at[x] == null) {
                continue;
            }
            for (ControlFlow.Edge e : cfg.successors.get(x)) {
                if (body.get(e.to()) || !dominatesLatches(h, x, body)) {
                    continue;
                }
                int stay = e.kind() == ControlFlow.EdgeKind.TAKEN ? Conditions.negate(insn.operation()) : insn.operation();
                long n = iterations(insn, stay, at[x], step, entry, x);
                if (n >= 0 && (best < 0 || n < best)) {
                    best = n;
                }
            }
        }
        if (best < 0) {
            problem[0] = "no counter that moves every iteration is tested against a bound on every iteration";
        }
        return best;
    }

    /** Iterations bounded by a test at x that stays in the loop while {@code stay} holds, or -1. */
    private long iterations(Instruction insn, int stay, Delta[] d, Num[] step, State entry, int x) {
        boolean jmp32 = insn.instructionClass() == JMP32;
        if (!insn.usesSrcRegister()) {
            Num bound = Num.of(jmp32 && !isSigned(stay) ? insn.imm() & Num.U32 : insn.imm());
            return d[insn.dst()] == null ? -1 : count(stay, d[insn.dst()], bound, step, entry, jmp32);
        }
        Num right = invariant(insn.src(), d, step, x);
        if (right != null && d[insn.dst()] != null) {
            return count(stay, d[insn.dst()], right, step, entry, jmp32);
        }
        // Perhaps the counter is on the right: b op t is t swap(op) b.
        Num left = invariant(insn.dst(), d, step, x);
        if (left != null && d[insn.src()] != null) {
            return count(Conditions.swap(stay), d[insn.src()], left, step, entry, jmp32);
        }
        return -1;
    }

    /** The range of a register the loop never changes (a constant, or unmoved on every path), or null. */
    private Num invariant(int reg, Delta[] d, Num[] step, int x) {
        Value v = in[x].regs[reg];
        if (!v.isNumber()) {
            return null;
        }
        Delta r = d[reg];
        boolean unmoved = r != null && r.origin == reg && r.shape == Delta.PLAIN && r.delta.equals(Num.of(0))
                && step[reg] != null && step[reg].equals(Num.of(0));
        return v.isConstant() || unmoved ? v.num : null;
    }

    private static boolean isSigned(int op) {
        return op == JSGT || op == JSGE || op == JSLT || op == JSLE;
    }

    private static long count(int stay, Delta t, Num bound, Num[] step, State entry, boolean jmp32) {
        Num s = step[t.origin];
        if (s == null || (s.smin < 1 && s.smax > -1)) {
            return -1;
        }
        Value start = entry.regs[t.origin];
        if (!start.isNumber()) {
            return -1;
        }
        boolean low32 = jmp32 || t.shape == Delta.LOW32;
        boolean signed = isSigned(stay);
        Num first = start.num.add(t.delta);
        if (low32) {
            first = signed ? first.low32Signed() : first.low32();
            bound = signed ? bound.low32Signed() : bound.low32();
        }
        long limit = low32 ? (signed ? Integer.MAX_VALUE : Num.U32) : Long.MAX_VALUE;
        boolean up = s.smin >= 1;
        if (Math.abs(s.smax) > 1L << 30 || Math.abs(s.smin) > 1L << 30) {
            return -1;
        }
        long lo = signed ? first.smin : first.umin;
        long hi = signed ? first.smax : first.umax;
        long bLo = signed ? bound.smin : bound.umin;
        long bHi = signed ? bound.smax : bound.umax;
        if (!signed && (lo < 0 || hi < 0 || bLo < 0 || bHi < 0)) {
            return -1; // beyond 2^63: no room reasoning here
        }
        long minStep = up ? s.smin : -s.smax;
        long maxStep = up ? s.smax : -s.smin;
        if (up) {
            long end; // the counter leaves the loop once it reaches end
            switch (stay) {
                case JLT, JSLT -> end = bHi;
                case JLE, JSLE -> end = bHi == limit ? Long.MIN_VALUE : bHi + 1;
                case JNE -> {
                    // Steps of exactly one from a fixed distance hit the bound exactly instead of jumping over it.
                    if (minStep != 1 || maxStep != 1 || !t.delta.isConstant() || hi > bLo) {
                        return -1;
                    }
                    end = bHi;
                }
                default -> {
                    return -1;
                }
            }
            if (end == Long.MIN_VALUE || end > limit - maxStep + 1) {
                return -1; // the step could wrap past the bound
            }
            return end <= lo ? 1 : steps(end, lo, minStep);
        }
        long end;
        long floor = low32 ? (signed ? Integer.MIN_VALUE : 0) : (signed ? Long.MIN_VALUE : 0);
        switch (stay) {
            case JGT, JSGT -> end = bLo;
            case JGE, JSGE -> end = bLo == floor ? Long.MAX_VALUE : bLo - 1;
            case JNE -> {
                if (minStep != 1 || maxStep != 1 || !t.delta.isConstant() || lo < bHi) {
                    return -1;
                }
                end = bLo;
            }
            default -> {
                return -1;
            }
        }
        if (end == Long.MAX_VALUE || end < floor + maxStep - 1) {
            return -1;
        }
        return end >= hi ? 1 : steps(hi, end, minStep);
    }

    /** Iterations to cover from {@code from} to {@code to} (to > from) in steps of at least {@code step}; -1 if beyond counting. */
    private static long steps(long to, long from, long step) {
        try {
            long distance = Math.subtractExact(to, from);
            return Math.addExact(distance / step, 2);
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    /** Whether every path from the head to a latch passes the test at x. */
    private boolean dominatesLatches(int h, int x, BitSet body) {
        if (x == h) {
            return true;
        }
        BitSet seen = new BitSet();
        Deque<Integer> work = new ArrayDeque<>();
        work.add(h);
        seen.set(h);
        while (!work.isEmpty()) {
            int y = work.pop();
            for (ControlFlow.Edge e : cfg.successors.get(y)) {
                if (e.to() == h && y != x) {
                    return false;
                }
                if (e.to() != x && body.get(e.to()) && !seen.get(e.to())) {
                    seen.set(e.to());
                    work.add(e.to());
                }
            }
        }
        return true;
    }

    /** Deltas at the entry of every body node, in one pass in reverse post-order. */
    private Delta[][] deltas(int h, BitSet body) {
        Delta[][] at = new Delta[cfg.nodeCount()][];
        lastDeltas = at;
        Delta[] identity = new Delta[11];
        for (int r = 0; r < 11; r++) {
            identity[r] = new Delta(r, Num.of(0), Delta.PLAIN);
        }
        at[h] = identity;
        for (int x = body.nextSetBit(h); x >= 0; x = body.nextSetBit(x + 1)) {
            if (x != h) {
                Delta[] joined = null;
                boolean innerHead = false;
                for (int p : predecessors.get(x)) {
                    if (!body.get(p) || at[p] == null || p >= x) {
                        innerHead |= body.get(p) && p >= x;
                        continue;
                    }
                    Delta[] out = transfer(p, at[p], x);
                    if (out == null) {
                        continue;
                    }
                    if (joined == null) {
                        joined = out.clone();
                    } else {
                        for (int r = 0; r < 11; r++) {
                            joined[r] = joined[r] == null ? null : joined[r].join(out[r]);
                        }
                    }
                }
                if (innerHead && joined != null) {
                    // An inner loop: what it writes is unknown at its head (its back edge is not in this pass).
                    BitSet inner = body(x);
                    for (int y = inner.nextSetBit(0); y >= 0; y = inner.nextSetBit(y + 1)) {
                        for (int r : written(y)) {
                            joined[r] = null;
                        }
                    }
                }
                at[x] = joined;
            }
        }
        return at;
    }

    /** The deltas after node x along its edge to {@code to}. */
    private Delta[] transfer(int x, Delta[] before, int to) {
        if (before == null) {
            return null;
        }
        Delta[] d = before.clone();
        Instruction insn = code[cfg.nodePc[x]];
        int cls = insn.instructionClass();
        int dst = insn.dst();
        for (ControlFlow.Edge e : cfg.successors.get(x)) {
            if (e.to() != to) {
                continue;
            }
            if (e.kind() == ControlFlow.EdgeKind.CALL) {
                for (int r = 0; r < 11; r++) {
                    d[r] = r >= 1 && r <= 5 ? d[r] : null;
                }
                return d;
            }
            if (e.kind() == ControlFlow.EdgeKind.RETURN) {
                ControlFlow.Context c = cfg.contexts.get(cfg.nodeContext[x]);
                int call = cfg.node(c.parent(), c.callSite());
                Delta[] atCall = call >= 0 ? deltasAt(call) : null;
                for (int r = 0; r < 11; r++) {
                    d[r] = r >= 6 && atCall != null ? atCall[r] : null;
                }
                return d;
            }
        }
        switch (cls) {
            case ALU, ALU64 -> {
                int op = insn.operation();
                Delta cur = d[dst];
                Num k = null;
                if (!insn.usesSrcRegister()) {
                    k = Num.of(insn.imm());
                } else if (in[x] != null && in[x].regs[insn.src()].isConstant()) {
                    k = in[x].regs[insn.src()].num;
                }
                if (op == MOV && insn.usesSrcRegister() && insn.offset() == 0) {
                    Delta src = d[insn.src()];
                    // A 32-bit copy keeps the low half; of a value shifted left by 32 that half is zero.
                    d[dst] = src == null || cls == ALU && src.shape == Delta.SHIFTED32 ? null
                            : cls == ALU64 ? src : new Delta(src.origin, src.delta, Delta.LOW32);
                } else if ((op == ADD || op == SUB) && cur != null && k != null && cur.shape != Delta.SHIFTED32) {
                    Num moved = op == ADD ? cur.delta.add(k) : cur.delta.sub(k);
                    d[dst] = cls == ALU64 ? (cur.shape == Delta.PLAIN ? new Delta(cur.origin, moved, Delta.PLAIN) : null)
                            : new Delta(cur.origin, moved, Delta.LOW32);
                } else if (cls == ALU64 && op == LSH && !insn.usesSrcRegister() && insn.imm() == 32 && cur != null
                        && cur.shape == Delta.PLAIN) {
                    d[dst] = new Delta(cur.origin, cur.delta, Delta.SHIFTED32);
                } else if (cls == ALU64 && op == RSH && !insn.usesSrcRegister() && insn.imm() == 32 && cur != null
                        && cur.shape == Delta.SHIFTED32) {
                    d[dst] = new Delta(cur.origin, cur.delta, Delta.LOW32);
                } else {
                    d[dst] = null;
                }
            }
            case LD, LDX -> {
                d[dst] = null;
                if (cls == LD && !insn.isLddw()) {
                    for (int r = 0; r <= 5; r++) {
                        d[r] = null;
                    }
                }
            }
            case STX -> {
                if (insn.mode() == ATOMIC && ((insn.imm() & FETCH) != 0)) {
                    d[insn.src()] = null;
                    if (insn.imm() == ATOMIC_CMPXCHG) {
                        d[0] = null;
                    }
                }
            }
            case JMP, JMP32 -> {
                if (insn.operation() == CALL && !insn.isLocalCall()) {
                    for (int r = 0; r <= 5; r++) {
                        d[r] = null;
                    }
                }
            }
            default -> {
            }
        }
        return d;
    }

    /** Registers node y may write. */
    private int[] written(int y) {
        Instruction insn = code[cfg.nodePc[y]];
        int cls = insn.instructionClass();
        if (cls == ALU || cls == ALU64 || cls == LDX || insn.isLddw()) {
            return new int[] {insn.dst()};
        }
        if (cls == LD || (cls == JMP && insn.operation() == CALL)) {
            return new int[] {0, 1, 2, 3, 4, 5};
        }
        if (cls == STX && insn.mode() == ATOMIC && (insn.imm() & FETCH) != 0) {
            return new int[] {0, insn.src()};
        }
        if (insn.isExit()) {
            return new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        }
        return new int[0];
    }

    private Delta[][] lastDeltas;

    private Delta[] deltasAt(int node) {
        return lastDeltas == null ? null : lastDeltas[node];
    }
}

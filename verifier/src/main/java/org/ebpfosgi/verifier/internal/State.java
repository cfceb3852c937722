package org.ebpfosgi.verifier.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The abstract state before an instruction: the registers, the stack, and what is known about the
 * packet. Packet facts are relational in one simple shape: "packet_size >= v + k" for a variable
 * offset v that a pointer carries, so a bounds check on a pointer with a variable offset proves the
 * accesses through that same pointer (as Linux's per-pointer range does). Mutable while one
 * instruction is being transferred; stored states are never changed afterwards.
 */
final class State {
    /** The largest packet the analysis assumes, as PREVAIL and Linux do (a 16-bit length). */
    static final long MAX_PACKET = 0xFFFF;

    final Value[] regs;
    StackContents stack;
    /** Bounds of packet_size; its lower bound is what checks against the packet's end proved. */
    Num packetSize;
    /** For each packet offset variable: the largest k with packet_size >= v + k proven. */
    Map<Integer, Long> proven;
    /** For each packet offset variable: its range. */
    Map<Integer, Num> variables;
    /** Bytes of metadata proven readable before the packet's start (meta + k <= data). */
    long metaProven;

    State() {
        regs = new Value[11];
        Arrays.fill(regs, Value.UNINITIALIZED);
        stack = StackContents.EMPTY;
        packetSize = Num.unsigned(0, MAX_PACKET);
        proven = Map.of();
        variables = Map.of();
    }

    private State(State o) {
        regs = o.regs.clone();
        stack = o.stack;
        packetSize = o.packetSize;
        proven = o.proven;
        variables = o.variables;
        metaProven = o.metaProven;
    }

    State copy() {
        return new State(this);
    }

    long packetMin() {
        return packetSize.umin;
    }

    void proveVariable(int var, long k) {
        if (var == Value.BASE_START) {
            if (k > packetSize.smin) {
                Num n = packetSize.meet(Num.unsigned(k, -1));
                packetSize = n == null ? Num.of(k) : n;
            }
            return;
        }
        Long old = proven.get(var);
        if (old == null || old < k) {
            Map<Integer, Long> p = new HashMap<>(proven);
            p.put(var, k);
            proven = p;
        }
        Num range = variables.get(var);
        if (range != null && range.smin >= 0) {
            proveVariable(Value.BASE_START, range.smin + k);
        }
    }

    /** The offset of a packet pointer from the packet's start, forgetting its variable. */
    Num absoluteOffset(Value v) {
        if (v.packetBase <= 0) {
            return v.packetOffset;
        }
        Num range = variables.get(v.packetBase);
        return range == null ? Num.TOP : v.packetOffset.add(range);
    }

    Value absolute(Value v) {
        if (v == null || !v.has(Value.PACKET) || v.packetBase <= 0) {
            return v;
        }
        Value.Builder b = v.toBuilder();
        b.packetBase = Value.BASE_START;
        b.packetOffset = absoluteOffset(v);
        return b.build();
    }

    /** Before a new variable {@code var} is made: every holder of the old one becomes absolute. */
    void retireVariable(int var) {
        for (int r = 0; r < regs.length; r++) {
            regs[r] = retired(regs[r], var);
        }
        stack = stack.mapSlots(v -> retired(v, var));
        if (proven.containsKey(var) || variables.containsKey(var)) {
            Map<Integer, Long> p = new HashMap<>(proven);
            p.remove(var);
            proven = p;
            Map<Integer, Num> vs = new HashMap<>(variables);
            vs.remove(var);
            variables = vs;
        }
    }

    private Value retired(Value v, int var) {
        if (v.has(Value.PACKET) && v.packetBase == var) {
            return absolute(v);
        }
        if (v.symbol == var) {
            return v.withSymbol(0, 0);
        }
        return v;
    }

    /** A condition narrowed a number bound to a symbol: the symbol and its other holders narrow too. */
    boolean narrowSymbol(Value v, Num value) {
        if (v.symbol == 0 || !variables.containsKey(v.symbol)) {
            return true;
        }
        Num range = variables.get(v.symbol).meet(value.sub(Num.of(v.symbolOffset)));
        if (range == null) {
            return false;
        }
        defineVariable(v.symbol, range);
        for (int r = 0; r < regs.length; r++) {
            Value w = regs[r];
            if (w.symbol == v.symbol) {
                Num n = w.num.meet(range.add(Num.of(w.symbolOffset)));
                if (n == null) {
                    return false;
                }
                regs[r] = w.withNum(n);
            }
        }
        return true;
    }

    /** The symbol of register {@code reg} at the entry of {@code node}, named so every visit names it the same. */
    static int symbolAt(int node, int reg) {
        return (node + 1) * 16 + reg;
    }

    void defineVariable(int var, Num range) {
        Map<Integer, Num> vs = new HashMap<>(variables);
        vs.put(var, range);
        variables = vs;
    }

    /** A helper moved the packet: every pointer into it is gone. */
    void invalidatePacket() {
        for (int r = 0; r < regs.length; r++) {
            if (regs[r].has(Value.PACKET)) {
                regs[r] = Value.UNINITIALIZED;
            }
        }
        stack = stack.mapSlots(v -> v.has(Value.PACKET) ? Value.UNINITIALIZED.join(v.without(Value.PACKET)) : v);
        packetSize = Num.unsigned(0, MAX_PACKET);
        proven = Map.of();
        variables = Map.of();
        metaProven = 0;
    }

    /** The least upper bound; {@code widen} jumps moving bounds to thresholds (loop heads). */
    State join(State o, boolean widen) {
        return join(o, widen, -1);
    }

    /**
     * The least upper bound at the entry of {@code node} (-1: nowhere in particular). A number that differs
     * between the two states becomes the node's symbol for its register, so copies made later stay related.
     */
    State join(State o, boolean widen, int node) {
        State a = harmonised(o);
        State b = o.harmonised(this);
        if (node >= 0) {
            for (int i = 0; i < regs.length; i++) {
                Value x = a.regs[i];
                Value y = b.regs[i];
                if (x.isNumber() && y.isNumber() && !(x.symbol != 0 && x.symbol == y.symbol && x.symbolOffset == y.symbolOffset)
                        && !x.num.equals(y.num)) {
                    int sym = symbolAt(node, i);
                    a = a == this ? copy() : a;
                    b = b == o ? o.copy() : b;
                    a.retireVariable(sym);
                    b.retireVariable(sym);
                    Num joined = widen ? a.regs[i].num.widen(b.regs[i].num) : a.regs[i].num.join(b.regs[i].num);
                    a.defineVariable(sym, joined);
                    b.defineVariable(sym, joined);
                    a.regs[i] = Value.number(joined).withSymbol(sym, 0);
                    b.regs[i] = a.regs[i];
                }
            }
        }
        State r = new State(a);
        for (int i = 0; i < regs.length; i++) {
            r.regs[i] = widen ? a.regs[i].widen(b.regs[i]) : a.regs[i].join(b.regs[i]);
        }
        r.stack = a.stack.join(b.stack, widen);
        r.packetSize = widen ? a.packetSize.widen(b.packetSize) : a.packetSize.join(b.packetSize);
        Map<Integer, Long> p = new HashMap<>();
        for (Map.Entry<Integer, Long> e : a.proven.entrySet()) {
            Long other = b.proven.get(e.getKey());
            if (other != null) {
                p.put(e.getKey(), Math.min(e.getValue(), other));
            }
        }
        r.proven = p;
        Map<Integer, Num> vs = new HashMap<>();
        for (Map.Entry<Integer, Num> e : a.variables.entrySet()) {
            Num other = b.variables.get(e.getKey());
            if (other != null) {
                vs.put(e.getKey(), widen ? e.getValue().widen(other) : e.getValue().join(other));
            }
        }
        r.variables = vs;
        r.metaProven = Math.min(a.metaProven, b.metaProven);
        return r;
    }

    /** This state with every packet variable that {@code o} does not share made absolute. */
    private State harmonised(State o) {
        State s = null;
        for (int i = 0; i < regs.length; i++) {
            Value v = regs[i];
            Value w = o.regs[i];
            if (v.has(Value.PACKET) && v.packetBase > 0
                    && (!w.has(Value.PACKET) || w.packetBase != v.packetBase || !o.variables.containsKey(v.packetBase))) {
                if (s == null) {
                    s = copy();
                }
                s.regs[i] = absolute(v);
            }
        }
        State base = s == null ? this : s;
        StackContents st = base.stack.mapSlots(v -> v.has(Value.PACKET) && v.packetBase > 0
                && !o.variables.containsKey(v.packetBase) ? absolute(v) : v);
        if (st != base.stack) {
            base = base == this ? copy() : base;
            base.stack = st;
        }
        return base;
    }

    boolean leq(State o) {
        for (int i = 0; i < regs.length; i++) {
            if (!regs[i].leq(o.regs[i])) {
                return false;
            }
        }
        if (!packetSize.leq(o.packetSize) || metaProven < o.metaProven) {
            return false;
        }
        for (Map.Entry<Integer, Long> e : o.proven.entrySet()) {
            Long mine = proven.get(e.getKey());
            if (mine == null || mine < e.getValue()) {
                return false;
            }
        }
        for (Map.Entry<Integer, Num> e : o.variables.entrySet()) {
            Num mine = variables.get(e.getKey());
            if (mine == null || !mine.leq(e.getValue())) {
                return false;
            }
        }
        return stack.leq(o.stack);
    }
}

package org.ebpfosgi.verifier.internal;

import java.util.Objects;

/**
 * What a register (or a spilled stack slot) may hold: a set of kinds, and for each kind present what
 * is known about it. A value that may be a map value or NULL is the kinds {shared, number} with the
 * number part exactly 0; a null check removes one or the other. Immutable.
 */
final class Value {
    static final int UNINIT = 1;
    static final int NUMBER = 1 << 1;
    static final int CTX = 1 << 2;
    static final int STACK = 1 << 3;
    static final int PACKET = 1 << 4;
    static final int SHARED = 1 << 5;
    static final int MAP_FD = 1 << 6;
    static final int MAP_PROGRAMS = 1 << 7;
    static final int FUNC = 1 << 8;
    static final int POINTERS = CTX | STACK | PACKET | SHARED;

    /** Packet pointer bases: the packet's start, its end, the metadata start, or a variable id (> 0). */
    static final int BASE_START = 0;
    static final int BASE_END = -1;
    static final int BASE_META = -2;

    static final String[] KIND_NAMES = {"uninit", "number", "ctx", "stack", "packet", "shared", "map_fd",
            "map_fd_programs", "func"};

    static final Value UNINITIALIZED = new Builder(UNINIT).build();
    static final Value ANY_NUMBER = number(Num.TOP);

    final int kinds;
    final Num num;
    final Num ctxOffset;
    final Num stackOffset;
    final Num packetOffset;
    final int packetBase;
    final Num sharedOffset;
    final Num sharedSize;
    /** For map handles: the index of the map in the program's map list, or -1 for several. */
    final int map;
    /** For map handles: the largest key size, the smallest value size, and the inner map (maps of maps: its index, else -1). */
    final int keySize;
    final int valueSize;
    final int inner;
    /** For code addresses: the instruction index, or -1 for several. */
    final int func;
    /** Links copies of one maybe-NULL pointer, so a null check on one refines them all; 0 for none. */
    final int id;
    /**
     * For a number: a symbol it is a constant away from ({@code value = symbol + symbolOffset}), 0 for none. Two
     * registers with one symbol keep their difference, so a packet pointer built from one is bounded by a check
     * on a pointer built from the other.
     */
    final int symbol;
    final long symbolOffset;

    private Value(Builder b) {
        kinds = b.kinds;
        num = has(NUMBER) ? Objects.requireNonNull(b.num) : null;
        ctxOffset = has(CTX) ? b.ctxOffset : null;
        stackOffset = has(STACK) ? b.stackOffset : null;
        packetOffset = has(PACKET) ? b.packetOffset : null;
        packetBase = has(PACKET) ? b.packetBase : 0;
        sharedOffset = has(SHARED) ? b.sharedOffset : null;
        sharedSize = has(SHARED) ? b.sharedSize : null;
        map = (kinds & (MAP_FD | MAP_PROGRAMS)) != 0 ? b.map : -1;
        keySize = (kinds & (MAP_FD | MAP_PROGRAMS)) != 0 ? b.keySize : 0;
        valueSize = (kinds & (MAP_FD | MAP_PROGRAMS)) != 0 ? b.valueSize : 0;
        inner = (kinds & (MAP_FD | MAP_PROGRAMS)) != 0 ? b.inner : -1;
        func = has(FUNC) ? b.func : -1;
        id = b.id;
        symbol = kinds == NUMBER ? b.symbol : 0;
        symbolOffset = symbol != 0 ? b.symbolOffset : 0;
    }

    static Value number(Num n) {
        Builder b = new Builder(NUMBER);
        b.num = n;
        return b.build();
    }

    static Value constant(long v) {
        return number(Num.of(v));
    }

    static Value ctx(Num offset) {
        Builder b = new Builder(CTX);
        b.ctxOffset = offset;
        return b.build();
    }

    static Value stack(Num offset) {
        Builder b = new Builder(STACK);
        b.stackOffset = offset;
        return b.build();
    }

    static Value packet(int base, Num offset) {
        Builder b = new Builder(PACKET);
        b.packetBase = base;
        b.packetOffset = offset;
        return b.build();
    }

    static Value shared(Num offset, Num size) {
        Builder b = new Builder(SHARED);
        b.sharedOffset = offset;
        b.sharedSize = size;
        return b.build();
    }

    static Value mapHandle(int map, boolean programs, int keySize, int valueSize, int inner) {
        Builder b = new Builder(programs ? MAP_PROGRAMS : MAP_FD);
        b.map = map;
        b.keySize = keySize;
        b.valueSize = valueSize;
        b.inner = inner;
        return b.build();
    }

    static Value function(int pc) {
        Builder b = new Builder(FUNC);
        b.func = pc;
        return b.build();
    }

    boolean has(int kind) {
        return (kinds & kind) != 0;
    }

    boolean only(int allowed) {
        return (kinds & ~allowed) == 0;
    }

    boolean isNumber() {
        return kinds == NUMBER;
    }

    boolean isConstant() {
        return kinds == NUMBER && num.isConstant();
    }

    Builder toBuilder() {
        Builder b = new Builder(kinds);
        b.num = num;
        b.ctxOffset = ctxOffset;
        b.stackOffset = stackOffset;
        b.packetOffset = packetOffset;
        b.packetBase = packetBase;
        b.sharedOffset = sharedOffset;
        b.sharedSize = sharedSize;
        b.map = map;
        b.keySize = keySize;
        b.valueSize = valueSize;
        b.inner = inner;
        b.func = func;
        b.id = id;
        b.symbol = symbol;
        b.symbolOffset = symbolOffset;
        return b;
    }

    /** This value with the given kinds removed; null if nothing is left. */
    Value without(int removed) {
        int left = kinds & ~removed;
        if (left == 0) {
            return null;
        }
        Builder b = toBuilder();
        b.kinds = left;
        if ((left & ~NUMBER) == 0 || (left & POINTERS) == 0) {
            b.id = 0;
        }
        return b.build();
    }

    Value withId(int newId) {
        Builder b = toBuilder();
        b.id = newId;
        return b.build();
    }

    Value withSymbol(int sym, long offset) {
        Builder b = toBuilder();
        b.symbol = sym;
        b.symbolOffset = offset;
        return b.build();
    }

    Value withNum(Num n) {
        if (n == null) {
            return without(NUMBER);
        }
        Builder b = toBuilder();
        b.num = n;
        return b.build();
    }

    Value join(Value o) {
        if (o == this || o == null) {
            return this;
        }
        Builder b = new Builder(kinds | o.kinds);
        b.num = joinNum(num, o.num);
        b.ctxOffset = joinNum(ctxOffset, o.ctxOffset);
        b.stackOffset = joinNum(stackOffset, o.stackOffset);
        if (has(PACKET) && o.has(PACKET) && packetBase != o.packetBase) {
            // Different bases cannot be joined relationally; State.join converts variables first.
            b.packetBase = BASE_START;
            b.packetOffset = Num.TOP;
        } else {
            b.packetBase = has(PACKET) ? packetBase : o.packetBase;
            b.packetOffset = joinNum(packetOffset, o.packetOffset);
        }
        b.sharedOffset = joinNum(sharedOffset, o.sharedOffset);
        b.sharedSize = joinNum(sharedSize, o.sharedSize);
        boolean bothMaps = (kinds & (MAP_FD | MAP_PROGRAMS)) != 0 && (o.kinds & (MAP_FD | MAP_PROGRAMS)) != 0;
        b.map = bothMaps ? (map == o.map ? map : -1) : Math.max(map, o.map);
        b.keySize = bothMaps ? Math.max(keySize, o.keySize) : Math.max(keySize, o.keySize);
        b.valueSize = bothMaps ? Math.min(valueSize, o.valueSize) : Math.max(valueSize, o.valueSize);
        b.inner = bothMaps ? (inner == o.inner ? inner : -1) : Math.max(inner, o.inner);
        b.func = has(FUNC) && o.has(FUNC) ? (func == o.func ? func : -1) : Math.max(func, o.func);
        b.id = id == o.id ? id : 0;
        if (symbol == o.symbol && symbolOffset == o.symbolOffset) {
            b.symbol = symbol;
            b.symbolOffset = symbolOffset;
        }
        return b.build();
    }

    Value widen(Value next) {
        if (next == this || next.kinds != kinds || (has(PACKET) && next.packetBase != packetBase)) {
            return join(next);
        }
        Builder b = join(next).toBuilder();
        b.num = widenNum(num, next.num);
        b.ctxOffset = widenNum(ctxOffset, next.ctxOffset);
        b.stackOffset = widenNum(stackOffset, next.stackOffset);
        b.packetOffset = widenNum(packetOffset, next.packetOffset);
        b.sharedOffset = widenNum(sharedOffset, next.sharedOffset);
        b.sharedSize = widenNum(sharedSize, next.sharedSize);
        return b.build();
    }

    /** Whether every concrete value this may be, {@code o} may be too. */
    boolean leq(Value o) {
        if ((kinds & ~o.kinds) != 0) {
            return false;
        }
        if (has(PACKET) && packetBase != o.packetBase) {
            return false;
        }
        if ((kinds & (MAP_FD | MAP_PROGRAMS)) != 0 && (o.map != -1 && map != o.map || keySize > o.keySize
                || valueSize < o.valueSize || o.inner != -1 && inner != o.inner)) {
            return false;
        }
        if (has(FUNC) && o.func != -1 && func != o.func) {
            return false;
        }
        return leqNum(num, o.num) && leqNum(ctxOffset, o.ctxOffset) && leqNum(stackOffset, o.stackOffset)
                && leqNum(packetOffset, o.packetOffset) && leqNum(sharedOffset, o.sharedOffset)
                && leqNum(sharedSize, o.sharedSize) && (o.id == 0 || o.id == id)
                && (o.symbol == 0 || o.symbol == symbol && o.symbolOffset == symbolOffset);
    }

    private static Num joinNum(Num a, Num b) {
        return a == null ? b : a.join(b);
    }

    private static Num widenNum(Num a, Num b) {
        return a == null || b == null ? joinNum(a, b) : a.widen(b);
    }

    private static boolean leqNum(Num a, Num b) {
        return a == null || (b != null && a.leq(b));
    }

    String kindText() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < KIND_NAMES.length; i++) {
            if ((kinds & (1 << i)) != 0) {
                s.append(s.length() == 0 ? "" : ", ").append(KIND_NAMES[i]);
            }
        }
        return Integer.bitCount(kinds) == 1 ? s.toString() : "{" + s + "}";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Value v && v.kinds == kinds && Objects.equals(v.num, num)
                && Objects.equals(v.ctxOffset, ctxOffset) && Objects.equals(v.stackOffset, stackOffset)
                && Objects.equals(v.packetOffset, packetOffset) && v.packetBase == packetBase
                && Objects.equals(v.sharedOffset, sharedOffset) && Objects.equals(v.sharedSize, sharedSize)
                && v.map == map && v.keySize == keySize && v.valueSize == valueSize && v.inner == inner && v.func == func && v.id == id
                && v.symbol == symbol && v.symbolOffset == symbolOffset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kinds, num, ctxOffset, stackOffset, packetOffset, packetBase, sharedOffset, map, func, id);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(kindText());
        if (num != null) s.append(" ").append(num);
        if (ctxOffset != null) s.append(" ctx+").append(ctxOffset.signedText());
        if (stackOffset != null) s.append(" stack+").append(stackOffset.signedText());
        if (packetOffset != null) s.append(" packet(").append(packetBase).append(")+").append(packetOffset.signedText());
        if (sharedOffset != null) s.append(" shared+").append(sharedOffset.signedText()).append("/").append(sharedSize.signedText());
        return s.toString();
    }

    static final class Builder {
        int kinds;
        Num num;
        Num ctxOffset;
        Num stackOffset;
        Num packetOffset;
        int packetBase;
        Num sharedOffset;
        Num sharedSize;
        int map = -1;
        int keySize;
        int valueSize;
        int inner = -1;
        int func = -1;
        int id;
        int symbol;
        long symbolOffset;

        Builder(int kinds) {
            this.kinds = kinds;
        }

        Value build() {
            return new Value(this);
        }
    }
}

package org.ebpfosgi.verifier.internal;

import java.util.Arrays;

/**
 * What the stack holds: which bytes are initialized, and for 8-byte aligned slots written whole, the
 * value written (so pointers spilled by the compiler keep their type). Bytes that are initialized
 * but have no slot value hold a number. Offsets are absolute in the stack of every call frame:
 * frame {@code d} owns {@code [SIZE - 512 (d + 1), SIZE - 512 d)}. Immutable: writers get a copy.
 */
final class StackContents {
    static final int FRAME = 512;
    static final int FRAMES = 9;
    static final int SIZE = FRAME * FRAMES;

    static final StackContents EMPTY = new StackContents(new long[SIZE / 64], new Value[SIZE / 8]);

    private final long[] initialized;
    private final Value[] slots;

    private StackContents(long[] initialized, Value[] slots) {
        this.initialized = initialized;
        this.slots = slots;
    }

    /** The first uninitialized byte in [from, to), or -1. */
    int firstUninitialized(int from, int to) {
        for (int i = from; i < to; i++) {
            if ((initialized[i >> 6] & 1L << i) == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The value read by a load of {@code width} bytes at {@code offset}, all initialized. */
    Value read(int offset, int width) {
        Value whole = slots[offset >> 3];
        if ((offset & 7) == 0 && whole != null && whole.isNumber()) {
            return width == 8 ? whole : Value.number(whole.num.truncate(width * 8));
        }
        if (width == 8 && (offset & 7) == 0 && whole != null) {
            return whole;
        }
        for (int slot = offset >> 3; slot <= (offset + width - 1) >> 3; slot++) {
            Value v = slots[slot];
            if (v != null && !v.isNumber()) {
                // Part of a spilled pointer: bytes, not a usable pointer; typed as the pointer so it cannot pass for a number.
                return v.has(Value.NUMBER) ? v : v.join(Value.ANY_NUMBER);
            }
        }
        return Value.number(width == 8 ? Num.TOP : Num.unsigned(0, (1L << (width * 8)) - 1));
    }

    /**
     * The contents after writing {@code value} ({@code null}: a number nobody tracks) over [offset, offset + width).
     * A slot written only in part keeps the kinds of what it held: the bytes of a pointer stay pointer bytes.
     */
    StackContents write(int offset, int width, Value value) {
        long[] init = initialized.clone();
        Value[] s = slots.clone();
        for (int i = offset; i < offset + width; i++) {
            init[i >> 6] |= 1L << i;
        }
        Value written = value == null ? Value.ANY_NUMBER : value;
        for (int slot = offset >> 3; slot <= (offset + width - 1) >> 3; slot++) {
            Value old = slots[slot];
            boolean whole = width == 8 && (offset & 7) == 0;
            Value now;
            if (whole) {
                now = value;
            } else if (old != null && !old.isNumber()) {
                now = old.join(written);
            } else {
                now = written.isNumber() ? null : Value.ANY_NUMBER.join(written);
            }
            s[slot] = now != null && now.isNumber() && (now.num.isTop() || !whole) ? (whole ? now : null) : now;
        }
        return new StackContents(init, s);
    }

    /**
     * A write of {@code value} somewhere in [from, to): which bytes it touched is unknown, so each slot there
     * may now hold its old contents or the value. Initialized bytes stay so; uninitialized ones may still be.
     */
    StackContents mixValues(int from, int to, Value value) {
        Value[] s = slots.clone();
        Value written = value == null || value.isNumber() ? Value.ANY_NUMBER : value;
        for (int slot = from >> 3; slot < (to + 7) >> 3 && slot < s.length; slot++) {
            Value old = slots[slot] == null ? Value.ANY_NUMBER : slots[slot];
            Value now = old.join(written);
            s[slot] = now.isNumber() ? null : now;
        }
        return new StackContents(initialized, s);
    }

    /** Forgets what [from, to) holds: its bytes become numbers nobody tracks, or uninitialized (a left call frame). */
    StackContents forget(int from, int to, boolean asNumbers) {
        long[] init = initialized.clone();
        Value[] s = slots.clone();
        for (int i = from; i < to; i++) {
            if (asNumbers) {
                init[i >> 6] |= 1L << i;
            } else {
                init[i >> 6] &= ~(1L << i);
            }
        }
        for (int slot = from >> 3; slot < (to + 7) >> 3 && slot < s.length; slot++) {
            s[slot] = null;
        }
        return new StackContents(init, s);
    }

    /** The contents with every slot value rewritten (packet pointers invalidated, variables made absolute). */
    StackContents mapSlots(java.util.function.UnaryOperator<Value> f) {
        Value[] s = null;
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                Value n = f.apply(slots[i]);
                if (n != slots[i]) {
                    if (s == null) {
                        s = slots.clone();
                    }
                    s[i] = n != null && n.isNumber() && n.num.isTop() ? null : n;
                }
            }
        }
        return s == null ? this : new StackContents(initialized, s);
    }

    Value slot(int index) {
        return slots[index];
    }

    StackContents join(StackContents o, boolean widen) {
        if (o == this) {
            return this;
        }
        long[] init = new long[initialized.length];
        for (int i = 0; i < init.length; i++) {
            init[i] = initialized[i] & o.initialized[i];
        }
        Value[] s = new Value[slots.length];
        for (int i = 0; i < s.length; i++) {
            Value a = slots[i];
            Value b = o.slots[i];
            if (a == null && b == null) {
                continue;
            }
            if (((init[i >> 3] >>> ((i & 7) * 8)) & 0xFF) != 0xFF) {
                continue; // not whole in both: no value to keep
            }
            Value x = a == null ? Value.ANY_NUMBER : a;
            Value y = b == null ? Value.ANY_NUMBER : b;
            Value j = widen ? x.widen(y) : x.join(y);
            s[i] = j.isNumber() && j.num.isTop() ? null : j;
        }
        return new StackContents(init, s);
    }

    boolean leq(StackContents o) {
        if (o == this) {
            return true;
        }
        for (int i = 0; i < initialized.length; i++) {
            if ((o.initialized[i] & ~initialized[i]) != 0) {
                return false;
            }
        }
        for (int i = 0; i < slots.length; i++) {
            if (((o.initialized[i >> 3] >>> ((i & 7) * 8)) & 0xFF) != 0xFF) {
                continue; // o promises nothing about these bytes
            }
            Value a = slots[i] == null ? Value.ANY_NUMBER : slots[i];
            Value b = o.slots[i] == null ? Value.ANY_NUMBER : o.slots[i];
            if (!a.leq(b)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StackContents s && Arrays.equals(s.initialized, initialized) && Arrays.equals(s.slots, slots);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(initialized) * 31 + Arrays.hashCode(slots);
    }
}

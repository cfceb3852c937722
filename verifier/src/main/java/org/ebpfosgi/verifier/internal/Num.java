package org.ebpfosgi.verifier.internal;

/**
 * A set of 64-bit values, seen two ways at once: a signed interval and an unsigned interval (as
 * Linux's verifier keeps both). Each view refines the other; an empty set is {@code null}.
 * Immutable. Every operation over-approximates the concrete one, including wrap-around.
 */
final class Num {
    static final Num TOP = new Num(Long.MIN_VALUE, Long.MAX_VALUE, 0, -1);
    static final long U32 = 0xFFFF_FFFFL;
    static final Num TOP32 = new Num(0, U32, 0, U32);

    final long smin;
    final long smax;
    final long umin;
    final long umax;

    private Num(long smin, long smax, long umin, long umax) {
        this.smin = smin;
        this.smax = smax;
        this.umin = umin;
        this.umax = umax;
    }

    static Num of(long value) {
        return new Num(value, value, value, value);
    }

    static Num signed(long min, long max) {
        return make(min, max, 0, -1);
    }

    static Num unsigned(long min, long max) {
        return make(Long.MIN_VALUE, Long.MAX_VALUE, min, max);
    }

    /** The set meeting both views, normalised; null if empty. */
    static Num make(long smin, long smax, long umin, long umax) {
        // Two rounds settle every case: each rule only narrows.
        for (int round = 0; round < 2; round++) {
            if (smin > smax || Long.compareUnsigned(umin, umax) > 0) {
                return null;
            }
            if (smin >= 0 || smax < 0) {
                // The signed interval does not cross the sign boundary: it is also an unsigned one.
                umin = maxU(umin, smin);
                umax = minU(umax, smax);
            }
            if (umin >= 0 == umax >= 0) {
                // The unsigned interval stays on one side of 2^63: it is also a signed one.
                smin = Math.max(smin, umin);
                smax = Math.min(smax, umax);
            }
        }
        if (smin > smax || Long.compareUnsigned(umin, umax) > 0) {
            return null;
        }
        return new Num(smin, smax, umin, umax);
    }

    static long maxU(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    static long minU(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    boolean isConstant() {
        return smin == smax;
    }

    boolean contains(long v) {
        return smin <= v && v <= smax && Long.compareUnsigned(umin, v) <= 0 && Long.compareUnsigned(v, umax) <= 0;
    }

    boolean fitsU32() {
        return Long.compareUnsigned(umax, U32) <= 0;
    }

    boolean isTop() {
        return smin == Long.MIN_VALUE && smax == Long.MAX_VALUE && umin == 0 && umax == -1;
    }

    Num join(Num o) {
        if (o == null) {
            return this;
        }
        return make(Math.min(smin, o.smin), Math.max(smax, o.smax), minU(umin, o.umin), maxU(umax, o.umax));
    }

    Num meet(Num o) {
        return make(Math.max(smin, o.smin), Math.min(smax, o.smax), maxU(umin, o.umin), minU(umax, o.umax));
    }

    boolean leq(Num o) {
        return o.smin <= smin && smax <= o.smax && Long.compareUnsigned(o.umin, umin) <= 0
                && Long.compareUnsigned(umax, o.umax) <= 0;
    }

    /** Widening: a bound that moved jumps to the next threshold, so loops reach a fixpoint fast. */
    Num widen(Num next) {
        long nsmin = next.smin < smin ? thresholdBelow(next.smin) : smin;
        long nsmax = next.smax > smax ? thresholdAbove(next.smax) : smax;
        long numin = Long.compareUnsigned(next.umin, umin) < 0 ? 0 : umin;
        long numax = Long.compareUnsigned(next.umax, umax) > 0 ? thresholdAboveU(next.umax) : umax;
        return make(nsmin, nsmax, numin, numax);
    }

    private static long thresholdAbove(long v) {
        for (long t : new long[] {0, 0x7FFF, 0xFFFF, Integer.MAX_VALUE, U32}) {
            if (v <= t) {
                return t;
            }
        }
        return Long.MAX_VALUE;
    }

    private static long thresholdBelow(long v) {
        for (long t : new long[] {0, -0x8000, Integer.MIN_VALUE}) {
            if (v >= t) {
                return t;
            }
        }
        return Long.MIN_VALUE;
    }

    private static long thresholdAboveU(long v) {
        for (long t : new long[] {0x7FFF, 0xFFFF, Integer.MAX_VALUE, U32, Long.MAX_VALUE}) {
            if (Long.compareUnsigned(v, t) <= 0) {
                return t;
            }
        }
        return -1;
    }

    // ---- arithmetic (64-bit) ----

    Num add(Num o) {
        long lo = smin + o.smin;
        long hi = smax + o.smax;
        boolean sOk = !addOverflows(smin, o.smin) && !addOverflows(smax, o.smax);
        long ulo = umin + o.umin;
        long uhi = umax + o.umax;
        boolean uOk = Long.compareUnsigned(ulo, umin) >= 0 && Long.compareUnsigned(uhi, umax) >= 0;
        return orTop(make(sOk ? lo : Long.MIN_VALUE, sOk ? hi : Long.MAX_VALUE, uOk ? ulo : 0, uOk ? uhi : -1));
    }

    Num sub(Num o) {
        boolean sOk = !subOverflows(smin, o.smax) && !subOverflows(smax, o.smin);
        boolean uOk = Long.compareUnsigned(umin, o.umax) >= 0;
        return orTop(make(sOk ? smin - o.smax : Long.MIN_VALUE, sOk ? smax - o.smin : Long.MAX_VALUE,
                uOk ? umin - o.umax : 0, uOk ? umax - o.umin : -1));
    }

    Num mul(Num o) {
        if (isConstant() && o.isConstant()) {
            return of(smin * o.smin);
        }
        if (umax >= 0 && o.umax >= 0 && Math.multiplyHigh(umax, o.umax) == 0 && umax * o.umax >= 0) {
            return orTop(make(Long.MIN_VALUE, Long.MAX_VALUE, umin * o.umin, umax * o.umax));
        }
        return TOP;
    }

    Num and(Num o) {
        if (isConstant() && o.isConstant()) {
            return of(smin & o.smin);
        }
        return orTop(make(Long.MIN_VALUE, Long.MAX_VALUE, 0, minU(umax, o.umax)));
    }

    Num or(Num o) {
        if (isConstant() && o.isConstant()) {
            return of(smin | o.smin);
        }
        return orTop(make(Long.MIN_VALUE, Long.MAX_VALUE, maxU(umin, o.umin), allOnesCovering(maxU(umax, o.umax))));
    }

    Num xor(Num o) {
        if (isConstant() && o.isConstant()) {
            return of(smin ^ o.smin);
        }
        return orTop(make(Long.MIN_VALUE, Long.MAX_VALUE, 0, allOnesCovering(maxU(umax, o.umax))));
    }

    private static long allOnesCovering(long v) {
        return v == 0 ? 0 : -1L >>> Long.numberOfLeadingZeros(v);
    }

    Num lsh(Num shift, int bits) {
        if (!shift.isConstant()) {
            return bits == 64 ? TOP : TOP32;
        }
        int s = (int) (shift.smin & (bits - 1));
        if (isConstant()) {
            return of(smin << s);
        }
        if (s == 0) {
            return this;
        }
        if (Long.compareUnsigned(umax, -1L >>> s) <= 0) {
            return orTop(make(Long.MIN_VALUE, Long.MAX_VALUE, umin << s, umax << s));
        }
        return TOP;
    }

    Num rsh(Num shift, int bits) {
        if (!shift.isConstant()) {
            if (Long.compareUnsigned(shift.umax, bits - 1) <= 0) {
                return orTop(make(Long.MIN_VALUE, Long.MAX_VALUE, umin >>> shift.umax, umax >>> shift.umin));
            }
            return orTop(make(Long.MIN_VALUE, Long.MAX_VALUE, 0, umax));
        }
        int s = (int) (shift.smin & (bits - 1));
        return orTop(make(Long.MIN_VALUE, Long.MAX_VALUE, umin >>> s, umax >>> s));
    }

    Num arsh(Num shift) {
        if (!shift.isConstant()) {
            return orTop(make(Math.min(smin, 0), Math.max(smax, 0), 0, -1));
        }
        int s = (int) (shift.smin & 63);
        return orTop(make(smin >> s, smax >> s, 0, -1));
    }

    /** Unsigned division; by zero the result is zero (the ISA), so a divisor that may be zero includes it. */
    Num udiv(Num o) {
        if (isConstant() && o.isConstant()) {
            return of(o.smin == 0 ? 0 : Long.divideUnsigned(smin, o.smin));
        }
        long lo = o.umin == 0 ? 0 : Long.divideUnsigned(umin, o.umax == 0 ? 1 : o.umax);
        long hi = Long.divideUnsigned(umax, o.umin == 0 ? 1 : o.umin);
        return orTop(make(Long.MIN_VALUE, Long.MAX_VALUE, lo, hi));
    }

    /** Unsigned remainder; by zero it is the dividend (the ISA). */
    Num umod(Num o) {
        if (isConstant() && o.isConstant()) {
            return of(o.smin == 0 ? smin : Long.remainderUnsigned(smin, o.smin));
        }
        if (o.umin == 0) {
            return orTop(make(Long.MIN_VALUE, Long.MAX_VALUE, 0, umax));
        }
        return orTop(make(Long.MIN_VALUE, Long.MAX_VALUE, 0, minU(umax, o.umax - 1)));
    }

    Num sdiv(Num o) {
        if (isConstant() && o.isConstant()) {
            return of(o.smin == 0 ? 0 : o.smin == -1 ? -smin : smin / o.smin);
        }
        return TOP;
    }

    Num smod(Num o) {
        if (isConstant() && o.isConstant()) {
            return of(o.smin == 0 ? smin : o.smin == -1 ? 0 : smin % o.smin);
        }
        return TOP;
    }

    Num neg() {
        if (isConstant()) {
            return of(-smin);
        }
        if (smin != Long.MIN_VALUE) {
            return orTop(make(-smax, -smin, 0, -1));
        }
        return TOP;
    }

    // ---- 32-bit views ----

    /** The low 32 bits, zero-extended. */
    Num low32() {
        if (fitsU32()) {
            return this;
        }
        if (umin >>> 32 == umax >>> 32) {
            return orTop(make(Long.MIN_VALUE, Long.MAX_VALUE, umin & U32, umax & U32));
        }
        if (smin >= Integer.MIN_VALUE && smax <= Integer.MAX_VALUE && smax < 0) {
            return orTop(make(Long.MIN_VALUE, Long.MAX_VALUE, smin & U32, smax & U32));
        }
        return TOP32;
    }

    /** The low 32 bits, sign-extended (what a 32-bit signed comparison or movsx32 sees). */
    Num low32Signed() {
        Num low = low32();
        if (low.umax <= Integer.MAX_VALUE) {
            return low;
        }
        if (low.umin > Integer.MAX_VALUE) {
            return orTop(make((int) low.umin, (int) low.umax, 0, -1));
        }
        return signed(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** Sign extension from the low {@code bits} bits (movsx, ldxs). */
    Num signExtend(int bits) {
        if (bits == 64) {
            return this;
        }
        long half = 1L << (bits - 1);
        long mask = (1L << bits) - 1;
        if (isConstant()) {
            long v = smin & mask;
            return of(v >= half ? v - (1L << bits) : v);
        }
        if (Long.compareUnsigned(umax, half - 1) <= 0) {
            return this;
        }
        return signed(-half, half - 1);
    }

    /** Zero extension from the low {@code bits} bits. */
    Num truncate(int bits) {
        if (bits == 64) {
            return this;
        }
        long mask = (1L << bits) - 1;
        if (Long.compareUnsigned(umax, mask) <= 0) {
            return this;
        }
        if (isConstant()) {
            return of(smin & mask);
        }
        return unsigned(0, mask);
    }

    private static Num orTop(Num n) {
        return n == null ? TOP : n;
    }

    private static boolean addOverflows(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0;
    }

    private static boolean subOverflows(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0;
    }

    String signedText() {
        return interval(smin, smax, Long.MIN_VALUE, Long.MAX_VALUE, false);
    }

    String unsignedText() {
        return interval(umin, umax, 0, -1, true);
    }

    private static String interval(long lo, long hi, long min, long max, boolean unsigned) {
        String l = lo == min && min != 0 ? "-oo" : unsigned ? Long.toUnsignedString(lo) : Long.toString(lo);
        String h = hi == max ? "+oo" : unsigned ? Long.toUnsignedString(hi) : Long.toString(hi);
        return lo == hi ? l : "[" + l + ", " + h + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Num n && n.smin == smin && n.smax == smax && n.umin == umin && n.umax == umax;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(smin * 31 + smax) * 31 + Long.hashCode(umin * 17 + umax);
    }

    @Override
    public String toString() {
        return "s" + signedText() + " u" + unsignedText();
    }
}

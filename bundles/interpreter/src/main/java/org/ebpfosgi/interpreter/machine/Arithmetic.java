package org.ebpfosgi.interpreter.machine;

/**
 * The instruction set's arithmetic where Java's differs (division by zero does not trap: the quotient
 * is 0 and the remainder the dividend) and its byte swaps, shared by the engines so they cannot disagree.
 */
public final class Arithmetic {
    private static final long M32 = 0xFFFF_FFFFL;

    private Arithmetic() {
    }

    public static long udiv64(long a, long b) {
        return b == 0 ? 0 : Long.divideUnsigned(a, b);
    }

    public static long umod64(long a, long b) {
        return b == 0 ? a : Long.remainderUnsigned(a, b);
    }

    public static long sdiv64(long a, long b) {
        return b == 0 ? 0 : a / b; // Long.MIN_VALUE / -1 is Long.MIN_VALUE in Java, as in the ISA
    }

    public static long smod64(long a, long b) {
        return b == 0 ? a : a % b;
    }

    public static long udiv32(long a, long b) {
        int divisor = (int) b;
        return divisor == 0 ? 0 : Integer.toUnsignedLong(Integer.divideUnsigned((int) a, divisor));
    }

    public static long umod32(long a, long b) {
        int divisor = (int) b;
        return divisor == 0 ? a & M32 : Integer.toUnsignedLong(Integer.remainderUnsigned((int) a, divisor));
    }

    public static long sdiv32(long a, long b) {
        int divisor = (int) b;
        return divisor == 0 ? 0 : ((int) a / divisor) & M32;
    }

    public static long smod32(long a, long b) {
        int divisor = (int) b;
        return divisor == 0 ? a & M32 : ((int) a % divisor) & M32;
    }

    public static long toLittleEndian(long v, int width) {
        switch (width) {
            case 16: return v & 0xFFFFL;
            case 32: return v & M32;
            default: return v;
        }
    }

    public static long toBigEndian(long v, int width) {
        return bswap(v, width);
    }

    public static long bswap(long v, int width) {
        switch (width) {
            case 16: return Short.reverseBytes((short) v) & 0xFFFFL;
            case 32: return Integer.reverseBytes((int) v) & M32;
            default: return Long.reverseBytes(v);
        }
    }
}

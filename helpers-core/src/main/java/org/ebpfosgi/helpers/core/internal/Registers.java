package org.ebpfosgi.helpers.core.internal;

/** Conversions of raw 64-bit register values to the C parameter types helpers declare. */
final class Registers {
    private Registers() {
    }

    /** A {@code __u32} parameter: the low 32 bits, zero-extended. */
    static long u32(long register) {
        return register & 0xFFFF_FFFFL;
    }

    /**
     * A {@code __u32} size as an int for a memory access. Sizes of 2 GiB or more cannot fit any region,
     * so they become -1, which every Memory access check refuses with a precise error.
     */
    static int size(long register) {
        long size = register & 0xFFFF_FFFFL;
        return size > Integer.MAX_VALUE ? -1 : (int) size;
    }
}

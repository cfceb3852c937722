package org.ebpfosgi.interpreter;

import static org.ebpfosgi.interpreter.Programs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Arithmetic edge cases: masking of shift counts, signed division, zero extension, sign extension, byte order. */
class AluTest {
    @Test
    void shiftCountsAreMaskedToTheOperandWidth() {
        assertEquals(2L, run("mov %r0, 1\nlsh %r0, 65\nexit"));
        assertEquals(2L, run("mov %r0, 1\nmov %r1, 65\nlsh %r0, %r1\nexit"));
        assertEquals(2L, run("mov32 %r0, 1\nlsh32 %r0, 33\nexit"));
        assertEquals(0x4000_0000L, run("mov32 %r0, 0x80000000\nmov32 %r1, 33\nrsh32 %r0, %r1\nexit"));
        assertEquals(0xC000_0000L, run("mov32 %r0, 0x80000000\narsh32 %r0, 33\nexit"));
        assertEquals(1L, run("lddw %r0, 0x8000000000000000\nrsh %r0, 127\nexit"));
        assertEquals(-1L, run("lddw %r0, 0x8000000000000000\narsh %r0, 127\nexit"));
    }

    @Test
    void signedDivisionOfTheMinimumByMinusOne() {
        assertEquals(Long.MIN_VALUE, run("lddw %r0, 0x8000000000000000\nsdiv %r0, -1\nexit"));
        assertEquals(0L, run("lddw %r0, 0x8000000000000000\nmov %r1, -1\nsmod %r0, %r1\nexit"));
        assertEquals(0x8000_0000L, run("mov32 %r0, 0x80000000\nsdiv32 %r0, -1\nexit"));
        assertEquals(0L, run("mov32 %r0, 0x80000000\nmov32 %r1, -1\nsmod32 %r0, %r1\nexit"));
        assertEquals(-3L, run("mov %r0, -7\nsdiv %r0, 2\nexit"));
        assertEquals(-1L, run("mov %r0, -7\nsmod %r0, 2\nexit"));
        assertEquals(0xFFFF_FFFDL, run("mov32 %r0, -7\nsdiv32 %r0, 2\nexit"));
    }

    @Test
    void divisionByZeroFollowsTheIsa() {
        assertEquals(0L, run("mov %r0, 7\nmov %r1, 0\ndiv %r0, %r1\nexit"));
        assertEquals(7L, run("mov %r0, 7\nmov %r1, 0\nmod %r0, %r1\nexit"));
        assertEquals(0L, run("mov %r0, 7\nsdiv %r0, 0\nexit"));
        assertEquals(-7L, run("mov %r0, -7\nsmod %r0, 0\nexit"));
        assertEquals(0L, run("mov32 %r0, 7\ndiv32 %r0, 0\nexit"));
        // 32-bit forms keep the low half of the dividend, zero-extended.
        assertEquals(0xFFFF_FFF9L, run("mov %r0, -7\nmov %r1, 0\nmod32 %r0, %r1\nexit"));
        assertEquals(0xFFFF_FFF9L, run("mov %r0, -7\nsmod32 %r0, 0\nexit"));
        // A divisor whose low 32 bits are zero is zero for the 32-bit forms.
        assertEquals(0L, run("mov32 %r0, 9\nlddw %r1, 0x100000000\ndiv32 %r0, %r1\nexit"));
    }

    @Test
    void unsignedDivisionTreatsOperandsAsUnsigned() {
        assertEquals(0x7FFF_FFFF_FFFF_FFFFL, run("mov %r0, -1\ndiv %r0, 2\nexit"));
        assertEquals(1L, run("mov %r0, -1\nmov %r1, -2\ndiv %r0, %r1\nexit"));
        assertEquals(0x7FFF_FFFFL, run("mov32 %r0, -1\ndiv32 %r0, 2\nexit"));
        assertEquals(1L, run("mov %r0, -1\nmod %r0, 2\nexit"));
    }

    @Test
    void thirtyTwoBitResultsAreZeroExtended() {
        assertEquals(0xFFFF_FFFFL, run("mov32 %r0, -1\nexit"));
        assertEquals(0L, run("mov %r0, -1\nadd32 %r0, 1\nexit"));
        assertEquals(0xFFFF_FFFEL, run("mov %r0, -1\nmov %r1, -1\nadd32 %r0, %r1\nexit"));
        assertEquals(0x1L, run("lddw %r0, 0x100000001\nmov32 %r0, %r0\nexit"));
        assertEquals(0xFFFF_FFFFL, run("mov %r0, 1\nneg32 %r0\nexit"));
        assertEquals(-1L, run("mov %r0, 1\nneg %r0\nexit"));
        assertEquals(0xFFFF_FFFFL, run("mov %r0, -1\nor32 %r0, 0\nexit"));
        assertEquals(0xFFFF_FFFFL, run("mov %r0, 0\nxor32 %r0, -1\nexit"));
        assertEquals(0xFFFF_FFFFL, run("mov %r0, -1\nand32 %r0, -1\nexit"));
        assertEquals(0xFFFF_FFFEL, run("mov %r0, -1\nmul32 %r0, 2\nexit"));
        // 64-bit forms sign-extend the immediate.
        assertEquals(-1L, run("mov %r0, 0\nor %r0, -1\nexit"));
    }

    @Test
    void movsxSignExtends() {
        assertEquals(-128L, run("mov %r1, 0x180\nr0 = (s8)r1\nexit"));
        assertEquals(-32768L, run("mov %r1, 0x18000\nr0 = (s16)r1\nexit"));
        assertEquals(Integer.MIN_VALUE, run("lddw %r1, 0x180000000\nr0 = (s32)r1\nexit"));
        assertEquals(0xFFFF_FF80L, run("mov %r1, 0x80\nw0 = (s8)w1\nexit"));
        assertEquals(0xFFFF_8000L, run("mov %r1, 0x8000\nw0 = (s16)w1\nexit"));
        assertEquals(0x7FL, run("mov %r1, 0x7f\nr0 = (s8)r1\nexit"));
    }

    @Test
    void byteOrderConversions() {
        assertEquals(0x3412L, run("lddw %r0, 0x1122334455661234\nbe16 %r0\nexit"));
        assertEquals(0x7856_3412L, run("lddw %r0, 0x1122334412345678\nbe32 %r0\nexit"));
        assertEquals(0x8877_6655_4433_2211L, run("lddw %r0, 0x1122334455667788\nbe64 %r0\nexit"));
        assertEquals(0x1234L, run("lddw %r0, 0x1122334455661234\nle16 %r0\nexit"));
        assertEquals(0x1234_5678L, run("lddw %r0, 0x1122334412345678\nle32 %r0\nexit"));
        assertEquals(0x1122_3344_5566_7788L, run("lddw %r0, 0x1122334455667788\nle64 %r0\nexit"));
        assertEquals(0x3412L, run("lddw %r0, 0x1122334455661234\nbswap16 %r0\nexit"));
        assertEquals(0x7856_3412L, run("lddw %r0, 0x1122334412345678\nbswap32 %r0\nexit"));
        assertEquals(0x8877_6655_4433_2211L, run("lddw %r0, 0x1122334455667788\nbswap64 %r0\nexit"));
    }

    @Test
    void multiplicationWrapsAround() {
        assertEquals(Long.MIN_VALUE, run("lddw %r0, 0x4000000000000000\nmul %r0, 2\nexit"));
        assertEquals(0L, run("mov32 %r0, 0x10000\nmul32 %r0, 0x10000\nexit"));
    }

    @Test
    void jumpsCompareSignedAndUnsignedAndIn32Bits() {
        assertEquals(1L, run("mov %r0, 0\nmov %r1, -1\njgt %r1, 1, yes\nexit\nyes:\nmov %r0, 1\nexit"));
        assertEquals(0L, run("mov %r0, 0\nmov %r1, -1\njsgt %r1, 1, yes\nexit\nyes:\nmov %r0, 1\nexit"));
        assertEquals(1L, run("mov %r0, 0\nmov %r1, -1\njslt %r1, 0, yes\nexit\nyes:\nmov %r0, 1\nexit"));
        // JMP32 looks at the low half only: 0x1_0000_0000 is 0 there.
        assertEquals(1L, run("mov %r0, 0\nlddw %r1, 0x100000000\njeq32 %r1, 0, yes\nexit\nyes:\nmov %r0, 1\nexit"));
        assertEquals(0L, run("mov %r0, 0\nlddw %r1, 0x100000000\njeq %r1, 0, yes\nexit\nyes:\nmov %r0, 1\nexit"));
        assertEquals(1L, run("mov %r0, 0\nmov %r1, 6\njset %r1, 2, yes\nexit\nyes:\nmov %r0, 1\nexit"));
        assertEquals(1L, run("mov %r0, 0\nmov32 %r1, 0x80000000\njslt32 %r1, 0, yes\nexit\nyes:\nmov %r0, 1\nexit"));
    }
}

package org.ebpfosgi.helpers.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.ebpfosgi.api.memory.MemoryAccessException;
import org.ebpfosgi.api.memory.Region;
import org.junit.jupiter.api.Test;

class ProbeReadKernelTest {
    private final ProbeReadKernel probeRead = new ProbeReadKernel();
    private final RunContext run = new RunContext();
    private final byte[] dst = new byte[8];
    private final long dstAddress = run.stack(dst);

    @Test
    void copiesFromAnyReadableRegion() {
        byte[] source = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        long src = run.memory.map(Region.of(Region.Kind.CONTEXT, "ctx", source).readOnly());
        assertEquals(0, probeRead.call(run, dstAddress, 6, src + 3, 0, 0));
        assertArrayEquals(new byte[] {4, 5, 6, 7, 8, 9, 0, 0}, dst);
        assertEquals(0, probeRead.call(run, dstAddress + 2, 4, dstAddress, 0, 0), "overlapping copy");
        assertArrayEquals(new byte[] {4, 5, 4, 5, 6, 7, 0, 0}, dst);
    }

    @Test
    void badSourceZeroFillsAndReturnsEfault() {
        byte[] source = {1, 2, 3, 4};
        long src = run.stack(source);
        for (long bad : new long[] {0, 0x10, src + 1, 0x7777_0000_0000L, run.memory.mapHandle(new Object())}) {
            Arrays.fill(dst, (byte) 9);
            assertEquals(-Errno.EFAULT, probeRead.call(run, dstAddress, 4, bad, 0, 0), Long.toHexString(bad));
            assertArrayEquals(new byte[] {0, 0, 0, 0, 9, 9, 9, 9}, dst);
        }
    }

    @Test
    void zeroSizeDoesNothing() {
        assertEquals(0, probeRead.call(run, 0, 0, 0, 0, 0));
    }

    @Test
    void badDestinationFailsTheRun() {
        long src = run.stack(new byte[16]);
        assertThrows(MemoryAccessException.class, () -> probeRead.call(run, dstAddress, 9, src, 0, 0));
        long readOnly = run.cString("abc");
        assertThrows(MemoryAccessException.class, () -> probeRead.call(run, readOnly, 2, src, 0, 0));
        assertThrows(MemoryAccessException.class, () -> probeRead.call(run, dstAddress, 0xFFFF_FFFFL, src, 0, 0));
    }

    @Test
    void legacyProbeReadIsTheSame() {
        long src = run.stack(new byte[] {5, 6});
        assertEquals(0, new ProbeRead().call(run, dstAddress, 2, src, 0, 0));
        assertEquals(5, dst[0]);
        assertEquals(-Errno.EFAULT, new ProbeRead().call(run, dstAddress, 4, src, 0, 0));
        assertArrayEquals(new byte[8], dst);
    }

    @Test
    void stringCopiesStopAtTheNulAndCountIt() {
        ProbeReadKernelStr readStr = new ProbeReadKernelStr();
        long src = run.cString("eth0");
        Arrays.fill(dst, (byte) 9);
        assertEquals(5, readStr.call(run, dstAddress, 8, src, 0, 0));
        assertArrayEquals(new byte[] {'e', 't', 'h', '0', 0, 9, 9, 9}, dst, "bytes after the NUL untouched");
        assertEquals(3, readStr.call(run, dstAddress, 3, src, 0, 0), "cut and terminated");
        assertArrayEquals(new byte[] {'e', 't', 0, '0', 0, 9, 9, 9}, dst);
        assertEquals(5, readStr.call(run, dstAddress, 5, src, 0, 0), "exactly fits");
        assertEquals(0, readStr.call(run, dstAddress, 0, src, 0, 0));
        assertEquals(5, new ProbeReadStr().call(run, dstAddress, 8, src, 0, 0));
    }

    @Test
    void stringCopiesFaultLikeLinux() {
        ProbeReadKernelStr readStr = new ProbeReadKernelStr();
        long unterminated = run.stack(new byte[] {'a', 'b', 'c'});
        Arrays.fill(dst, (byte) 9);
        assertEquals(-Errno.EFAULT, readStr.call(run, dstAddress, 8, unterminated, 0, 0), "runs off its region");
        assertArrayEquals(new byte[8], dst, "zero-filled");
        assertEquals(3, readStr.call(run, dstAddress, 3, unterminated, 0, 0), "within size, no NUL needed");
        assertArrayEquals(new byte[] {'a', 'b', 0, 0, 0, 0, 0, 0}, dst);
        assertEquals(-Errno.EFAULT, readStr.call(run, dstAddress, 8, 0, 0, 0));
        assertThrows(MemoryAccessException.class, () -> readStr.call(run, dstAddress, 9, unterminated, 0, 0));
    }
}

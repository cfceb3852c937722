package org.ebpfosgi.helpers.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ebpfosgi.api.memory.MemoryAccessException;
import org.junit.jupiter.api.Test;

class CsumDiffTest {
    private final CsumDiff csumDiff = new CsumDiff();
    private final RunContext run = new RunContext();

    /** An IPv4 header (RFC 1071's example family) with its checksum field zeroed. */
    private static byte[] header(int ttl) {
        return new byte[] {0x45, 0, 0, 0x54, 0x12, 0x34, 0x40, 0, (byte) ttl, 1, 0, 0,
            (byte) 192, (byte) 168, 0, 1, 10, 0, 0, 7};
    }

    /** The Internet checksum as a network-order number, computed independently over big-endian 16-bit words. */
    private static int internetChecksum(byte[] bytes) {
        long sum = 0;
        for (int i = 0; i < bytes.length; i += 2) {
            sum += ((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /** csum_fold of the kernel: fold to 16 bits, complement; the result is in memory (little-endian) order. */
    private static int fold(long wsum) {
        long sum = wsum;
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    private static int swap16(int v) {
        return ((v & 0xFF) << 8) | ((v >> 8) & 0xFF);
    }

    @Test
    void fullChecksumAgreesWithRfc1071() {
        byte[] h = header(64);
        long sum = csumDiff.call(run, 0, 0, run.stack(h), h.length, 0);
        assertEquals(internetChecksum(h), swap16(fold(sum)));
    }

    @Test
    void incrementalUpdateAgreesWithRecomputing() {
        // The XDP idiom: csum = csum_fold(csum_diff(&old, 4, &new, 4, ~old_csum)) after rewriting a word.
        byte[] before = header(64);
        byte[] after = header(63);
        int oldCsum = swap16(internetChecksum(before));
        long oldWord = run.stack(java.util.Arrays.copyOfRange(before, 8, 12));
        long newWord = run.stack(java.util.Arrays.copyOfRange(after, 8, 12));
        long sum = csumDiff.call(run, oldWord, 4, newWord, 4, ~oldCsum & 0xFFFF);
        assertEquals(internetChecksum(after), swap16(fold(sum)));
    }

    @Test
    void resultIsAnUnsigned32BitSum() {
        long a = run.stack(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 2, 0, 0, 0});
        assertEquals(2, csumDiff.call(run, 0, 0, a, 8, 0), "0xffffffff + 2 with end-around carry");
        assertEquals(0xFFFF_FFFEL, csumDiff.call(run, a + 4, 4, 0, 0, 1), "~2 + 1");
        assertEquals(0x1234, csumDiff.call(run, 0, 0, 0, 0, 0x1234), "no data: the seed");
        assertEquals(0xFFFF_FFFFL, csumDiff.call(run, 0, 0, 0, 0, -1L), "the seed is a u32");
    }

    @Test
    void refusesBadSizes() {
        long a = run.stack(new byte[1024]);
        assertEquals(-Errno.EINVAL, csumDiff.call(run, a, 2, a, 4, 0));
        assertEquals(-Errno.EINVAL, csumDiff.call(run, a, 4, a, 6, 0));
        assertEquals(-Errno.EINVAL, csumDiff.call(run, a, 256, a, 260, 0), "over 512 bytes");
        assertEquals(-Errno.EINVAL, csumDiff.call(run, a, 0xFFFF_FFFCL, a, 4, 0), "sizes do not wrap around");
        assertEquals(0xFFFF_FFFFL, csumDiff.call(run, a, 256, a, 256, 0), "512 bytes is allowed: 64 words of ~0");
        assertThrows(MemoryAccessException.class, () -> csumDiff.call(run, run.stack(new byte[4]), 8, 0, 0, 0));
    }
}

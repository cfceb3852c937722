package org.ebpfosgi.helpers.core.internal;

import java.util.Arrays;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;

/**
 * The probe-read copies: the source may be any address and is checked without failing the run (like
 * Linux's {@code copy_from_kernel_nofault}); a bad source zero-fills the destination and yields -EFAULT.
 * The destination was proven by the verifier, so a bad one fails the run. A program has no user memory
 * apart from its own regions, so the kernel, user and legacy variants behave alike.
 */
final class Probes {
    private Probes() {
    }

    /** {@code probe_read}: size bytes from src to dst; 0 or -EFAULT. */
    static long copy(Memory memory, long dst, long sizeRegister, long src) {
        int size = Registers.size(sizeRegister);
        if (size == 0) {
            return 0;
        }
        Region target = memory.region(dst, size, true);
        int at = target.base() + (int) dst;
        Region source = ProgramMemory.readableOrNull(memory, src, size);
        if (source == null) {
            Arrays.fill(target.bytes(), at, at + size, (byte) 0);
            return Errno.fail(Errno.EFAULT);
        }
        System.arraycopy(source.bytes(), source.base() + (int) src, target.bytes(), at, size);
        return 0;
    }

    /**
     * {@code probe_read_str}: the NUL-terminated string at src, at most size bytes with its NUL (a longer
     * string is cut and terminated); returns the bytes written including the NUL, or -EFAULT if src is not
     * readable up to its NUL or for size bytes, whichever comes first.
     */
    static long copyString(Memory memory, long dst, long sizeRegister, long src) {
        int size = Registers.size(sizeRegister);
        if (size == 0) {
            return 0;
        }
        Region target = memory.region(dst, size, true);
        int at = target.base() + (int) dst;
        Region source = ProgramMemory.readableOrNull(memory, src, 0);
        long available = source == null ? 0 : source.length() - (src & 0xFFFF_FFFFL);
        int from = source == null ? 0 : source.base() + (int) src;
        // As strncpy_from_kernel_nofault: read up to size bytes, stop after a NUL, terminate at size - 1.
        for (int i = 0; i < size; i++) {
            if (i == available) {
                Arrays.fill(target.bytes(), at, at + size, (byte) 0);
                return Errno.fail(Errno.EFAULT);
            }
            byte b = source.bytes()[from + i];
            target.bytes()[at + i] = b;
            if (b == 0) {
                return i + 1;
            }
        }
        target.bytes()[at + size - 1] = 0;
        return size;
    }
}

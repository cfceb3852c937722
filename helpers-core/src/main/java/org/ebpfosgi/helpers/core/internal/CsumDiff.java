package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.ANYTHING;
import static org.ebpfosgi.api.helper.ArgKind.CONST_SIZE_OR_ZERO;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_READABLE_MEM_OR_NULL;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.memory.Memory;
import org.osgi.service.component.annotations.Component;

/**
 * {@code s64 bpf_csum_diff(__be32 *from, u32 from_size, __be32 *to, u32 to_size, __wsum seed)}: the 32-bit
 * ones'-complement sum of seed, the complements of the {@code from} words and the {@code to} words, each
 * word read as the host (x86, little-endian) reads memory, as the kernel's csum_partial does. The result
 * is an unfolded {@code __wsum}: its 16-bit fold ({@code csum_fold}) is what programs use, and that agrees
 * with Linux. Sizes must be multiples of 4 summing to at most 512 bytes, else -EINVAL; a pointer may be
 * NULL when its size is 0.
 */
@Component(service = Helper.class)
public final class CsumDiff extends CoreHelper {
    /** The kernel's scratch buffer: 128 words. */
    static final int MAX_DIFF_BYTES = 512;

    public CsumDiff() {
        super(28, "bpf_csum_diff", HelperPrototype.of(ReturnKind.INTEGER,
                PTR_TO_READABLE_MEM_OR_NULL, CONST_SIZE_OR_ZERO, PTR_TO_READABLE_MEM_OR_NULL, CONST_SIZE_OR_ZERO, ANYTHING));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        long fromSize = Registers.u32(r2);
        long toSize = Registers.u32(r4);
        if (((fromSize | toSize) & 3) != 0 || fromSize + toSize > MAX_DIFF_BYTES) {
            return Errno.fail(Errno.EINVAL);
        }
        Memory memory = context.memory();
        long sum = Registers.u32(r5);
        if (fromSize != 0) {
            memory.region(r1, (int) fromSize, false);
            for (long off = 0; off < fromSize; off += 4) {
                sum += ~memory.load(r1 + off, 4) & 0xFFFF_FFFFL;
            }
        }
        if (toSize != 0) {
            memory.region(r3, (int) toSize, false);
            for (long off = 0; off < toSize; off += 4) {
                sum += memory.load(r3 + off, 4);
            }
        }
        return fold32(sum);
    }

    /** Adds the carries above 32 bits back in (end-around carry). */
    static long fold32(long sum) {
        while ((sum >>> 32) != 0) {
            sum = (sum & 0xFFFF_FFFFL) + (sum >>> 32);
        }
        return sum;
    }
}

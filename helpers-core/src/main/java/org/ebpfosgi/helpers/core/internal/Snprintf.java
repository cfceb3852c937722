package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.ANYTHING;
import static org.ebpfosgi.api.helper.ArgKind.CONST_SIZE_OR_ZERO;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_READABLE_MEM_OR_NULL;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_WRITABLE_MEM;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.osgi.service.component.annotations.Component;

/**
 * {@code long bpf_snprintf(char *str, u32 str_size, const char *fmt, u64 *data, u32 data_len)}: formats
 * with {@link Bprintf} into {@code str}, truncated to {@code str_size} bytes with a NUL (nothing written
 * if str_size is 0); returns the untruncated length including the NUL, or -EINVAL (bad format, data_len
 * as for {@link TraceVprintk}, a format without NUL in its region) / -ENOSPC.
 *
 * <p>Linux's prototype has {@code ARG_PTR_TO_MEM_OR_NULL} for str and {@code ARG_PTR_TO_CONST_STR} for fmt;
 * the API has neither, so str is writable memory and fmt is checked here, at run time (a NUL-terminated
 * string in a readable region).
 */
@Component(service = Helper.class)
public final class Snprintf extends CoreHelper {
    public Snprintf() {
        super(165, "bpf_snprintf", HelperPrototype.of(ReturnKind.INTEGER,
                PTR_TO_WRITABLE_MEM, CONST_SIZE_OR_ZERO, ANYTHING, PTR_TO_READABLE_MEM_OR_NULL, CONST_SIZE_OR_ZERO));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        Memory memory = context.memory();
        int strSize = Registers.size(r2);
        if (strSize != 0) {
            memory.region(r1, strSize, true);
        }
        long[] args = Tracing.loadArguments(memory, r4, Registers.u32(r5));
        if (args == null) {
            return Errno.fail(Errno.EINVAL);
        }
        int fmtLength = ProgramMemory.constStringLength(memory, r3);
        if (fmtLength < 0) {
            return Errno.fail(Errno.EINVAL);
        }
        Region fmt = memory.region(r3, fmtLength, false);
        int start = fmt.base() + (int) r3;
        FormatOutput out = new FormatOutput(strSize == 0 ? 0 : strSize - 1);
        int error = Bprintf.format(memory, fmt.bytes(), start, start + fmtLength, args, args.length, out);
        if (error < 0) {
            return error;
        }
        if (strSize != 0) {
            memory.write(r1, out.bytes(), 0, out.stored());
            memory.store(r1 + out.stored(), 1, 0);
        }
        return out.length() + 1;
    }
}

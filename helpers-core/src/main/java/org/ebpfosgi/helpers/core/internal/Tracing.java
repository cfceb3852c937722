package org.ebpfosgi.helpers.core.internal;

import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;

/** What trace_printk and trace_vprintk share: format, truncate to the kernel's buffer, print. */
final class Tracing {
    private Tracing() {
    }

    /**
     * Formats the format of {@code fmtSize} bytes at {@code fmt} (it must hold a NUL) and prints it as one
     * line of the calling program; returns the untruncated length, or a negative errno.
     */
    static long trace(HelperContext context, TraceSink sink, long fmt, long fmtSize, long[] args, int numArgs) {
        Memory memory = context.memory();
        int size = Registers.size(fmtSize);
        Region region = memory.region(fmt, size, false);
        int start = region.base() + (int) fmt;
        int nul = Bprintf.indexOfNul(region.bytes(), start, start + size);
        if (nul < 0) {
            return Errno.fail(Errno.EINVAL);
        }
        FormatOutput out = new FormatOutput(Bprintf.MAX_BUF - 1);
        int error = Bprintf.format(memory, region.bytes(), start, nul, args, numArgs, out);
        if (error < 0) {
            return error;
        }
        String line = out.text();
        sink.print(context.programName(), line.endsWith("\n") ? line.substring(0, line.length() - 1) : line);
        return out.length();
    }

    /**
     * The u64 arguments of {@code data_len} bytes at {@code data} (trace_vprintk, snprintf), or null if
     * Linux refuses the size: not a multiple of 8, more than 12 arguments, or no array for a nonzero size.
     */
    static long[] loadArguments(Memory memory, long data, long dataLen) {
        if (dataLen % 8 != 0 || dataLen > Bprintf.MAX_VARARGS * 8L || (dataLen != 0 && data == 0)) {
            return null;
        }
        long[] args = new long[(int) dataLen / 8];
        if (args.length > 0) {
            memory.region(data, (int) dataLen, false);
        }
        for (int i = 0; i < args.length; i++) {
            args[i] = memory.load(data + 8L * i, 8);
        }
        return args;
    }
}

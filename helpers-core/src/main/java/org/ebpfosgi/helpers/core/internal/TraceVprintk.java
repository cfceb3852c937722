package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.CONST_SIZE;
import static org.ebpfosgi.api.helper.ArgKind.CONST_SIZE_OR_ZERO;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_READABLE_MEM;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_READABLE_MEM_OR_NULL;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.osgi.service.component.annotations.Component;

/**
 * {@code long bpf_trace_vprintk(const char *fmt, u32 fmt_size, const void *data, u32 data_len)}: as
 * {@link TracePrintk} with up to 12 u64 arguments in an array; -EINVAL if data_len is not a multiple of 8,
 * exceeds 96, or is nonzero with a NULL array.
 */
@Component(service = Helper.class)
public final class TraceVprintk extends CoreHelper {
    private final TraceSink sink;

    public TraceVprintk() {
        this(Slf4jTraceSink.INSTANCE);
    }

    TraceVprintk(TraceSink sink) {
        super(177, "bpf_trace_vprintk", HelperPrototype.of(ReturnKind.INTEGER,
                PTR_TO_READABLE_MEM, CONST_SIZE, PTR_TO_READABLE_MEM_OR_NULL, CONST_SIZE_OR_ZERO));
        this.sink = sink;
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        long[] args = Tracing.loadArguments(context.memory(), r3, Registers.u32(r4));
        if (args == null) {
            return Errno.fail(Errno.EINVAL);
        }
        return Tracing.trace(context, sink, r1, r2, args, args.length);
    }
}

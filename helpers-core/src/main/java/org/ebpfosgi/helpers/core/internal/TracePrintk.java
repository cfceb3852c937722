package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.CONST_SIZE;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_READABLE_MEM;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.osgi.service.component.annotations.Component;

/**
 * {@code long bpf_trace_printk(const char *fmt, u32 fmt_size, ...)}: formats up to three arguments (r3..r5)
 * with {@link Bprintf} and writes the line to the platform log under the program's name. Returns the
 * formatted length (the log keeps at most 1023 bytes) or -EINVAL/-ENOSPC. As in Linux, the prototype
 * declares only fmt and fmt_size: the verifier does not check the variadic registers.
 */
@Component(service = Helper.class)
public final class TracePrintk extends CoreHelper {
    /** MAX_TRACE_PRINTK_VARARGS. */
    static final int MAX_ARGS = 3;
    private final TraceSink sink;

    public TracePrintk() {
        this(Slf4jTraceSink.INSTANCE);
    }

    TracePrintk(TraceSink sink) {
        super(6, "bpf_trace_printk", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_READABLE_MEM, CONST_SIZE));
        this.sink = sink;
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        return Tracing.trace(context, sink, r1, r2, new long[] {r3, r4, r5}, MAX_ARGS);
    }
}

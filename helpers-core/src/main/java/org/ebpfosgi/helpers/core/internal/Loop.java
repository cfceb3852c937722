package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.ANYTHING;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_FUNC;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.osgi.service.component.annotations.Component;

/**
 * {@code long bpf_loop(u32 nr_loops, void *callback_fn, void *callback_ctx, u64 flags)}: calls
 * {@code callback_fn(i, callback_ctx)} for i = 0.. until nr_loops or a nonzero return; returns the number
 * of calls (the stopping one included), -EINVAL for nonzero flags, -E2BIG above {@link #MAX_LOOPS}.
 * Linux types callback_ctx as a stack pointer or NULL, which the API cannot say: it is passed through.
 */
@Component(service = Helper.class)
public final class Loop extends CoreHelper {
    /** BPF_MAX_LOOPS. */
    static final long MAX_LOOPS = 1 << 23;

    public Loop() {
        super(181, "bpf_loop", HelperPrototype.of(ReturnKind.INTEGER, ANYTHING, PTR_TO_FUNC, ANYTHING, ANYTHING));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        if (r4 != 0) {
            return Errno.fail(Errno.EINVAL);
        }
        long loops = Registers.u32(r1);
        if (loops > MAX_LOOPS) {
            return Errno.fail(Errno.E2BIG);
        }
        for (long i = 0; i < loops; i++) {
            if (context.callFunction(r2, i, r3, 0, 0, 0) != 0) {
                return i + 1;
            }
        }
        return loops;
    }
}

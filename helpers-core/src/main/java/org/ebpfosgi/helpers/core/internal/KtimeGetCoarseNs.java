package org.ebpfosgi.helpers.core.internal;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.osgi.service.component.annotations.Component;

/** {@code bpf_ktime_get_coarse_ns}: CLOCK_MONOTONIC at tick granularity (see {@link Clocks}). */
@Component(service = Helper.class)
public final class KtimeGetCoarseNs extends CoreHelper {
    public KtimeGetCoarseNs() {
        super(160, "bpf_ktime_get_coarse_ns", HelperPrototype.of(ReturnKind.INTEGER));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        return Clocks.SYSTEM.coarseNanos();
    }
}

package org.ebpfosgi.helpers.core.internal;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.osgi.service.component.annotations.Component;

/** {@code bpf_ktime_get_boot_ns}: nanoseconds of CLOCK_BOOTTIME, suspended time included (see {@link Clocks}). */
@Component(service = Helper.class)
public final class KtimeGetBootNs extends CoreHelper {
    public KtimeGetBootNs() {
        super(125, "bpf_ktime_get_boot_ns", HelperPrototype.of(ReturnKind.INTEGER));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        return Clocks.SYSTEM.bootNanos();
    }
}

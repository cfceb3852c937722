package org.ebpfosgi.helpers.core.internal;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.osgi.service.component.annotations.Component;

/** {@code bpf_jiffies64}: the 64-bit tick count at {@link Clocks#HZ} (see {@link Clocks}). */
@Component(service = Helper.class)
public final class Jiffies64 extends CoreHelper {
    public Jiffies64() {
        super(118, "bpf_jiffies64", HelperPrototype.of(ReturnKind.INTEGER));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        return Clocks.SYSTEM.jiffies64();
    }
}

package org.ebpfosgi.helpers.core.internal;

import java.util.concurrent.ThreadLocalRandom;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.osgi.service.component.annotations.Component;

/** {@code bpf_get_prandom_u32}: a pseudo-random u32 (not for cryptography, as in Linux). */
@Component(service = Helper.class)
public final class GetPrandomU32 extends CoreHelper {
    public GetPrandomU32() {
        super(7, "bpf_get_prandom_u32", HelperPrototype.of(ReturnKind.INTEGER));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        return ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL;
    }
}

package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.ANYTHING;
import static org.ebpfosgi.api.helper.ArgKind.CONST_SIZE_OR_ZERO;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_WRITABLE_MEM;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.osgi.service.component.annotations.Component;

/** {@code long bpf_probe_read_str(void *dst, u32 size, const void *unsafe_ptr)}, the legacy name: as {@link ProbeReadKernelStr}. */
@Component(service = Helper.class)
public final class ProbeReadStr extends CoreHelper {
    public ProbeReadStr() {
        super(45, "bpf_probe_read_str", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_WRITABLE_MEM, CONST_SIZE_OR_ZERO, ANYTHING));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        return Probes.copyString(context.memory(), r1, r2, r3);
    }
}

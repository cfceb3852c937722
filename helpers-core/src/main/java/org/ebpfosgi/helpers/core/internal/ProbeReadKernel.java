package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.ANYTHING;
import static org.ebpfosgi.api.helper.ArgKind.CONST_SIZE_OR_ZERO;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_WRITABLE_MEM;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.osgi.service.component.annotations.Component;

/**
 * {@code long bpf_probe_read_kernel(void *dst, u32 size, const void *unsafe_ptr)}: copies size bytes from
 * any address to dst. The source is checked without failing the run: if it is not wholly inside one
 * readable region, dst is zero-filled and the result is -EFAULT, as Linux's copy_from_kernel_nofault.
 * dst itself was proven by the verifier; a bad dst fails the run (see {@link Probes}).
 */
@Component(service = Helper.class)
public final class ProbeReadKernel extends CoreHelper {
    public ProbeReadKernel() {
        super(113, "bpf_probe_read_kernel", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_WRITABLE_MEM, CONST_SIZE_OR_ZERO, ANYTHING));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        return Probes.copy(context.memory(), r1, r2, r3);
    }
}

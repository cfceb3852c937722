package org.ebpfosgi.helpers.core.internal;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.map.Cpus;
import org.osgi.service.component.annotations.Component;

/** {@code bpf_get_smp_processor_id}: the calling thread's CPU slot, the index per-CPU maps use ({@link Cpus}). */
@Component(service = Helper.class)
public final class GetSmpProcessorId extends CoreHelper {
    public GetSmpProcessorId() {
        super(8, "bpf_get_smp_processor_id", HelperPrototype.of(ReturnKind.INTEGER));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        return Cpus.current();
    }
}

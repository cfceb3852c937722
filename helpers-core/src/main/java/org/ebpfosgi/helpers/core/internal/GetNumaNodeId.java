package org.ebpfosgi.helpers.core.internal;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.osgi.service.component.annotations.Component;

/** {@code bpf_get_numa_node_id}: always node 0: the JVM's memory is one node as far as programs can tell. */
@Component(service = Helper.class)
public final class GetNumaNodeId extends CoreHelper {
    public GetNumaNodeId() {
        super(42, "bpf_get_numa_node_id", HelperPrototype.of(ReturnKind.INTEGER));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        return 0;
    }
}

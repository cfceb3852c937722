package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.ANYTHING;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.map.RingBufferMap;
import org.osgi.service.component.annotations.Component;

/**
 * {@code u64 bpf_ringbuf_query(void *ringbuf, u64 flags)}: BPF_RB_AVAIL_DATA (0), BPF_RB_RING_SIZE (1),
 * BPF_RB_CONS_POS (2) or BPF_RB_PROD_POS (3) of the ring; 0 for other flags.
 */
@Component(service = Helper.class)
public final class RingbufQuery extends CoreHelper {
    public RingbufQuery() {
        super(134, "bpf_ringbuf_query", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_MAP, ANYTHING));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        return context.memory().handle(r1, RingBufferMap.class).query(r2);
    }
}

package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.ANYTHING;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_ALLOC_MEM;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.map.RingBufferMap;
import org.ebpfosgi.api.memory.Region;
import org.osgi.service.component.annotations.Component;

/**
 * {@code void bpf_ringbuf_discard(void *data, u64 flags)}: drops the record: consumers skip it. Flags BPF_RB_NO_WAKEUP and
 * BPF_RB_FORCE_WAKEUP steer the consumer's wake-up. A pointer that is not an outstanding reservation
 * fails the run (the verifier's reference tracking rules it out).
 */
@Component(service = Helper.class)
public final class RingbufDiscard extends RingbufRelease {
    public RingbufDiscard() {
        super(133, "bpf_ringbuf_discard", HelperPrototype.of(ReturnKind.VOID, PTR_TO_ALLOC_MEM, ANYTHING));
    }

    @Override
    void release(RingBufferMap ring, Region record, long flags) {
        ring.discard(record, flags);
    }
}

package org.ebpfosgi.helpers.core.internal;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.helpers.core.CurrentTask;
import org.osgi.service.component.annotations.Component;

/**
 * {@code u64 bpf_get_current_pid_tgid(void)}: {@code tgid << 32 | tid} of the hook's {@link CurrentTask} if
 * it has one, else of the calling JVM thread (see {@link ThreadIds}).
 */
@Component(service = Helper.class)
public final class GetCurrentPidTgid extends CoreHelper {
    public GetCurrentPidTgid() {
        super(14, "bpf_get_current_pid_tgid", HelperPrototype.of(ReturnKind.INTEGER));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        Object hook = context.hookContext();
        return hook instanceof CurrentTask ? ((CurrentTask) hook).pidTgid() : ThreadIds.currentPidTgid();
    }
}

package org.ebpfosgi.helpers.core.internal;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.helpers.core.CurrentTask;
import org.osgi.service.component.annotations.Component;

/**
 * {@code u64 bpf_get_current_uid_gid(void)}: {@code gid << 32 | uid} of the hook's {@link CurrentTask} if it
 * has one, else the JVM's real ids ({@link ProcessCredentials}); -EINVAL if they cannot be read, as Linux
 * answers without a current task.
 */
@Component(service = Helper.class)
public final class GetCurrentUidGid extends CoreHelper {
    public GetCurrentUidGid() {
        super(15, "bpf_get_current_uid_gid", HelperPrototype.of(ReturnKind.INTEGER));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        Object hook = context.hookContext();
        if (hook instanceof CurrentTask) {
            return ((CurrentTask) hook).uidGid();
        }
        return ProcessCredentials.UID_GID < 0 ? Errno.fail(Errno.EINVAL) : ProcessCredentials.UID_GID;
    }
}

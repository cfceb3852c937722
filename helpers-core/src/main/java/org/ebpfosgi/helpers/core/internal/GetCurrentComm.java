package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.CONST_SIZE;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_WRITABLE_MEM;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.helpers.core.CurrentTask;
import org.osgi.service.component.annotations.Component;

/**
 * {@code long bpf_get_current_comm(void *buf, u32 size_of_buf)}: the command name of the hook's
 * {@link CurrentTask} if it has one, else the calling Java thread's name (HotSpot names a thread's kernel
 * task after it), cut to {@link #TASK_COMM_LEN} - 1 bytes and to size - 1, NUL-padded to size like
 * {@code strscpy_pad}; returns 0.
 */
@Component(service = Helper.class)
public final class GetCurrentComm extends CoreHelper {
    /** Linux's TASK_COMM_LEN, NUL included. */
    static final int TASK_COMM_LEN = 16;

    public GetCurrentComm() {
        super(16, "bpf_get_current_comm", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_WRITABLE_MEM, CONST_SIZE));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        int size = Registers.size(r2);
        Region buffer = context.memory().region(r1, size, true);
        if (size == 0) {
            return 0;
        }
        Object hook = context.hookContext();
        String comm = hook instanceof CurrentTask ? ((CurrentTask) hook).comm() : Thread.currentThread().getName();
        byte[] name = comm.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(name.length, Math.min(TASK_COMM_LEN, size) - 1);
        for (int i = 0; i < name.length && i < length; i++) {
            if (name[i] == 0) {
                length = i;
            }
        }
        int at = buffer.base() + (int) r1;
        System.arraycopy(name, 0, buffer.bytes(), at, length);
        Arrays.fill(buffer.bytes(), at + length, at + size, (byte) 0);
        return 0;
    }
}

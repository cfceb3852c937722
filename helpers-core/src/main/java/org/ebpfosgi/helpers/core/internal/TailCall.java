package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.ANYTHING;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_CTX;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP_OF_PROGRAMS;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.map.ProgramArrayMap;
import org.osgi.service.component.annotations.Component;

/**
 * {@code long bpf_tail_call(void *ctx, void *prog_array_map, u32 index)}: if the slot holds a program and
 * the chain is under the engine's limit, asks the engine to jump to it when this call returns (0);
 * otherwise the program goes on with -ENOENT (empty slot or index out of range) or -E2BIG (tail-call
 * limit reached). Linux's prototype returns nothing (RET_VOID), so verified programs never read r0.
 */
@Component(service = Helper.class)
public final class TailCall extends CoreHelper {
    public TailCall() {
        super(12, "bpf_tail_call", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_CTX, PTR_TO_MAP_OF_PROGRAMS, ANYTHING));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        ProgramArrayMap programs = context.memory().handle(r2, ProgramArrayMap.class);
        long index = Registers.u32(r3);
        Object program = index < programs.definition().maxEntries() ? programs.program((int) index) : null;
        if (program == null) {
            return Errno.fail(Errno.ENOENT);
        }
        return context.requestTailCall(program) ? 0 : Errno.fail(Errno.E2BIG);
    }
}

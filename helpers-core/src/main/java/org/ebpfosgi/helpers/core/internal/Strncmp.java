package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.ANYTHING;
import static org.ebpfosgi.api.helper.ArgKind.CONST_SIZE;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_READABLE_MEM;

import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.osgi.service.component.annotations.Component;

/**
 * {@code long bpf_strncmp(const char *s1, u32 s1_sz, const char *s2)}: the kernel's strncmp of at most
 * s1_sz bytes, as unsigned chars: -1, 0 or 1. Linux types s2 as {@code ARG_PTR_TO_CONST_STR}, which the API
 * lacks: s2 is checked here byte by byte, and reading past its region fails the run.
 */
@Component(service = Helper.class)
public final class Strncmp extends CoreHelper {
    public Strncmp() {
        super(182, "bpf_strncmp", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_READABLE_MEM, CONST_SIZE, ANYTHING));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        Memory memory = context.memory();
        int n = Registers.size(r2);
        Region s1 = memory.region(r1, n, false);
        Region s2 = memory.region(r3, 0, false);
        byte[] b1 = s1.bytes();
        byte[] b2 = s2.bytes();
        int i1 = s1.base() + (int) r1;
        int i2 = s2.base() + (int) r3;
        long available2 = s2.length() - (r3 & 0xFFFF_FFFFL);
        for (int k = 0; k < n; k++) {
            if (k == available2) {
                memory.region(r3 + k, 1, false);
            }
            int c1 = b1[i1 + k] & 0xFF;
            int c2 = b2[i2 + k] & 0xFF;
            if (c1 != c2) {
                return c1 < c2 ? -1 : 1;
            }
            if (c1 == 0) {
                break;
            }
        }
        return 0;
    }
}

package org.ebpfosgi.test.helper;

import org.ebpfosgi.api.helper.ArgKind;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.osgi.service.component.annotations.Component;

/**
 * A third-party helper as a bundle would ship it: resolved by name (kfunc style), so it never
 * collides with Linux helper ids. {@code ebpfosgi_test_add(a, b)} returns {@code a + b}.
 */
@Component(service = Helper.class)
public final class AddHelper implements Helper {
    private static final HelperPrototype PROTOTYPE = HelperPrototype.of(ReturnKind.INTEGER, ArgKind.ANYTHING, ArgKind.ANYTHING);

    @Override
    public int id() {
        return UNNUMBERED;
    }

    @Override
    public String name() {
        return "ebpfosgi_test_add";
    }

    @Override
    public HelperPrototype prototype() {
        return PROTOTYPE;
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        return r1 + r2;
    }
}

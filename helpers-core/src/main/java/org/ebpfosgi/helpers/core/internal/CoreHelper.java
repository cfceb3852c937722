package org.ebpfosgi.helpers.core.internal;

import java.util.Objects;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperPrototype;

/** The identity every core helper shares: Linux id, C name and verifier prototype, fixed at construction. */
abstract class CoreHelper implements Helper {
    private final int id;
    private final String name;
    private final HelperPrototype prototype;

    CoreHelper(int id, String name, HelperPrototype prototype) {
        this.id = id;
        this.name = Objects.requireNonNull(name);
        this.prototype = Objects.requireNonNull(prototype);
    }

    @Override
    public final int id() {
        return id;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final HelperPrototype prototype() {
        return prototype;
    }

    @Override
    public final String toString() {
        return name + (id == UNNUMBERED ? "" : " (#" + id + ")") + ": " + prototype;
    }
}

package org.ebpfosgi.api.helper;

import java.util.List;
import java.util.Objects;

/**
 * The signature the verifier checks a helper call against, as data: up to five argument kinds and
 * a return kind. {@code reallocatesPacket} marks helpers (adjust_head, ...) after which packet
 * pointers are invalid.
 */
public final class HelperPrototype {
    private final ReturnKind returns;
    private final List<ArgKind> args;
    private final boolean reallocatesPacket;

    private HelperPrototype(ReturnKind returns, List<ArgKind> args, boolean reallocatesPacket) {
        if (args.size() > 5) {
            throw new IllegalArgumentException("at most 5 arguments, got " + args.size());
        }
        this.returns = Objects.requireNonNull(returns);
        this.args = List.copyOf(args);
        this.reallocatesPacket = reallocatesPacket;
    }

    public static HelperPrototype of(ReturnKind returns, ArgKind... args) {
        return new HelperPrototype(returns, List.of(args), false);
    }

    /** This prototype, marked as invalidating packet pointers. */
    public HelperPrototype reallocatingPacket() {
        return new HelperPrototype(returns, args, true);
    }

    public ReturnKind returns() { return returns; }
    public List<ArgKind> args() { return args; }
    public boolean reallocatesPacket() { return reallocatesPacket; }

    @Override
    public String toString() {
        return returns + " " + args;
    }
}

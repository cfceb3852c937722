package org.ebpfosgi.isa;

/** A malformed instruction sequence; {@link #index()} is the offending instruction slot (0-based). */
public final class InvalidProgramException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int index;
    private final String reason;

    public InvalidProgramException(int index, String reason) {
        super("instruction " + index + ": " + reason);
        this.index = index;
        this.reason = reason;
    }

    /** The slot of the offending instruction (for lddw, its first slot unless the second half is at fault). */
    public int index() {
        return index;
    }

    /** The message without the slot prefix. */
    public String reason() {
        return reason;
    }
}

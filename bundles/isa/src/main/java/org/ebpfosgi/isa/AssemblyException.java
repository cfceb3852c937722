package org.ebpfosgi.isa;

/** Assembly text that cannot be encoded; {@link #line()} is 1-based (0 when the error concerns no single line). */
public final class AssemblyException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final String reason;

    public AssemblyException(int line, String reason) {
        super(line > 0 ? "line " + line + ": " + reason : reason);
        this.line = line;
        this.reason = reason;
    }

    public int line() {
        return line;
    }

    /** The message without the line prefix. */
    public String reason() {
        return reason;
    }
}

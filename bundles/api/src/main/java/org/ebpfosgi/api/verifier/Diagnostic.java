package org.ebpfosgi.api.verifier;

/** One finding: the instruction label (index, or "index (kind)") and the failed condition, PREVAIL style. */
public final class Diagnostic {
    public enum Severity { ERROR, WARNING }

    private final Severity severity;
    private final int pc;
    private final String label;
    private final String message;

    public Diagnostic(Severity severity, int pc, String label, String message) {
        this.severity = severity;
        this.pc = pc;
        this.label = label;
        this.message = message;
    }

    public Severity severity() { return severity; }
    public int pc() { return pc; }
    public String label() { return label; }
    public String message() { return message; }

    @Override
    public String toString() {
        return label + ": " + message;
    }
}

package org.ebpfosgi.api.engine;

/** A run that was aborted: names the instruction index where it stopped and why. */
public final class ExecutionException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int pc;

    public ExecutionException(int pc, String message, Throwable cause) {
        super(pc >= 0 ? "instruction " + pc + ": " + message : message, cause);
        this.pc = pc;
    }

    /** The instruction index, or -1 if unknown. */
    public int pc() { return pc; }
}

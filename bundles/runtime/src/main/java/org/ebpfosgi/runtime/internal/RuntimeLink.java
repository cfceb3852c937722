package org.ebpfosgi.runtime.internal;

import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.program.ProgramSlot;
import org.ebpfosgi.api.program.ProgramTypeProvider;
import org.ebpfosgi.api.runtime.Link;
import org.ebpfosgi.api.runtime.Program;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An attachment. The hook holds this link as its {@link ProgramSlot} and asks it for the program on
 * each event, so replacing the program is one volatile write: each event runs the old or the new one.
 */
final class RuntimeLink implements Link, ProgramSlot {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeLink.class);
    private final int id;
    private final String programType;
    private final String attachPoint;
    private volatile LoadedProgram program;
    private volatile AutoCloseable attachment;
    private volatile boolean closed;
    private final DefaultRuntime runtime;

    RuntimeLink(int id, LoadedProgram program, String attachPoint, DefaultRuntime runtime) {
        this.id = id;
        this.program = program;
        this.programType = program.programType();
        this.attachPoint = attachPoint;
        this.runtime = runtime;
    }

    /** Attaches through the hook; a failure leaves the link detached and is thrown. */
    synchronized void attachTo(ProgramTypeProvider hook) throws Exception {
        if (closed || attachment != null) {
            return;
        }
        attachment = hook.attach(attachPoint, this);
    }

    /**
     * The hook's service went away: the link stays, detached, until it returns. The old attachment is
     * closed (best effort: the hook may be half gone), and a hook that kept the slot gets no program.
     */
    void hookGone() {
        AutoCloseable old;
        synchronized (this) {
            old = attachment;
            attachment = null;
        }
        closeQuietly(old);
    }

    private void closeQuietly(AutoCloseable old) {
        if (old != null) {
            try {
                old.close();
            } catch (Exception | LinkageError e) {
                LOG.debug("link {}: closing the attachment of a departed hook failed: {}", id, e.toString());
            }
        }
    }

    @Override public int id() { return id; }
    @Override public Program program() { return program; }
    @Override public String programType() { return programType; }
    @Override public String attachPoint() { return attachPoint; }
    @Override public State state() { return attachment != null && !closed ? State.ATTACHED : State.DETACHED; }

    @Override
    public ExecutableProgram current() {
        return closed || attachment == null ? null : program.executable();
    }

    @Override
    public void recordAbort(Throwable cause) {
        program.recordAbort();
    }

    @Override
    public void replace(Program replacement) {
        if (!(replacement instanceof LoadedProgram) || !runtime.owns((LoadedProgram) replacement)) {
            throw new IllegalArgumentException("not a program of this runtime: " + replacement);
        }
        if (!replacement.programType().equals(programType)) {
            throw new IllegalArgumentException("program " + replacement.name() + " is of type " + replacement.programType()
                    + ", the link needs " + programType);
        }
        program = (LoadedProgram) replacement;
    }

    @Override
    public void close() {
        AutoCloseable current;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            current = attachment;
            attachment = null;
        }
        if (current != null) {
            try {
                current.close();
            } catch (Exception e) {
                LOG.warn("detaching link {} from {} failed: {}", id, attachPoint, e.toString());
            }
        }
        runtime.forget(this);
    }

    @Override
    public String toString() {
        return id + ": " + programType + " " + attachPoint + " prog " + program.id() + " (" + state().name().toLowerCase() + ")";
    }
}

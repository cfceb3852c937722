package org.ebpfosgi.interpreter;

import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionEngine;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.interpreter.internal.InterpretedProgram;
import org.ebpfosgi.interpreter.machine.ProgramCode;
import org.osgi.service.component.annotations.Component;

/**
 * The reference interpreter, registered as the {@code interpreter} execution engine. Loading checks
 * and predecodes the instructions once (an invalid program is refused with the instruction set's
 * {@link org.ebpfosgi.isa.InvalidProgramException} naming the instruction); runs need no allocation per
 * instruction. Conventions for maps, helpers, code addresses and calls are in the package documentation.
 */
@Component(service = ExecutionEngine.class)
public final class InterpreterEngine implements ExecutionEngine {
    /** The engine name. */
    public static final String NAME = "interpreter";
    /**
     * Backward jumps and calls an unverified program may take in one run: far more than a bounded
     * program needs (Linux caps bpf_loop at 8M iterations), and only seconds of looping otherwise.
     */
    public static final long DEFAULT_BUDGET = 100_000_000L;

    private final long budget;

    /** An engine with {@link #DEFAULT_BUDGET}. */
    public InterpreterEngine() {
        this(DEFAULT_BUDGET);
    }

    /** An engine whose unverified programs may take {@code budget} backward jumps and calls per run. */
    public InterpreterEngine(long budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("budget " + budget);
        }
        this.budget = budget;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ExecutableProgram load(ProgramImage image, boolean verified) {
        return new InterpretedProgram(ProgramCode.of(image), verified ? Long.MAX_VALUE : budget);
    }
}

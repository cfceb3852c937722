package org.ebpfosgi.jit;

import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionEngine;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.interpreter.InterpreterEngine;
import org.ebpfosgi.interpreter.machine.ProgramCode;
import org.ebpfosgi.jit.internal.JitCompiler;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JIT, registered as the {@code jit} execution engine with a higher ranking than the interpreter,
 * so the runtime prefers it. It compiles each program to a hidden JVM class ({@link JitCompiler}) that
 * runs on the interpreter's machine: the same checked code, run state, memory and helper conventions,
 * so results are the interpreter's by construction and every access stays bounds-checked.
 *
 * <p>A function too large for a method HotSpot compiles (8000 bytes of bytecode) would run in the
 * JVM's bytecode interpreter, slower than the eBPF interpreter; such a program is handed to the
 * interpreter instead, and the log says so.
 */
@Component(service = ExecutionEngine.class, property = ExecutionEngine.RANKING_HINT + ":Integer=10")
public final class JitEngine implements ExecutionEngine {
    /** The engine name. */
    public static final String NAME = "jit";

    private final long budget;

    /** An engine with the interpreter's default budget for unverified programs. */
    public JitEngine() {
        this(InterpreterEngine.DEFAULT_BUDGET);
    }

    /** An engine whose unverified programs may take {@code budget} backward jumps and calls per run. */
    public JitEngine(long budget) {
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
        ProgramCode code = ProgramCode.of(image);
        long runBudget = verified ? Long.MAX_VALUE : budget;
        try {
            return JitCompiler.compile(code, runBudget);
        } catch (JitCompiler.TooLargeException e) {
            Log.LOG.info("{}; running it on the interpreter", e.getMessage());
            return new InterpreterEngine(budget).load(image, verified);
        }
    }

    /** Created on first use: the plugin entry point runs without a logging backend and should not warn about it. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(JitEngine.class);
    }
}

package org.ebpfosgi.interpreter.machine;

import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.program.ProgramImage;

/**
 * A program of an engine built on this machine: checked {@link ProgramCode} and a {@link RunState}
 * per thread, whose {@link Memory} holds the stack and the program's maps as persistent entries, so a
 * run maps only what the hook adds (context, packet). The interpreter and the JIT differ only in
 * {@link #execute}; through it a run state calls back into program code (helper callbacks) and hands
 * a tail call to the next program, whichever of these engines made it.
 */
public abstract class MachineProgram implements ExecutableProgram {
    private final ProgramCode code;
    private final long budget;
    private final ThreadLocal<RunState> states = ThreadLocal.withInitial(this::newState);
    /**
     * The state of the thread that ran this program last. A hook usually runs a program on one thread
     * at a time, and this spares it two thread-local lookups per run (a third of a minimal run). Read
     * racily: a state is used only by the thread it belongs to.
     */
    private RunState recent;
    private volatile boolean closed;

    /**
     * {@code budget}: how many backward jumps and calls one run may take before it is aborted
     * ({@link Long#MAX_VALUE} for a verified program, whose termination is proven).
     */
    protected MachineProgram(ProgramCode code, long budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("budget " + budget);
        }
        this.code = code;
        this.budget = budget;
    }

    /** The checked code. */
    public final ProgramCode code() {
        return code;
    }

    /**
     * Runs the code from instruction {@code pc} (a function entry: instruction 0, a local-call target
     * or a code address) in call frame {@code depth}, with r1..r5, and answers r0 at its exit. Failures
     * leave as {@link ExecutionException} naming the instruction.
     */
    public abstract long execute(RunState state, int pc, int depth, long r1, long r2, long r3, long r4, long r5);

    private RunState newState() {
        return new RunState(this, new Memory(), true);
    }

    /** The calling thread's own state. */
    private RunState state() {
        RunState s = recent;
        if (s != null && s.thread == Thread.currentThread()) {
            return s;
        }
        s = states.get();
        recent = s;
        return s;
    }

    @Override
    public final ProgramImage image() {
        return code.image;
    }

    @Override
    public final Memory memory() {
        RunState state = state();
        if (state.busy) {
            // Asked from inside a run of this program on this thread: resetting would pull the run's regions away.
            return new Memory();
        }
        state.memory.reset();
        return state.memory;
    }

    @Override
    public final long run(Memory memory, long r1, long r2, Object hookContext) {
        if (closed) {
            throw new ExecutionException(-1, "program '" + code.image.name() + "' is closed", null);
        }
        RunState state = state();
        if (state.memory != memory || state.busy) {
            // Someone else's address space, or a run nested in a run of this program on this thread.
            try {
                state = new RunState(this, memory, false);
            } catch (RuntimeException e) {
                throw new ExecutionException(-1, "cannot prepare the address space: " + e.getMessage(), e);
            }
        }
        state.begin(this, hookContext, budget, r1, r2);
        try {
            return execute(state, 0, 0, r1, r2, 0, 0, 0);
        } catch (RunState.LegacyPacketExit e) {
            return 0;
        } finally {
            state.end();
        }
    }

    @Override
    public void close() {
        closed = true;
        recent = null;
    }
}

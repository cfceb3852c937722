package org.ebpfosgi.interpreter.internal;

import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.program.ProgramImage;

/**
 * A program the interpreter runs. Each thread gets its own {@link Memory} with the stack and the
 * program's maps as persistent entries, so a run maps only what the hook adds (context, packet).
 */
public final class InterpretedProgram implements ExecutableProgram {
    final ProgramCode code;
    private final long budget;
    private final ThreadLocal<RunState> states = ThreadLocal.withInitial(this::newState);
    private volatile boolean closed;

    /**
     * {@code budget}: how many backward jumps and calls one run may take before it is aborted
     * ({@link Long#MAX_VALUE} for a verified program, whose termination is proven).
     */
    public InterpretedProgram(ProgramCode code, long budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("budget " + budget);
        }
        this.code = code;
        this.budget = budget;
    }

    private RunState newState() {
        return new RunState(this, new Memory(), true);
    }

    @Override
    public ProgramImage image() {
        return code.image;
    }

    @Override
    public Memory memory() {
        RunState state = states.get();
        if (state.busy) {
            // Asked from inside a run of this program on this thread: resetting would pull the run's regions away.
            return new Memory();
        }
        state.memory.reset();
        return state.memory;
    }

    @Override
    public long run(Memory memory, long r1, long r2, Object hookContext) {
        if (closed) {
            throw new ExecutionException(-1, "program '" + code.image.name() + "' is closed", null);
        }
        RunState state = states.get();
        if (state.memory != memory || state.busy) {
            // Someone else's address space, or a run nested in a run of this program on this thread.
            try {
                state = new RunState(this, memory, false);
            } catch (RuntimeException e) {
                throw new ExecutionException(-1, "cannot prepare the address space: " + e.getMessage(), e);
            }
        }
        state.begin(hookContext, budget, r1, r2);
        try {
            return Interpreter.execute(state, this, 0, 0, r1, r2, 0, 0, 0);
        } catch (RunState.LegacyPacketExit e) {
            return 0;
        } finally {
            state.end();
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "interpreted program '" + code.image.name() + "' (" + code.raw.length + " instructions)";
    }
}

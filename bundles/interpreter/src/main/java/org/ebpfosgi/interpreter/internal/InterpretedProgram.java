package org.ebpfosgi.interpreter.internal;

import org.ebpfosgi.interpreter.machine.MachineProgram;
import org.ebpfosgi.interpreter.machine.ProgramCode;
import org.ebpfosgi.interpreter.machine.RunState;

/** A program the interpreter runs: the machine's program whose code runs by {@link Interpreter}. */
public final class InterpretedProgram extends MachineProgram {
    final ProgramCode code;

    /**
     * {@code budget}: how many backward jumps and calls one run may take before it is aborted
     * ({@link Long#MAX_VALUE} for a verified program, whose termination is proven).
     */
    public InterpretedProgram(ProgramCode code, long budget) {
        super(code, budget);
        this.code = code;
    }

    @Override
    public long execute(RunState state, int pc, int depth, long r1, long r2, long r3, long r4, long r5) {
        return Interpreter.execute(state, this, pc, depth, r1, r2, r3, r4, r5);
    }

    @Override
    public String toString() {
        return "interpreted program '" + code.image.name() + "' (" + code.raw.length + " instructions)";
    }
}

package org.ebpfosgi.interpreter.internal;

import org.ebpfosgi.interpreter.machine.MachineProgram;
import org.ebpfosgi.interpreter.machine.ProgramCode;
import org.ebpfosgi.interpreter.machine.RunState;

/** A program the interpreter runs: the machine's program whose code runs by {@link Interpreter}. */
public final class InterpretedProgram extends MachineProgram {
    final ProgramCode code;
    /** The loop this program runs on: the shared one until it is hot, then a copy of its own ({@link Loops}). */
    private Loop loop = Interpreter.SHARED;
    /** Runs counted up to {@link Loops#HOT_RUNS}; unsynchronized, an estimate is enough. */
    private int runs;

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
        Loop l = loop;
        if (runs < Loops.HOT_RUNS && ++runs == Loops.HOT_RUNS) {
            l = loop = Loops.copyFor(this);
        }
        if (l == Interpreter.SHARED) { // a call of its own: the interface call below then sees only copies
            return Interpreter.execute(state, this, pc, depth, r1, r2, r3, r4, r5);
        }
        return l.interpret(state, this, pc, depth, r1, r2, r3, r4, r5);
    }

    /** Gives this program a loop of its own now (tests; {@link #execute} does it once the program is hot). */
    void useOwnLoop() {
        runs = Math.max(runs, Loops.HOT_RUNS);
        loop = Loops.copyFor(this);
    }

    /** The loop this program runs on. */
    Loop loop() {
        return loop;
    }

    @Override
    public String toString() {
        return "interpreted program '" + code.image.name() + "' (" + code.raw.length + " instructions)";
    }
}

package org.ebpfosgi.interpreter.internal;

import org.ebpfosgi.interpreter.machine.RunState;

/** An instruction loop: {@link Interpreter} itself, or a copy of it that one program has for itself ({@link Loops}). */
interface Loop {
    /** Runs {@code program} from {@code pc} at frame {@code baseDepth} and answers r0 at the matching exit. */
    long interpret(RunState s, InterpretedProgram program, int pc, int baseDepth, long r1, long r2, long r3, long r4, long r5);
}

package org.ebpfosgi.jit.internal;

import org.ebpfosgi.interpreter.machine.RunState;

/** What {@link JitCompiler} generates for a program: its functions, entered by instruction index. */
public interface CompiledCode {
    /**
     * Runs the function starting at instruction {@code pc} with r1..r5 and frame pointer {@code r10}
     * and answers r0; a {@code pc} that is no function entry fails the run.
     */
    long call(RunState s, int pc, long r1, long r2, long r3, long r4, long r5, long r10);
}

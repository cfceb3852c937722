package org.ebpfosgi.jit.internal;

import org.ebpfosgi.interpreter.machine.MachineProgram;
import org.ebpfosgi.interpreter.machine.ProgramCode;
import org.ebpfosgi.interpreter.machine.RunState;

/**
 * A program compiled to JVM bytecode. It runs on the same machine as the interpreter (run state,
 * memory, helpers, tail calls), so the two engines share every convention; only instruction
 * dispatch differs. The generated class is a hidden class: it is unloaded once this program is
 * unreachable.
 */
public final class JitProgram extends MachineProgram {
    private final CompiledCode compiled;
    private final int bytecodeSize;

    JitProgram(ProgramCode code, long budget, CompiledCode compiled, int bytecodeSize) {
        super(code, budget);
        this.compiled = compiled;
        this.bytecodeSize = bytecodeSize;
    }

    @Override
    public long execute(RunState state, int pc, int depth, long r1, long r2, long r3, long r4, long r5) {
        state.depth = depth;
        long r10 = state.stackBase + RunState.STACK_SIZE - (long) depth * RunState.FRAME_SIZE;
        return compiled.call(state, pc, r1, r2, r3, r4, r5, r10);
    }

    /** Bytes of JVM bytecode generated for the program (all methods). */
    public int bytecodeSize() {
        return bytecodeSize;
    }

    @Override
    public String toString() {
        return "compiled program '" + image().name() + "' (" + code().raw.length + " instructions, "
                + bytecodeSize + " bytes of bytecode)";
    }
}

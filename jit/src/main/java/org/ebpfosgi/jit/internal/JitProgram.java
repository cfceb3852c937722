package org.ebpfosgi.jit.internal;

import org.ebpfosgi.api.engine.ExecutionException;
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
    /** Null once closed: run states parked in other threads' thread-locals must not keep the class alive. */
    private CompiledCode compiled;
    private final int bytecodeSize;
    private final int inlinedLookups;

    JitProgram(ProgramCode code, long budget, CompiledCode compiled, int bytecodeSize, int inlinedLookups) {
        super(code, budget);
        this.compiled = compiled;
        this.bytecodeSize = bytecodeSize;
        this.inlinedLookups = inlinedLookups;
    }

    @Override
    public long execute(RunState state, int pc, int depth, long r1, long r2, long r3, long r4, long r5) {
        state.depth = depth;
        long r10 = state.stackBase + RunState.STACK_SIZE - (long) depth * RunState.FRAME_SIZE;
        CompiledCode code = compiled;
        if (code == null) {
            throw new ExecutionException(-1, "program '" + image().name() + "' is closed", null);
        }
        return code.call(state, pc, r1, r2, r3, r4, r5, r10);
    }

    /** The generated hidden class, or null once closed; it is unloaded once nothing runs it. */
    public Class<?> generatedClass() {
        CompiledCode code = compiled;
        return code != null ? code.getClass() : null;
    }

    /** Bytes of JVM bytecode generated for the program's functions. */
    public int bytecodeSize() {
        return bytecodeSize;
    }

    /** Calls of {@code bpf_map_lookup_elem} compiled inline (counted per function that contains them). */
    public int inlinedLookups() {
        return inlinedLookups;
    }

    @Override
    public void close() {
        super.close();
        compiled = null;
    }

    @Override
    public String toString() {
        return "compiled program '" + image().name() + "' (" + code().raw.length + " instructions, "
                + bytecodeSize + " bytes of bytecode)";
    }
}

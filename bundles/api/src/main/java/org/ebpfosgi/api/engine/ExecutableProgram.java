package org.ebpfosgi.api.engine;

import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.program.ProgramImage;

/**
 * A program an engine made runnable. A hook runs an event like this:
 * <pre>
 * Memory m = program.memory();            // this thread's address space, reset
 * long ctx = m.map(contextRegion);
 * long verdict = program.run(m, ctx, 0, event);
 * </pre>
 */
public interface ExecutableProgram {
    ProgramImage image();

    /** The calling thread's address space for this program, reset, with the program's maps in place. */
    Memory memory();

    /**
     * Runs the program once with r1, r2 (the conformance convention: memory pointer and length) and
     * returns r0. A memory fault, a helper failure or an exhausted budget throws
     * {@link ExecutionException}; nothing else escapes.
     */
    long run(Memory memory, long r1, long r2, Object hookContext);

    /** Releases generated code and per-thread state. */
    default void close() { }
}

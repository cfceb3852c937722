package org.ebpfosgi.api.program;

import org.ebpfosgi.api.engine.ExecutableProgram;

/**
 * What a hook holds for an attachment: the program to run for each event. The runtime replaces the
 * program behind it atomically, so every event runs either the old or the new program, never a mix.
 */
public interface ProgramSlot {
    /** The program to run now, or null while detached. */
    ExecutableProgram current();

    /** Counts one aborted run (memory fault, budget) against the attached program. */
    void recordAbort(Throwable cause);
}

package org.ebpfosgi.api.helper;

import org.ebpfosgi.api.memory.Memory;

/** What a helper sees of the run that calls it. */
public interface HelperContext {
    /** The address space of this run: resolves pointer arguments and maps returned regions. */
    Memory memory();

    /** The name of the calling program (for logs such as trace_printk). */
    String programName();

    /** The hook's own per-event object (an XDP frame, a bind request), or null in a test run. */
    Object hookContext();

    /**
     * Calls subprogram {@code codeAddress} (a {@code lddw src=4} value) with r1..r5 and returns its r0:
     * how callback helpers such as {@code bpf_loop} run program code.
     */
    long callFunction(long codeAddress, long r1, long r2, long r3, long r4, long r5);

    /**
     * Asks the engine to replace the running program with {@code program} when this helper returns
     * ({@code bpf_tail_call}); returns false if the tail-call limit is reached.
     */
    boolean requestTailCall(Object program);

    /**
     * Runs {@code cleanup} when this run ends, normally or aborted, on the run's thread: how a helper
     * releases what a run left behind (a ring buffer reservation never submitted), so an aborted or
     * buggy program cannot wedge a resource for everyone else.
     */
    void atRunEnd(Runnable cleanup);
}

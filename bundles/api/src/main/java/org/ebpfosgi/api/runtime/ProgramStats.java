package org.ebpfosgi.api.runtime;

/** Counters of one program since it was loaded. */
public final class ProgramStats {
    private final long runCount;
    private final long runTimeNanos;
    private final long abortCount;

    public ProgramStats(long runCount, long runTimeNanos, long abortCount) {
        this.runCount = runCount;
        this.runTimeNanos = runTimeNanos;
        this.abortCount = abortCount;
    }

    public long runCount() { return runCount; }
    public long runTimeNanos() { return runTimeNanos; }
    public long abortCount() { return abortCount; }
}

package org.ebpfosgi.api.runtime;

/** The outcome of a test run (BPF_PROG_TEST_RUN): last r0, mean duration per run, data out. */
public final class TestRunResult {
    private final long returnValue;
    private final long durationNanos;
    private final byte[] dataOut;

    public TestRunResult(long returnValue, long durationNanos, byte[] dataOut) {
        this.returnValue = returnValue;
        this.durationNanos = durationNanos;
        this.dataOut = dataOut.clone();
    }

    public long returnValue() { return returnValue; }
    public long durationNanos() { return durationNanos; }
    public byte[] dataOut() { return dataOut.clone(); }
}

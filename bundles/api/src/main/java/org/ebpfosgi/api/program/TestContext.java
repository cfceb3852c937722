package org.ebpfosgi.api.program;

/** A context built by a program type for a test run (BPF_PROG_TEST_RUN): r1 and the data written back. */
public interface TestContext {
    /** The value of r1 for the run. */
    long contextAddress();

    /** The packet (or context) bytes after the run, as the program left them. */
    byte[] dataOut();
}

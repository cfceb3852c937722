package org.ebpfosgi.api.runtime;

import org.ebpfosgi.api.engine.ExecutableProgram;

/** A loaded program. */
public interface Program {
    int id();
    String name();
    String programType();
    /** e.g. {@code loaded}, {@code waiting for helper bpf_foo}; shown by {@code prog show}. */
    String status();
    ProgramStats stats();
    /** The runnable form, or null while a helper it needs is missing. */
    ExecutableProgram executable();
    /** Runs {@code repeat} times on the given data/context; the data out is that of the last run. */
    TestRunResult testRun(byte[] dataIn, byte[] contextIn, int repeat);
}

package org.ebpfosgi.runtime.internal;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionEngine;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.api.program.ProgramTypeProvider;
import org.ebpfosgi.api.program.TestContext;
import org.ebpfosgi.api.runtime.Program;
import org.ebpfosgi.api.runtime.ProgramStats;
import org.ebpfosgi.api.runtime.TestRunResult;

/**
 * A program the runtime loaded. Its runnable form exists while every helper it calls is registered;
 * when one goes, the program waits (status says which) and comes back when the helper returns.
 */
final class LoadedProgram implements Program {
    private final int id;
    private final String name;
    private final String programType;
    private final ProgramImage unresolved;
    private final List<Integer> helperIds;
    private final List<String> helperNames;
    private final boolean verified;
    /** The image (helpers included) the verifier last proved safe, and whether it proved termination too. */
    private volatile ProgramImage proven;
    private volatile boolean terminationProven;
    private final LongAdder runs = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final LongAdder aborts = new LongAdder();
    private final DefaultRuntime runtime;
    private volatile CountingProgram executable;
    private volatile String status;

    LoadedProgram(int id, String name, String programType, ProgramImage unresolved, List<Integer> helperIds,
                  List<String> helperNames, boolean verified, DefaultRuntime runtime) {
        this.id = id;
        this.name = name;
        this.programType = programType;
        this.unresolved = unresolved;
        this.helperIds = List.copyOf(helperIds);
        this.helperNames = List.copyOf(helperNames);
        this.verified = verified;
        this.runtime = runtime;
    }

    ProgramImage unresolvedImage() { return unresolved; }
    List<Integer> helperIds() { return helperIds; }
    List<String> helperNames() { return helperNames; }
    boolean verified() { return verified; }
    /** The verifier proved every run ends; otherwise the engine keeps the instruction budget. */
    boolean terminationProven() { return terminationProven; }
    ProgramImage proven() { return proven; }

    void proven(ProgramImage image, boolean terminates) {
        this.proven = image;
        this.terminationProven = terminates;
    }

    /** Installs a new runnable form (or none, with the reason), replacing the previous one atomically. */
    synchronized void install(ExecutableProgram engineProgram, String newStatus) {
        CountingProgram old = executable;
        executable = engineProgram == null ? null : new CountingProgram(engineProgram, runs, nanos, aborts);
        status = newStatus;
        if (old != null) {
            old.close();
        }
    }

    void recordAbort() {
        aborts.increment();
    }

    @Override public int id() { return id; }
    @Override public String name() { return name; }
    @Override public String programType() { return programType; }
    @Override public String status() { return status; }
    @Override public ProgramStats stats() { return CountingProgram.stats(runs, nanos, aborts); }
    @Override public ExecutableProgram executable() { return executable; }

    @Override
    public TestRunResult testRun(byte[] dataIn, byte[] contextIn, int repeat) {
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, got " + repeat);
        }
        ExecutableProgram program = executable;
        if (program == null) {
            throw new IllegalStateException("program " + id + " (" + name + ") cannot run: " + status);
        }
        Memory memory = program.memory();
        ProgramTypeProvider provider = runtime.programTypeProvider(programType);
        TestContext context = provider != null
                ? provider.testContext(memory, dataIn, contextIn)
                : GenericTestContext.build(memory, unresolved.context(), dataIn, contextIn);
        long r0 = 0;
        long start = System.nanoTime();
        for (int i = 0; i < repeat; i++) {
            r0 = program.run(memory, context.contextAddress(), 0, null);
        }
        long duration = (System.nanoTime() - start) / repeat;
        return new TestRunResult(r0, duration, context.dataOut());
    }

    @Override
    public String toString() {
        return id + ": " + programType + " name " + name + " (" + status + ")";
    }
}

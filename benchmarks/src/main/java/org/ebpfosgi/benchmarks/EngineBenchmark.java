package org.ebpfosgi.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionEngine;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.interpreter.InterpreterEngine;
import org.ebpfosgi.jit.JitEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One run of a benchmark program on an execution engine (the interpreter or the JIT), the way a hook
 * runs it: take the thread's address space, map the 1500-byte input, run with r1 = input and r2 = its
 * length. Programs are loaded as verified (the bench programs terminate), so neither engine charges
 * an instruction budget.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineBenchmark {
    @Param({"fnv1a", "inet_csum", "bubble_sort", "collatz", "parse_udp", "nop"})
    public String program;

    @Param({"interpreter", "jit"})
    public String engine;

    private ExecutableProgram executable;
    private byte[] input;

    @Setup
    public void setup() throws IOException {
        ExecutionEngine e = engine.equals(JitEngine.NAME) ? new JitEngine() : new InterpreterEngine();
        executable = e.load(ProgramImage.of(program, BenchPrograms.program(program)), true);
        if (!executable.getClass().getSimpleName().toLowerCase().contains(engine.equals(JitEngine.NAME) ? "jit" : "interpreted")) {
            throw new IllegalStateException(program + " did not load on " + engine + ": " + executable);
        }
        input = BenchPrograms.input();
        long expected = BenchPrograms.facts().get(program).expectedR0();
        long r0 = run();
        if (r0 != expected) {
            throw new IllegalStateException(program + ": r0 0x" + Long.toHexString(r0) + ", expected 0x" + Long.toHexString(expected));
        }
    }

    @Benchmark
    public long run() {
        Memory memory = executable.memory();
        long r1 = memory.map(Region.of(Region.Kind.MEMORY, "input", input));
        return executable.run(memory, r1, input.length, null);
    }
}

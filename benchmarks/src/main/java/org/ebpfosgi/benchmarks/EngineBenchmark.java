package org.ebpfosgi.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.ebpfosgi.api.engine.ExecutableProgram;
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
        input = BenchPrograms.input();
        executable = BenchPrograms.load(engine, program, input);
    }

    @Benchmark
    public long run() {
        return BenchPrograms.run(executable, input);
    }
}

package org.ebpfosgi.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.interpreter.InterpreterEngine;

/**
 * The engine benchmark's operation (a run the way a hook runs it) timed on the thread's CPU time
 * rather than the wall clock, so that time other processes take from the cores is left out: this
 * machine is shared, and JMH's wall-clock figures drift 20-40% between runs. Each round runs every
 * program for about 0.1 s; the first rounds are warm-up, the best of the others is printed, in ns
 * per executed eBPF instruction. With several programs the rounds interleave them in one JVM, so the
 * engine is compiled for all of them, as where several programs share it ({@code bin/bench-cpu}
 * runs one JVM per program, as JMH does).
 * <p>
 * {@code CpuTimeBench [--engine interpreter|jit] [--rounds N] program...}
 */
public final class CpuTimeBench {
    private static final int WARMUP_ROUNDS = 4;

    private CpuTimeBench() {
    }

    public static void main(String[] args) throws IOException {
        String engine = InterpreterEngine.NAME;
        int rounds = 14;
        List<String> programs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--engine" -> engine = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> programs.add(args[i]);
            }
        }
        if (programs.isEmpty() || rounds <= WARMUP_ROUNDS) {
            System.err.println("usage: CpuTimeBench [--engine interpreter|jit] [--rounds N > " + WARMUP_ROUNDS + "] program...");
            System.exit(2);
        }
        byte[] input = BenchPrograms.input();
        int n = programs.size();
        ExecutableProgram[] executables = new ExecutableProgram[n];
        long[] instructions = new long[n];
        for (int k = 0; k < n; k++) {
            executables[k] = BenchPrograms.load(engine, programs.get(k), input);
            instructions[k] = BenchPrograms.facts().get(programs.get(k)).dynamicInstructions();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] best = new double[n];
        Arrays.fill(best, Double.MAX_VALUE);
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < n; k++) {
                int runs = (int) Math.max(200, 100_000_000L / (Math.max(1, instructions[k]) * 4));
                long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < runs; i++) {
                    sink += BenchPrograms.run(executables[k], input);
                }
                double ns = (threads.getCurrentThreadCpuTime() - start) / (double) runs / Math.max(1, instructions[k]);
                if (round >= WARMUP_ROUNDS) {
                    best[k] = Math.min(best[k], ns);
                }
            }
        }
        for (int k = 0; k < n; k++) {
            System.out.printf(Locale.ROOT, "%s %s %.2f%n", engine, programs.get(k), best[k]);
        }
        if (sink == 42) {
            System.out.println(); // keeps the runs observable
        }
    }
}

package org.ebpfosgi.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.interpreter.InterpreterEngine;
import org.ebpfosgi.isa.Assembler;

/**
 * What one kind of instruction costs an engine: a loop whose body is that instruction 20 times,
 * 1,000 iterations per run, timed on the thread's CPU time like {@link CpuTimeBench} (best of the
 * rounds after warm-up), in ns per executed instruction (the loop's own two instructions included).
 * r1 points to a 64-byte input (the packet loads), r10-8 holds a stored value (the stack loads).
 * Each kind should run in a JVM of its own, as {@code bin/bench-cpu --instructions} does: one JVM for
 * all of them compiles the interpreter's loop for all of them. Meant for the interpreter: on the JIT,
 * C2 removes most of the repeated work, and what is left is mostly the loop.
 * <p>
 * {@code InstructionCostBench [--engine interpreter|jit] [kind...]}, no kind: all, in this JVM;
 * {@code --list} prints the kinds.
 */
public final class InstructionCostBench {
    private static final int REPEAT = 20;
    private static final int ITERATIONS = 1_000;
    private static final int RUNS = 3_000;
    private static final int ROUNDS = 12;
    private static final int WARMUP_ROUNDS = 4;

    /** The kinds, by name: the one instruction each loop body repeats. */
    static final Map<String, String> KINDS = kinds();

    private InstructionCostBench() {
    }

    private static Map<String, String> kinds() {
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put("mov32-reg", "mov32 %r7, %r6");             // no dependency between instances: the bare dispatch
        kinds.put("add64-imm", "add %r7, 3");                 // each depends on the one before
        kinds.put("xor32-reg", "xor32 %r7, %r6");
        kinds.put("ldxb-packet", "ldxb %r7, [%r1+2]");
        kinds.put("ldxh-packet", "ldxh %r7, [%r1+2]");
        kinds.put("ldxw-packet", "ldxw %r7, [%r1+4]");
        kinds.put("ldxw-stack", "ldxw %r7, [%r10-8]");
        kinds.put("stxw-stack", "stxw [%r10-8], %r7");
        kinds.put("jeq32-not-taken", "jeq32 %r7, 99, +0");
        kinds.put("jne-taken", "jne %r7, 99, +0");
        return kinds;
    }

    /** The loop program for {@code body}: 4 set-up instructions, 1,000 x (20 x body + 2), 2 to exit. */
    static long[] program(String body) {
        StringBuilder text = new StringBuilder("mov %r9, " + ITERATIONS + "\nmov %r6, 5\nmov %r7, 1\nstxdw [%r10-8], %r7\nloop:\n");
        for (int i = 0; i < REPEAT; i++) {
            text.append(body).append('\n');
        }
        text.append("sub %r9, 1\njne %r9, 0, loop\nmov %r0, %r7\nexit\n");
        return Assembler.assemble(text.toString());
    }

    static long executedInstructions() {
        return 4 + (long) ITERATIONS * (REPEAT + 2) + 2;
    }

    public static void main(String[] args) {
        String engine = InterpreterEngine.NAME;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--list")) {
                System.out.println(String.join(" ", KINDS.keySet()));
                return;
            } else if (args[i].equals("--engine")) {
                engine = args[++i];
            } else if (KINDS.containsKey(args[i])) {
                names.add(args[i]);
            } else {
                System.err.println("InstructionCostBench: unknown kind '" + args[i] + "'; kinds: " + String.join(" ", KINDS.keySet()));
                System.exit(2);
            }
        }
        if (names.isEmpty()) {
            names.addAll(KINDS.keySet());
        }
        byte[] input = new byte[64];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (String name : names) {
            ExecutableProgram program = BenchPrograms.load(engine, ProgramImage.of(name, program(KINDS.get(name))));
            double best = Double.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++) {
                long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < RUNS; i++) {
                    sink += BenchPrograms.run(program, input);
                }
                double ns = (threads.getCurrentThreadCpuTime() - start) / (double) RUNS / executedInstructions();
                if (round >= WARMUP_ROUNDS) {
                    best = Math.min(best, ns);
                }
            }
            System.out.printf(Locale.ROOT, "%s %s %.2f%n", engine, name, best);
        }
        if (sink == 42) {
            System.out.println(); // keeps the runs observable
        }
    }
}

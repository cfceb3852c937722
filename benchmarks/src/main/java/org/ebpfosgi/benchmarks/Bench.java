package org.ebpfosgi.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;

/**
 * What {@code bin/bench} runs: JMH with the given arguments, then a table of ns per run and ns per
 * executed eBPF instruction (dynamic counts from {@code ../shared/bench/README.md}) beside the
 * README's reference figures. Without a benchmark pattern it runs {@link EngineBenchmark} only
 * (both engines unless {@code -p engine=...}). With {@code --calibrate}, {@link NativeClock} gauges the
 * clock before and after, and the table adds ns per instruction scaled to the clock of the machine the
 * README's figures come from: the column to compare with them.
 * Listing or help arguments go to JMH's own main.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> jmhArgs = new ArrayList<>(Arrays.asList(args));
        boolean calibrate = jmhArgs.remove("--calibrate");
        NativeClock before = calibrate ? NativeClock.measure() : null;
        Collection<RunResult> results = JmhRuns.run(jmhArgs.toArray(String[]::new), EngineBenchmark.class.getSimpleName());
        if (results == null) {
            return;
        }
        NativeClock clock = null;
        if (calibrate) {
            System.out.println();
            clock = NativeClock.report(System.out, before, NativeClock.measure());
        }
        Map<String, BenchPrograms.Facts> facts = BenchPrograms.facts();
        Map<String, BenchPrograms.Reference> references = BenchPrograms.references();
        System.out.println();
        System.out.println("| engine | program | ns/op (± 99.9%) | ns/insn |" + (clock != null ? " ns/insn at the README's clock |" : "")
                + " C interpreter ns/op | C JIT ns/op | native ns/op (clang / gcc) |");
        System.out.println("|---|---|---|---|" + (clock != null ? "---|" : "") + "---|---|---|");
        for (RunResult result : results) {
            String program = result.getParams().getParam("program");
            if (!result.getParams().getBenchmark().startsWith(EngineBenchmark.class.getName() + ".")
                    || !facts.containsKey(program)) {
                continue; // another module's benchmark: JMH's report above has it
            }
            double score = result.getPrimaryResult().getScore();
            double error = result.getPrimaryResult().getScoreError();
            BenchPrograms.Facts f = facts.get(program);
            BenchPrograms.Reference r = references.get(program);
            double perInstruction = score / f.dynamicInstructions();
            String scaled = clock != null ? String.format(Locale.ROOT, " %.2f |", perInstruction * clock.factor()) : "";
            System.out.printf(Locale.ROOT, "| %s | %s | %,.1f (± %,.1f) | %.2f |%s %s | %s | %s / %s |%n", result.getParams().getParam("engine"), program, score, Double.isNaN(error) ? 0 : error,
                    perInstruction, scaled, r == null ? "" : r.interpreter(), r == null ? "" : r.jit(),
                    r == null ? "" : r.clang(), r == null ? "" : r.gcc());
        }
    }
}

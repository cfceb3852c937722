package org.ebpfosgi.benchmarks;

import java.util.Collection;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;

/**
 * What {@code bin/bench} runs: JMH with the given arguments, then a table of ns per run and ns per
 * executed eBPF instruction (dynamic counts from {@code ../shared/bench/README.md}) beside the
 * README's reference figures. Without a benchmark pattern it runs {@link EngineBenchmark} only
 * (both engines unless {@code -p engine=...}).
 * Listing or help arguments go to JMH's own main.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = JmhRuns.run(args, EngineBenchmark.class.getSimpleName());
        if (results == null) {
            return;
        }
        Map<String, BenchPrograms.Facts> facts = BenchPrograms.facts();
        Map<String, BenchPrograms.Reference> references = BenchPrograms.references();
        System.out.println();
        System.out.println("| engine | program | ns/op (± 99.9%) | ns/insn | C interpreter ns/op | C JIT ns/op | native ns/op (clang / gcc) |");
        System.out.println("|---|---|---|---|---|---|---|");
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
            System.out.printf("| %s | %s | %,.1f (± %,.1f) | %.2f | %s | %s | %s / %s |%n", result.getParams().getParam("engine"), program, score, Double.isNaN(error) ? 0 : error,
                    score / f.dynamicInstructions(), r == null ? "" : r.interpreter(), r == null ? "" : r.jit(),
                    r == null ? "" : r.clang(), r == null ? "" : r.gcc());
        }
    }
}

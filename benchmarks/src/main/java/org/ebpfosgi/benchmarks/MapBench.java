package org.ebpfosgi.benchmarks;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;

/**
 * What {@code bin/bench-maps} runs: JMH on {@link MapBenchmark} and {@link MapProgramBenchmark} (or the
 * benchmarks the arguments name, such as {@link HelperLookupBenchmark}), then tables of ns per operation:
 * from Java (map calls and the lookup helper), and from a program as ns
 * per loop iteration and the call's share (iteration minus the same loop without the call). Listing or
 * help arguments go to JMH's own main.
 */
public final class MapBench {
    private static final String DEFAULT_INCLUDE = "org\\.ebpfosgi\\.benchmarks\\.Map(Program)?Benchmark\\.";

    private MapBench() {
    }

    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = JmhRuns.run(args, DEFAULT_INCLUDE);
        if (results == null) {
            return;
        }
        printJava(results);
        printPrograms(results);
    }

    private static void printJava(Collection<RunResult> results) {
        StringBuilder out = new StringBuilder();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            boolean mapOperation = label.contains(".MapBenchmark.")
                    && (label.endsWith(".lookup") || label.endsWith(".lookupRegion") || label.endsWith(".update"));
            if (!mapOperation && !label.contains(".HelperLookupBenchmark.")) {
                continue;
            }
            out.append(String.format("| %s | %s | %s | %s |%n", r.getParams().getParam("type"), r.getParams().getParam("entries"),
                    label.substring(label.lastIndexOf('.') + 1), score(r)));
        }
        if (out.length() > 0) {
            System.out.println();
            System.out.println("From Java (one operation per op):");
            System.out.println("| map | entries | operation | ns/op (± 99.9%) |");
            System.out.println("|---|---|---|---|");
            System.out.print(out);
        }
    }

    private static void printPrograms(Collection<RunResult> results) {
        Map<String, Double> scores = new HashMap<>();
        StringBuilder out = new StringBuilder();
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().contains(".MapProgramBenchmark.")) {
                scores.put(r.getParams().getParam("engine") + "/" + r.getParams().getParam("type") + "/" + r.getParams().getParam("entries")
                        + "/" + r.getParams().getParam("variant"),
                        r.getPrimaryResult().getScore());
            }
        }
        int n = MapProgramBenchmark.CALLS;
        for (RunResult r : results) {
            if (!r.getParams().getBenchmark().contains(".MapProgramBenchmark.")) {
                continue;
            }
            String engine = r.getParams().getParam("engine");
            String type = r.getParams().getParam("type");
            String entries = r.getParams().getParam("entries");
            String variant = r.getParams().getParam("variant");
            double score = r.getPrimaryResult().getScore();
            String share = "";
            if (!variant.endsWith("_nocall")) {
                Double base = scores.get(engine + "/" + type + "/" + entries + "/" + variant + "_nocall");
                share = base == null ? "" : String.format("%,.1f", (score - base) / n);
            }
            out.append(String.format("| %s | %s | %s | %s | %s | %,.1f | %s |%n", engine, type, entries, variant, score(r), score / n, share));
        }
        if (out.length() > 0) {
            System.out.println();
            System.out.println("From a program (" + n + " iterations per op):");
            System.out.println("| engine | map | entries | variant | ns/op (± 99.9%) | ns per iteration | ns per call (minus nocall) |");
            System.out.println("|---|---|---|---|---|---|---|");
            System.out.print(out);
        }
    }

    private static String score(RunResult r) {
        double error = r.getPrimaryResult().getScoreError();
        return String.format("%,.1f (± %,.1f)", r.getPrimaryResult().getScore(), Double.isNaN(error) ? 0 : error);
    }
}

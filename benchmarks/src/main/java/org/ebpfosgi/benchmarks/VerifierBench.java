package org.ebpfosgi.benchmarks;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.ebpfosgi.api.verifier.Diagnostic;
import org.ebpfosgi.api.verifier.VerificationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * What {@code bin/bench-verifier} runs: JMH on {@link VerifierBenchmark} (or the benchmarks the arguments
 * name), then a table per program of instruction slots, ms per verification, bytes allocated per
 * verification (with {@code -prof gc}), this verifier's verdict and PREVAIL's figures, and each rejected
 * program's findings. Listing or help arguments go to JMH's own main.
 */
public final class VerifierBench {
    private static final String DEFAULT_INCLUDE = "org\\.ebpfosgi\\.benchmarks\\.VerifierBenchmark\\.";
    private static final String ALLOCATION = "gc.alloc.rate.norm";

    private VerifierBench() {
    }

    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = JmhRuns.run(args, DEFAULT_INCLUDE);
        if (results == null) {
            return;
        }
        Map<String, VerifierFixtures.Prevail> prevail = VerifierFixtures.prevail();
        StringBuilder table = new StringBuilder();
        StringBuilder findings = new StringBuilder();
        for (RunResult r : results) {
            if (!r.getParams().getBenchmark().startsWith(VerifierBenchmark.class.getName() + ".")) {
                continue;
            }
            String key = r.getParams().getParam("program");
            VerifierFixtures.Prepared prepared = VerifierFixtures.prepare(key);
            VerificationResult ours = prepared.viaRuntime();
            VerifierFixtures.Prevail theirs = prevail.get(key);
            table.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s |%n", key.replace("|", " `") + "`",
                    prepared.image().length(), score(r), allocation(r), verdict(ours),
                    theirs == null ? "" : theirs.cpuSeconds(), theirs == null ? "" : String.format("%,d", Long.parseLong(theirs.peakRssKb())),
                    theirs == null ? "" : theirs.verdict() + (theirs.firstError().isEmpty() ? "" : ": " + theirs.firstError())));
            if (!ours.accepted()) {
                findings.append(key).append(": ").append(ours.diagnostics().size()).append(" findings at ")
                        .append(labels(ours)).append('\n');
            }
        }
        if (table.length() > 0) {
            System.out.println();
            System.out.println("| program | insns | ms per verification (± 99.9%) | allocated per verification | our verdict | PREVAIL cpu s | PREVAIL peak RSS KB | PREVAIL verdict |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            System.out.print(table);
            System.out.println();
            System.out.print(findings);
        }
    }

    private static String score(RunResult r) {
        double error = r.getPrimaryResult().getScoreError();
        return String.format("%,.2f (± %,.2f)", r.getPrimaryResult().getScore(), Double.isNaN(error) ? 0 : error);
    }

    /** Bytes per operation from JMH's gc profiler, whatever prefix its JMH version gives the key. */
    private static String allocation(RunResult r) {
        for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith(ALLOCATION)) {
                double bytes = e.getValue().getScore();
                return bytes >= 1e6 ? String.format("%,.1f MB", bytes / 1e6) : String.format("%,.0f KB", bytes / 1e3);
            }
        }
        return "(run with -prof gc)";
    }

    private static String verdict(VerificationResult r) {
        if (r.accepted()) {
            return "accepted" + (r.terminationProven() ? ", terminates" : "");
        }
        long errors = r.diagnostics().stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).count();
        Diagnostic first = r.diagnostics().stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).findFirst()
                .orElse(r.diagnostics().get(0));
        String message = first.message().length() > 90 ? first.message().substring(0, 87) + "..." : first.message();
        return "rejected, " + errors + " unproven; first " + first.label() + ": " + message.replace("|", "\\|");
    }

    private static String labels(VerificationResult r) {
        Set<String> labels = new LinkedHashSet<>();
        for (Diagnostic d : r.diagnostics()) {
            labels.add(d.label() + (d.severity() == Diagnostic.Severity.WARNING ? " (warning)" : ""));
        }
        return String.join(", ", labels);
    }
}

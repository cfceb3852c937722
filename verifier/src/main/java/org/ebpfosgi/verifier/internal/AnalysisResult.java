package org.ebpfosgi.verifier.internal;

import java.util.List;
import java.util.Set;

import org.ebpfosgi.api.verifier.Diagnostic;

/**
 * What the analysis found: every failed safety condition, whether an exit is reachable, and the state
 * at the exits in PREVAIL's constraint language.
 */
public record AnalysisResult(List<Diagnostic> diagnostics, boolean exitReachable, Set<String> exitConstraints,
                             boolean terminates) {
    public AnalysisResult {
        diagnostics = List.copyOf(diagnostics);
        exitConstraints = Set.copyOf(exitConstraints);
    }

    public AnalysisResult(List<Diagnostic> diagnostics, boolean exitReachable, Set<String> exitConstraints) {
        this(diagnostics, exitReachable, exitConstraints, false);
    }

    /** No error: every safety condition was proven (warnings may remain). */
    public boolean safe() {
        return diagnostics.stream().noneMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
    }
}

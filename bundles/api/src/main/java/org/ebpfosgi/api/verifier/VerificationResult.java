package org.ebpfosgi.api.verifier;

import java.util.List;

/** The verifier's answer: accepted or not, every finding, and a human-readable report. */
public final class VerificationResult {
    private final boolean accepted;
    private final List<Diagnostic> diagnostics;
    private final String report;

    public VerificationResult(boolean accepted, List<Diagnostic> diagnostics, String report) {
        this.accepted = accepted;
        this.diagnostics = List.copyOf(diagnostics);
        this.report = report;
    }

    public boolean accepted() { return accepted; }
    public List<Diagnostic> diagnostics() { return diagnostics; }
    public String report() { return report; }
}

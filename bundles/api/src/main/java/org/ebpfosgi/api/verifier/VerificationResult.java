package org.ebpfosgi.api.verifier;

import java.util.List;

/** The verifier's answer: accepted or not, every finding, and a human-readable report. */
public final class VerificationResult {
    private final boolean accepted;
    private final List<Diagnostic> diagnostics;
    private final String report;
    private final boolean terminationProven;

    /** A result that proves nothing about termination: engines keep the instruction budget. */
    public VerificationResult(boolean accepted, List<Diagnostic> diagnostics, String report) {
        this(accepted, diagnostics, report, false);
    }

    /**
     * @param terminationProven every run ends within a bounded number of instructions, so engines may
     *     drop the instruction budget
     */
    public VerificationResult(boolean accepted, List<Diagnostic> diagnostics, String report, boolean terminationProven) {
        this.accepted = accepted;
        this.diagnostics = List.copyOf(diagnostics);
        this.report = report;
        this.terminationProven = terminationProven;
    }

    public boolean accepted() { return accepted; }
    public List<Diagnostic> diagnostics() { return diagnostics; }
    public String report() { return report; }
    /** Whether every run provably ends; if not, the runtime keeps the instruction budget even for an accepted program. */
    public boolean terminationProven() { return terminationProven; }
}

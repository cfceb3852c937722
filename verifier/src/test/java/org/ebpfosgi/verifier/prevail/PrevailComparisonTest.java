package org.ebpfosgi.verifier.prevail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ebpfosgi.api.verifier.Diagnostic;
import org.ebpfosgi.api.verifier.Diagnostic.Severity;
import org.junit.jupiter.api.Test;

final class PrevailComparisonTest {
    private static PrevailCase prevailCase(List<String> post, List<String> messages) {
        return new PrevailCase("t.yaml", "case", List.of(), List.of(), "<start>:\nexit\n", post, messages, false,
                null);
    }

    private static Diagnostic error(String label, String message) {
        return new Diagnostic(Severity.ERROR, 0, label, message);
    }

    @Test
    void splitsLabelsThatContainColons() {
        assertEquals("Code becomes unreachable (assume r3 >= 100)",
                PrevailComparison.messageText("0/11:12: Code becomes unreachable (assume r3 >= 100)"));
        assertEquals("Loop counter is too large (pc[1] < 100000)",
                PrevailComparison.messageText("1 (counter): Loop counter is too large (pc[1] < 100000)"));
        assertEquals("too many call stack frames", PrevailComparison.messageText("too many call stack frames"));
    }

    @Test
    void unreachableNotesAndObservationFindingsAreNotErrors() {
        assertTrue(PrevailComparison.isNote("2:3: Code becomes unreachable (assume r6 >= r7)"));
        assertTrue(PrevailComparison.isObservationFinding("exit: observation entailed failed at post"));
        assertTrue(PrevailComparison.isError("4: Upper bound must be at most packet_size (valid_access(r1.offset,"
                + " width=8) for write)"));
        assertTrue(PrevailComparison.isError("too many call stack frames"));
        assertFalse(PrevailComparison.expectsRejection(
                prevailCase(List.of("_|_"), List.of("0: Code becomes unreachable (assume r1 < 0)"))));
        assertTrue(PrevailComparison.expectsRejection(
                prevailCase(List.of("_|_"), List.of("0: Code becomes unreachable (assume r1 < 0)",
                        "1: Invalid type (r1.type == number)"))));
    }

    @Test
    void exactNeedsSamePostAndMessages() {
        PrevailCase c = prevailCase(List.of("r0.type=number", "r0.svalue=1"), List.of());
        CaseOutcome same = PrevailComparison.compare(c, List.of(), true, Set.of("r0.svalue=1", "r0.type=number"));
        assertEquals(Agreement.EXACT, same.agreement());
        assertEquals("", same.detail());

        CaseOutcome weaker = PrevailComparison.compare(c, List.of(), true, Set.of("r0.type=number"));
        assertEquals(Agreement.VERDICT, weaker.agreement());
        assertEquals("post missing [r0.svalue=1]", weaker.detail());

        CaseOutcome unreachable = PrevailComparison.compare(c, List.of(), false, Set.of());
        assertEquals(Agreement.VERDICT, unreachable.agreement());

        CaseOutcome warned = PrevailComparison.compare(c,
                List.of(new Diagnostic(Severity.WARNING, 0, "0", "something")), true, Set.copyOf(c.post()));
        assertEquals(Agreement.VERDICT, warned.agreement(), "a warning does not change the verdict");
        assertEquals("messages extra [0: something]", warned.detail());
    }

    @Test
    void bottomPostMatchesAnUnreachableExit() {
        PrevailCase c = prevailCase(List.of("_|_"), List.of("1: Invalid type (r1.type == number)"));
        CaseOutcome exact = PrevailComparison.compare(c, List.of(error("1", "Invalid type (r1.type == number)")),
                false, Set.of());
        assertEquals(Agreement.EXACT, exact.agreement());
        assertFalse(exact.acceptedButPrevailRejects());

        CaseOutcome otherMessage = PrevailComparison.compare(c, List.of(error("1", "Invalid size")), false, Set.of());
        assertEquals(Agreement.VERDICT, otherMessage.agreement());

        CaseOutcome accepted = PrevailComparison.compare(c, List.of(), true, Set.of("r0.type=number"));
        assertEquals(Agreement.NONE, accepted.agreement());
        assertTrue(accepted.acceptedButPrevailRejects());
        assertTrue(accepted.detail().startsWith("PREVAIL rejects, we accept"), accepted.detail());
    }

    @Test
    void rejectingWhatPrevailAcceptsIsAPrecisionLossNotASoundnessOne() {
        PrevailCase c = prevailCase(List.of("r0.type=number"), List.of());
        CaseOutcome outcome = PrevailComparison.compare(c, List.of(error("", "too many call stack frames")), true,
                Set.of("r0.type=number"));
        assertEquals(Agreement.NONE, outcome.agreement());
        assertTrue(outcome.rejectedButPrevailAccepts());
        assertEquals("PREVAIL accepts, we reject; messages extra [too many call stack frames]", outcome.detail());
    }

    @Test
    void unrunnableCasesAreErrorsAndNeverSoundnessFindings() {
        PrevailCase c = prevailCase(List.of("_|_"), List.of("1: Invalid type (r1.type == number)"));
        CaseOutcome outcome = CaseOutcome.error(c, CaseOutcome.ErrorKind.ASSEMBLY, "unknown instruction");
        assertEquals(Agreement.ERROR, outcome.agreement());
        assertTrue(outcome.prevailRejects());
        assertFalse(outcome.acceptedButPrevailRejects());
    }

    @Test
    void baselineRoundTripsAndRejectsMalformedLines() {
        PrevailCase a = prevailCase(List.of(), List.of());
        PrevailCase b = new PrevailCase("t.yaml", "name: with colon #2", List.of(), List.of(), "", List.of(),
                List.of(), false, null);
        List<String> lines = PrevailBaseline.format(List.of(
                new CaseOutcome(a, Agreement.VERDICT, false, false, null, "x"),
                CaseOutcome.error(b, CaseOutcome.ErrorKind.UNSUPPORTED_PRECONDITION, "y")));
        assertEquals(Map.of("t.yaml: case", Agreement.VERDICT, "t.yaml: name: with colon #2", Agreement.ERROR),
                PrevailBaseline.parse(lines));
        assertThrows(IllegalArgumentException.class, () -> PrevailBaseline.parse(List.of("BEST\tt.yaml: case")));
        assertThrows(IllegalArgumentException.class, () -> PrevailBaseline.parse(List.of("EXACT t.yaml: case")));
        assertThrows(IllegalArgumentException.class,
                () -> PrevailBaseline.parse(List.of("EXACT\tt.yaml: a", "NONE\tt.yaml: a")));
    }

    @Test
    void summaryCountsLevelsAndListsSoundnessFindings() {
        PrevailCase rejected = prevailCase(List.of("_|_"), List.of("1: Invalid type (r1.type == number)"));
        CaseOutcome accepted = PrevailComparison.compare(rejected, List.of(), true, Set.of());
        CaseOutcome exact = PrevailComparison.compare(prevailCase(List.of(), List.of()), List.of(), true, Set.of());
        String summary = PrevailSummary.render(List.of(accepted, exact), Map.of("t.yaml: case", Agreement.VERDICT),
                true);
        assertTrue(summary.contains("SOUNDNESS: accepted, PREVAIL rejects: 1"), summary);
        assertTrue(summary.contains("accepted, PREVAIL rejects: t.yaml: case expected [1: Invalid type"), summary);
        assertTrue(summary.matches("(?s).*\\ball\\s+2\\s+1\\s+0\\s+1\\s+0\\n.*"), summary);
    }
}

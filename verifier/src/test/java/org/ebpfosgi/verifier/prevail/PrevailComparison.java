package org.ebpfosgi.verifier.prevail;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.ebpfosgi.api.verifier.Diagnostic;

/**
 * Compares our verifier's result on a case with what PREVAIL expects.
 *
 * <p>Which expected messages are errors: PREVAIL's YAML {@code messages} list everything its checker reports, errors
 * and notes alike. The data shows that {@code "Code becomes unreachable (assume ...)"} is a note, not a failure: 71
 * cases expect it with an unreachable exit and nothing else, and 10 with a reachable exit and matching
 * constraints (an always-false branch). Such programs are not rejected. Messages about PREVAIL {@code observe}
 * assertions ({@code "observation ... failed at ..."}) judge the test's own assertions, not the program, and our
 * verifier has no observations: they are left out of both the verdict and the exact comparison. Every other message
 * (invalid type, bounds, division by zero under {@code !allow_division_by_zero}, loop counter under
 * {@code termination}, recursion, bad map index, ...) is an error: PREVAIL rejects the program.
 *
 * <p>On our side, the verdict is "reject" when at least one diagnostic has severity {@code ERROR}; warnings are
 * compared as messages only. Under PREVAIL's {@code termination} option, our warning that a loop's termination is not
 * proven counts as a rejection too: that is what the option asks PREVAIL to reject.
 */
final class PrevailComparison {
    private static final String UNREACHABLE_NOTE = "Code becomes unreachable";
    private static final String OBSERVATION_PREFIX = "observation ";

    private PrevailComparison() {
    }

    /** The text after PREVAIL's label ({@code "2:3: text"}, {@code "1 (counter): text"}); labels may hold ':'. */
    static String messageText(String message) {
        int separator = message.indexOf(": ");
        return separator < 0 ? message : message.substring(separator + 2);
    }

    static boolean isNote(String message) {
        return messageText(message).startsWith(UNREACHABLE_NOTE);
    }

    static boolean isObservationFinding(String message) {
        String text = messageText(message);
        return text.startsWith(OBSERVATION_PREFIX) && text.contains(" failed at ");
    }

    static boolean isError(String message) {
        return !isNote(message) && !isObservationFinding(message);
    }

    static boolean expectsRejection(PrevailCase prevailCase) {
        return prevailCase.messages().stream().anyMatch(PrevailComparison::isError);
    }

    /** PREVAIL's spelling of a diagnostic: {@code "label: message"}, or the bare message when it has no label. */
    static String format(Diagnostic diagnostic) {
        String label = diagnostic.label();
        return label == null || label.isEmpty() ? diagnostic.message() : label + ": " + diagnostic.message();
    }

    static CaseOutcome compare(PrevailCase prevailCase, List<Diagnostic> diagnostics, boolean exitReachable,
            Set<String> exitConstraints) {
        boolean prevailRejects = expectsRejection(prevailCase);
        boolean termination = prevailCase.options().contains("termination");
        boolean weReject = diagnostics.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR
                || termination && d.message().startsWith("termination of the loop starting here is not proven"));
        List<String> differences = new ArrayList<>();
        if (prevailRejects != weReject) {
            differences.add(prevailRejects ? "PREVAIL rejects, we accept" : "PREVAIL accepts, we reject");
        }

        if (prevailCase.expectsUnreachableExit()) {
            if (exitReachable) {
                differences.add("exit: PREVAIL unreachable (_|_), ours reachable with " + new TreeSet<>(exitConstraints));
            }
        } else if (!exitReachable) {
            differences.add("exit: ours unreachable (_|_), PREVAIL expects " + new TreeSet<>(prevailCase.post()));
        } else {
            describeSetDifference("post", new TreeSet<>(prevailCase.post()), new TreeSet<>(exitConstraints),
                    differences);
        }

        List<String> expectedMessages = prevailCase.messages().stream()
                .filter(m -> !isObservationFinding(m)).sorted().toList();
        List<String> ourMessages = diagnostics.stream().map(PrevailComparison::format).sorted().toList();
        if (!expectedMessages.equals(ourMessages)) {
            describeSetDifference("messages", new TreeSet<>(expectedMessages), new TreeSet<>(ourMessages),
                    differences);
            if (new TreeSet<>(expectedMessages).equals(new TreeSet<>(ourMessages))) {
                differences.add("messages: same set, different multiplicity " + ourMessages);
            }
        }

        Agreement agreement = prevailRejects != weReject ? Agreement.NONE
                : differences.isEmpty() ? Agreement.EXACT : Agreement.VERDICT;
        return new CaseOutcome(prevailCase, agreement, prevailRejects, weReject, null, String.join("; ", differences));
    }

    private static void describeSetDifference(String what, Set<String> expected, Set<String> ours,
            List<String> differences) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(ours);
        Set<String> extra = new TreeSet<>(ours);
        extra.removeAll(expected);
        if (!missing.isEmpty()) {
            differences.add(what + " missing " + missing);
        }
        if (!extra.isEmpty()) {
            differences.add(what + " extra " + extra);
        }
    }
}

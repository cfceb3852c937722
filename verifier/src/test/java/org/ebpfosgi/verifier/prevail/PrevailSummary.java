package org.ebpfosgi.verifier.prevail;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Renders the suite's counts, the soundness list and the per-case differences, for the lead to read. */
final class PrevailSummary {
    /** Separates an error's cause from its case-specific context (line numbers, source text) in a detail. */
    static final String CONTEXT_SEPARATOR = " -- ";

    private PrevailSummary() {
    }

    /**
     * @param outcomes one per case, in case order
     * @param baseline the checked-in levels (empty when rebaselining from nothing)
     * @param full     whether to list every case that is not EXACT with its differences (the file) or only the
     *                 counts and the soundness list (the console)
     */
    static String render(List<CaseOutcome> outcomes, Map<String, Agreement> baseline, boolean full) {
        StringBuilder out = new StringBuilder();
        Map<PrevailCase.Group, List<CaseOutcome>> byGroup = groupBy(outcomes, o -> o.prevailCase().group());
        out.append("PREVAIL YAML suite: ").append(outcomes.size()).append(" cases");
        byGroup.forEach((group, list) -> out.append(", ").append(list.size()).append(' ').append(group));
        out.append('\n');
        out.append(String.format("%-28s %6s %6s %6s %6s %6s%n", "", "cases", "EXACT", "VERDICT", "NONE", "ERROR"));
        row(out, "all", outcomes);
        byGroup.forEach((group, list) -> row(out, "  " + group, list));
        out.append("by file:\n");
        groupBy(outcomes, o -> o.prevailCase().file()).forEach((file, list) -> row(out, "  " + file, list));

        List<CaseOutcome> errors = outcomes.stream().filter(o -> o.agreement() == Agreement.ERROR).toList();
        Map<CaseOutcome.ErrorKind, List<CaseOutcome>> byKind = new EnumMap<>(CaseOutcome.ErrorKind.class);
        errors.forEach(o -> byKind.computeIfAbsent(o.errorKind(), k -> new ArrayList<>()).add(o));
        out.append("ERROR causes:");
        byKind.forEach((kind, list) -> out.append(' ').append(kind).append(' ').append(list.size()));
        out.append('\n');
        byKind.forEach((kind, list) -> {
            // Distinct causes, most frequent first: an assembler gap or an unknown precondition usually repeats.
            Map<String, Long> causes = list.stream().collect(Collectors.groupingBy(
                    o -> cause(o.detail()), TreeMap::new, Collectors.counting()));
            causes.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(full ? Long.MAX_VALUE : 15)
                    .forEach(e -> out.append(String.format("  %-26s %4d x %s%n", kind, e.getValue(), e.getKey())));
        });

        List<CaseOutcome> unsound = outcomes.stream().filter(CaseOutcome::acceptedButPrevailRejects).toList();
        out.append("SOUNDNESS: accepted, PREVAIL rejects: ").append(unsound.size());
        long underOptions = unsound.stream().filter(o -> !o.prevailCase().options().isEmpty()).count();
        if (underOptions > 0) {
            out.append(" (").append(underOptions).append(" of them under PREVAIL options)");
        }
        out.append('\n');
        for (CaseOutcome o : unsound) {
            out.append("  accepted, PREVAIL rejects: ").append(o.prevailCase().id());
            if (!o.prevailCase().options().isEmpty()) {
                out.append(" [options ").append(o.prevailCase().options()).append(']');
            }
            out.append(" expected ").append(o.prevailCase().messages().stream()
                    .filter(PrevailComparison::isError).toList()).append('\n');
        }
        long imprecise = outcomes.stream().filter(CaseOutcome::rejectedButPrevailAccepts).count();
        out.append("precision: rejected, PREVAIL accepts: ").append(imprecise).append('\n');

        if (!baseline.isEmpty()) {
            long improved = 0;
            long regressed = 0;
            long added = 0;
            for (CaseOutcome o : outcomes) {
                Agreement before = baseline.get(o.prevailCase().id());
                if (before == null) {
                    added++;
                } else if (o.agreement().compareTo(before) > 0) {
                    improved++;
                } else if (o.agreement().compareTo(before) < 0) {
                    regressed++;
                }
            }
            long stale = baseline.keySet().stream()
                    .filter(id -> outcomes.stream().noneMatch(o -> o.prevailCase().id().equals(id))).count();
            out.append(String.format("vs baseline: improved %d, regressed %d, not in baseline %d, stale entries %d%n",
                    improved, regressed, added, stale));
        }

        if (full) {
            out.append("\nevery case below EXACT:\n");
            for (CaseOutcome o : outcomes) {
                if (o.agreement() != Agreement.EXACT) {
                    out.append(o.agreement()).append('\t').append(o.prevailCase().id()).append("\n\t")
                            .append(o.detail()).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** The part of an error detail before {@link #CONTEXT_SEPARATOR}: what several cases may share. */
    private static String cause(String detail) {
        int separator = detail.indexOf(CONTEXT_SEPARATOR);
        String cause = separator < 0 ? detail : detail.substring(0, separator);
        return cause.length() > 160 ? cause.substring(0, 160) + "..." : cause;
    }

    private static void row(StringBuilder out, String title, List<CaseOutcome> list) {
        Map<Agreement, Long> counts = list.stream()
                .collect(Collectors.groupingBy(CaseOutcome::agreement, () -> new EnumMap<>(Agreement.class),
                        Collectors.counting()));
        out.append(String.format("%-28s %6d %6d %6d %6d %6d%n", title, list.size(),
                counts.getOrDefault(Agreement.EXACT, 0L), counts.getOrDefault(Agreement.VERDICT, 0L),
                counts.getOrDefault(Agreement.NONE, 0L), counts.getOrDefault(Agreement.ERROR, 0L)));
    }

    private static <K> Map<K, List<CaseOutcome>> groupBy(List<CaseOutcome> outcomes,
            Function<CaseOutcome, K> key) {
        Map<K, List<CaseOutcome>> groups = new LinkedHashMap<>();
        outcomes.forEach(o -> groups.computeIfAbsent(key.apply(o), k -> new ArrayList<>()).add(o));
        return groups;
    }
}

package org.ebpfosgi.verifier.prevail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checked-in record of the agreement level each case reached: one line {@code LEVEL<TAB>file: case name} per
 * case (level first, because case names may contain any character but a tab or line break), '#' starts a comment.
 */
final class PrevailBaseline {
    static final String RESOURCE = "prevail-baseline.txt";
    static final String REBASELINE_PROPERTY = "ebpf.prevail.rebaseline";

    private PrevailBaseline() {
    }

    /** @throws IllegalArgumentException naming the line, for a line that is neither a comment nor an entry */
    static Map<String, Agreement> parse(List<String> lines) {
        Map<String, Agreement> levels = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab < 0) {
                throw new IllegalArgumentException(RESOURCE + " line " + (i + 1) + ": no tab in '" + line + "'");
            }
            Agreement level;
            try {
                level = Agreement.valueOf(line.substring(0, tab));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(RESOURCE + " line " + (i + 1) + ": unknown level '"
                        + line.substring(0, tab) + "'", e);
            }
            String id = line.substring(tab + 1);
            if (levels.put(id, level) != null) {
                throw new IllegalArgumentException(RESOURCE + " line " + (i + 1) + ": duplicate case '" + id + "'");
            }
        }
        return levels;
    }

    static List<String> format(List<CaseOutcome> outcomes) {
        List<String> lines = new ArrayList<>();
        lines.add("# PREVAIL YAML suite baseline: the agreement level each case reached (EXACT > VERDICT > NONE > ERROR).");
        lines.add("# PrevailYamlSuiteTest fails when a case does worse. Regenerate after an improvement with");
        lines.add("#   mvn -o -B -pl verifier test -Dtest=PrevailYamlSuiteTest -D" + REBASELINE_PROPERTY + "=true");
        for (CaseOutcome outcome : outcomes) {
            lines.add(outcome.agreement() + "\t" + outcome.prevailCase().id());
        }
        return lines;
    }
}

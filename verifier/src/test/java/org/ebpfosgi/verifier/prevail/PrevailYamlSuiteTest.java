package org.ebpfosgi.verifier.prevail;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ebpfosgi.isa.Assembler;
import org.ebpfosgi.isa.AssemblyException;
import org.ebpfosgi.verifier.internal.Analysis;
import org.ebpfosgi.verifier.internal.AnalysisResult;
import org.ebpfosgi.verifier.internal.Platform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs PREVAIL's YAML test cases (../shared/prevail-tests) through our analysis, one dynamic test per case.
 *
 * <p>Our verifier is not PREVAIL, so a disagreement alone does not fail: each case reaches a level
 * ({@link Agreement}) and fails only when it does worse than in the checked-in baseline
 * ({@code src/test/resources/prevail-baseline.txt}). It always fails when the verifier throws (other than
 * IllegalArgumentException for a precondition it does not understand) or does not finish: no program may do that.
 * The summary (counts per level, group and file; every case PREVAIL rejects and we accept) is printed and written to
 * {@code verifier/target/prevail-summary.txt}. With {@code -Debpf.prevail.rebaseline=true} the baseline file in the
 * source tree is rewritten from this run instead of being enforced.
 */
final class PrevailYamlSuiteTest {
    /**
     * Guards the build against a verifier that loops forever; no case should come anywhere near it (it is not a
     * speed check: hundreds of cases run in seconds).
     */
    private static final Duration HANG_GUARD = Duration.ofSeconds(120);

    private static final List<CaseOutcome> OUTCOMES = Collections.synchronizedList(new ArrayList<>());
    private static Map<String, Agreement> baseline = Map.of();
    private static int caseCount = -1;

    static Path repositoryRoot() {
        return Path.of(System.getProperty("ebpf.repo.root", ".")).toAbsolutePath().normalize();
    }

    /** @throws AssertionError with the resolved path when the shared test vectors are not there */
    static Path testVectorFolder() {
        Path folder = repositoryRoot().resolve("../shared/prevail-tests").normalize();
        if (!Files.isDirectory(folder)) {
            fail("PREVAIL test vectors not found at " + folder + " (resolved from ebpf.repo.root="
                    + System.getProperty("ebpf.repo.root", "<unset, using .>")
                    + "); run the tests through Maven from the repository, whose surefire sets ebpf.repo.root");
        }
        return folder;
    }

    private static boolean rebaseline() {
        return Boolean.getBoolean(PrevailBaseline.REBASELINE_PROPERTY);
    }

    @TestFactory
    Stream<DynamicTest> prevailCases() throws IOException {
        List<PrevailCase> cases = PrevailCaseReader.readFolder(testVectorFolder());
        caseCount = cases.size();
        OUTCOMES.clear();
        baseline = loadBaseline();
        Platform platform = Platform.prevailTest();
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> check(c, platform)));
    }

    private static Map<String, Agreement> loadBaseline() throws IOException {
        try (InputStream in = PrevailYamlSuiteTest.class.getClassLoader().getResourceAsStream(PrevailBaseline.RESOURCE)) {
            if (in == null) {
                if (rebaseline()) {
                    return Map.of();
                }
                fail("no " + PrevailBaseline.RESOURCE + " on the test class path; create it with -D"
                        + PrevailBaseline.REBASELINE_PROPERTY + "=true");
            }
            return PrevailBaseline.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        }
    }

    private static void check(PrevailCase prevailCase, Platform platform) {
        CaseOutcome outcome = run(prevailCase, platform);
        OUTCOMES.add(outcome);
        if (outcome.errorKind() == CaseOutcome.ErrorKind.VERIFIER_FAILURE) {
            fail("the verifier must not fail on any program: " + outcome.detail());
        }
        Agreement before = baseline.get(prevailCase.id());
        if (before == null || rebaseline()) {
            return;
        }
        int change = outcome.agreement().compareTo(before);
        if (change < 0) {
            fail("regression: baseline " + before + ", now " + outcome.agreement() + ": " + outcome.detail());
        }
        if (change > 0) {
            System.out.println("[prevail] improved " + before + " -> " + outcome.agreement() + ": " + prevailCase.id());
        }
    }

    private static final java.util.regex.Pattern ASSUME = java.util.regex.Pattern.compile(
            "^(\\s*(?:<[^>]+>:)?\\s*)assume\\s+(\\S+)\\s+(\\S+)\\s+(\\S+?)\\s*(;.*)?$");

    /**
     * PREVAIL's {@code assume A op B} has no eBPF encoding; a conditional jump to the next instruction
     * ({@code if A op B goto +0}) stands for it, and the analysis is told its pc, so only its taken edge exists.
     * The pcs are found by assembling twice with a different jump offset ({@code marker}) and comparing.
     * A 32-bit assumption names its left operand {@code wN}; both operands become 32-bit then.
     */
    static String withAssumptions(String code, int marker) {
        StringBuilder out = new StringBuilder();
        for (String line : code.split("\n", -1)) {
            java.util.regex.Matcher m = ASSUME.matcher(line);
            if (m.matches()) {
                String left = m.group(2);
                String right = m.group(4);
                if (left.startsWith("w") && right.matches("r\\d+")) {
                    right = "w" + right.substring(1);
                }
                line = m.group(1) + "if " + left + " " + m.group(3) + " " + right + " goto +" + marker;
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    static CaseOutcome run(PrevailCase prevailCase, Platform platform) {
        long[] code;
        java.util.Set<Integer> assumptions = new java.util.HashSet<>();
        try {
            code = Assembler.assemble(withAssumptions(prevailCase.codeText(), 0));
            long[] marked = Assembler.assemble(withAssumptions(prevailCase.codeText(), 1));
            for (int pc = 0; pc < code.length; pc++) {
                if (code[pc] != marked[pc]) {
                    assumptions.add(pc);
                }
            }
        } catch (AssemblyException e) {
            return CaseOutcome.error(prevailCase, CaseOutcome.ErrorKind.ASSEMBLY, e.reason()
                    + PrevailSummary.CONTEXT_SEPARATOR + "line " + e.line() + ": " + sourceLine(prevailCase, e.line()));
        }
        AnalysisResult result;
        try {
            result = assertTimeoutPreemptively(HANG_GUARD,
                    () -> Analysis.analyze(code, platform, prevailCase.pre(), assumptions));
        } catch (IllegalArgumentException e) {
            return CaseOutcome.error(prevailCase, CaseOutcome.ErrorKind.UNSUPPORTED_PRECONDITION,
                    String.valueOf(e.getMessage()));
        } catch (Throwable e) { // the verifier's contract: never throw, never hang, whatever the program
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            return CaseOutcome.error(prevailCase, CaseOutcome.ErrorKind.VERIFIER_FAILURE,
                    e.getClass().getName() + PrevailSummary.CONTEXT_SEPARATOR + trace);
        }
        return PrevailComparison.compare(prevailCase, result.diagnostics(), result.exitReachable(),
                result.exitConstraints());
    }

    private static String sourceLine(PrevailCase prevailCase, int line) {
        List<String> lines = prevailCase.codeText().lines().toList();
        return line >= 1 && line <= lines.size() ? lines.get(line - 1).strip() : "";
    }

    @AfterAll
    static void summarize() throws IOException {
        if (OUTCOMES.isEmpty()) {
            return;
        }
        List<CaseOutcome> outcomes = new ArrayList<>(OUTCOMES);
        System.out.println("[prevail] " + PrevailSummary.render(outcomes, baseline, false).replace("\n", "\n[prevail] "));
        Path target = repositoryRoot().resolve("verifier/target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("prevail-summary.txt"), PrevailSummary.render(outcomes, baseline, true));
        if (rebaseline()) {
            if (outcomes.size() != caseCount) { // a filtered run must not drop the other cases' entries
                fail("not rebaselining: only " + outcomes.size() + " of " + caseCount + " cases ran");
            }
            Path file = repositoryRoot().resolve("verifier/src/test/resources").resolve(PrevailBaseline.RESOURCE);
            Files.write(file, PrevailBaseline.format(outcomes));
            System.out.println("[prevail] wrote " + file);
        }
    }
}

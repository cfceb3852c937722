package org.ebpfosgi.verifier.prevail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PrevailCaseReaderTest {
    private static List<PrevailCase> cases;

    @BeforeAll
    static void readSuite() {
        cases = PrevailCaseReader.readFolder(PrevailYamlSuiteTest.testVectorFolder());
    }

    private static PrevailCase find(String id) {
        return cases.stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no case " + id));
    }

    @Test
    void readsAll802CasesOf28Files() {
        assertEquals(802, cases.size());
        Map<String, Long> perFile = cases.stream()
                .collect(Collectors.groupingBy(PrevailCase::file, Collectors.counting()));
        assertEquals(28, perFile.size(), perFile.keySet().toString());
        assertEquals(153L, perFile.get("unsigned.yaml"));
        assertEquals(87L, perFile.get("shift.yaml"));
        assertFalse(perFile.containsKey(PrevailCaseReader.SCHEMA_FILE));
    }

    @Test
    void repeatedNamesAreMadeUniquePerFile() {
        Set<String> ids = new HashSet<>();
        cases.forEach(c -> assertTrue(ids.add(c.id()), "duplicate id " + c.id()));
        // PREVAIL's data reuses 10 names within a file for different cases (e.g. unsigned.yaml has four pairs).
        List<String> renamed = cases.stream().map(PrevailCase::name).filter(n -> n.matches(".* #\\d+")).toList();
        assertEquals(10, renamed.size(), renamed.toString());
        PrevailCase first = find("jump.yaml: assume map_fd1 != map_fd2");
        PrevailCase second = find("jump.yaml: assume map_fd1 != map_fd2 #2");
        assertFalse(first.equals(second));
    }

    @Test
    void readsFieldsOfAPlainCase() {
        PrevailCase c = find("add.yaml: add immediate to large number range");
        assertEquals(List.of("r0.type=number", "r0.svalue=[2147483645, 2147483647]",
                "r0.uvalue=[2147483645, 2147483647]"), c.pre());
        assertEquals("<start>:\nr0 += 4 ; make sure value does not become a negative 64 bit number\n",
                c.codeText());
        assertEquals(List.of("r0.type=number", "r0.svalue=[2147483649, 2147483651]", "r0.uvalue=r0.svalue"),
                c.post());
        assertEquals(List.of(), c.messages());
        assertEquals(PrevailCase.Group.PLAIN, c.group());
        assertFalse(c.expectsUnreachableExit());
    }

    @Test
    void joinsBlocksInFileOrderUnderTheirLabels() {
        PrevailCase c = find("loop.yaml: stack counter type preserved through widening (issue 1071)");
        List<String> labels = c.codeText().lines().filter(l -> l.startsWith("<")).toList();
        // The one case whose first block is not <start>: the first block in the file is the entry.
        assertEquals(List.of("<init>:", "<loop>:", "<exit>:"), labels);
    }

    @Test
    void readsBottomPostOptionsObservationsAndExpectedExceptions() {
        PrevailCase bottom = find("jump.yaml: assume range w== imm goes to bottom");
        assertTrue(bottom.expectsUnreachableExit());
        assertEquals(List.of("0: Code becomes unreachable (assume r1 w== 13)"), bottom.messages());

        Map<PrevailCase.Group, Long> groups = cases.stream()
                .collect(Collectors.groupingBy(PrevailCase::group, Collectors.counting()));
        assertEquals(5L, groups.get(PrevailCase.Group.EXPECTED_EXCEPTION));
        assertEquals(7L, groups.get(PrevailCase.Group.OBSERVE), "12 observe nodes, 5 of them malformed on purpose");
        assertEquals(250, cases.stream().filter(PrevailCase::expectsUnreachableExit).count());
        // 287 cases have a 'messages' key, 14 of them an empty list.
        assertEquals(273, cases.stream().filter(c -> !c.messages().isEmpty()).count());

        PrevailCase malformed = find("observe.yaml: observe invalid - observe must be sequence");
        assertEquals("observe must be a sequence", malformed.expectedException());
        assertTrue(malformed.hasObservations());
        assertNull(find("add.yaml: add immediate to unknown number").expectedException());

        // 'options:' with an empty value, and 'options: []', both mean no options.
        Map<List<String>, Long> options = cases.stream()
                .collect(Collectors.groupingBy(PrevailCase::options, Collectors.counting()));
        assertEquals(699L, options.get(List.of()));
        assertEquals(40L, options.get(List.of("!allow_division_by_zero")));
        assertEquals(24L, options.get(List.of("termination")));
    }

    @Test
    void readsTrailingSeparatorsListBlocksAndRepeatsFromAnyFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mini.yaml");
        Files.writeString(file, """
                # comment before the first document
                ---
                test-case: twice
                pre: []
                code:
                  <start>:
                    - r0 = 0
                    - goto <out>
                  <out>: |
                    exit
                post: ["_|_"]
                messages: ["1: something"]
                ---
                test-case: twice
                options:
                pre: ["r1.type=number"]
                code:
                  <start>: exit
                post: [r1.type=number]
                ---
                """);
        List<PrevailCase> read = PrevailCaseReader.readFile(file);
        assertEquals(List.of("mini.yaml: twice", "mini.yaml: twice #2"),
                read.stream().map(PrevailCase::id).toList());
        assertEquals("<start>:\nr0 = 0\ngoto <out>\n<out>:\nexit\n", read.get(0).codeText());
        assertEquals("<start>:\nexit\n", read.get(1).codeText());
        assertEquals(List.of(), read.get(1).options());
        assertEquals(List.of("r1.type=number"), read.get(1).post());
    }

    @Test
    void namesTheCaseAndFieldOfMalformedInput(@TempDir Path dir) throws Exception {
        Map<String, String> malformed = Map.of(
                "test-case: no post\npre: []\ncode:\n  <start>: exit\n", "'post' missing",
                "test-case: bad pre\npre: 3\ncode:\n  <start>: exit\npost: []\n", "'pre': not a list",
                "test-case: nested\npre: [[1]]\ncode:\n  <start>: exit\npost: []\n", "is not a scalar",
                "test-case: no code\npre: []\npost: []\n", "'code' must be a non-empty map");
        Function<String, Path> write = text -> {
            try {
                return Files.writeString(Files.createTempFile(dir, "bad", ".yaml"), "---\n" + text);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        malformed.forEach((text, expected) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PrevailCaseReader.readFile(write.apply(text)));
            assertTrue(e.getMessage().contains(expected) && e.getMessage().contains("document 1"), e.getMessage());
        });
    }
}

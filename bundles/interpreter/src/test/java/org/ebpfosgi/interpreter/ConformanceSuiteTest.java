package org.ebpfosgi.interpreter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ebpfosgi.isa.conformance.ConformanceCase;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The bpf_conformance suite: every {@code .data} file of {@code ../shared/conformance}, parsed and
 * assembled by the project's own assembler, run on the interpreter, r0 (or the expected error)
 * checked; the assembled words must equal the suite's own assembly ({@code assembled.tsv}).
 */
class ConformanceSuiteTest {
    private static final Map<String, ConformanceVectors.Assembled> SUITE_ASSEMBLY = ConformanceVectors.assembled().stream()
            .collect(Collectors.toMap(ConformanceVectors.Assembled::name, Function.identity()));

    static List<Path> dataFiles() throws IOException {
        try (Stream<Path> files = Files.list(ConformanceVectors.DIRECTORY)) {
            return files.filter(p -> p.toString().endsWith(".data")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void theWholeSuiteIsThere() throws IOException {
        assertEquals(313, dataFiles().size(), "conformance .data files");
        assertEquals(313, SUITE_ASSEMBLY.size(), "rows of assembled.tsv");
    }

    @TestFactory
    Stream<DynamicTest> everyVector() throws IOException {
        return dataFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            ConformanceCase c = ConformanceCase.parse(file);
            ConformanceVectors.Assembled suite = SUITE_ASSEMBLY.get(c.name());
            assertTrue(suite != null, c.name() + " is missing from assembled.tsv");
            assertArrayEquals(suite.program(), c.program(), c.name() + ": our assembly differs from the suite's");
            assertArrayEquals(suite.memory(), c.memory(), c.name() + ": memory");
            if (c.expectedError().isPresent()) {
                assertThrows(RuntimeException.class, () -> ConformancePlugin.run(c.program(), c.memory()),
                        c.name() + " must fail: " + c.expectedError().get());
            } else {
                assertTrue(c.expectedResult().isPresent(), c.name() + " has neither a result nor an error");
                assertEquals(c.expectedResult().getAsLong(), ConformancePlugin.run(c.program(), c.memory()), c.name() + " r0");
            }
        }));
    }
}

package org.ebpfosgi.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.interpreter.ConformancePlugin;
import org.ebpfosgi.isa.conformance.ConformanceCase;
import org.ebpfosgi.jit.internal.JitProgram;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The bpf_conformance suite on the JIT: every {@code .data} file of {@code ../shared/conformance},
 * assembled by the project's assembler, compiled (never handed to the interpreter), run, and r0 or the
 * expected error checked.
 */
class JitConformanceTest {
    static final Path DIRECTORY = Path.of(System.getProperty("ebpf.repo.root", "."), "../shared/conformance").normalize();

    static List<Path> dataFiles() throws IOException {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter(p -> p.toString().endsWith(".data")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void theWholeSuiteIsThere() throws IOException {
        assertEquals(313, dataFiles().size(), "conformance .data files in " + DIRECTORY);
    }

    @TestFactory
    Stream<DynamicTest> everyVectorCompiled() throws IOException {
        JitEngine engine = new JitEngine();
        return dataFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            ConformanceCase c = ConformanceCase.parse(file);
            if (c.expectedError().isPresent()) {
                RuntimeException e = assertThrows(RuntimeException.class, () -> ConformancePlugin.run(c.program(), c.memory(), engine),
                        c.name() + " must fail: " + c.expectedError().get());
                System.out.println(c.name() + ": " + e.getMessage());
                return;
            }
            assertInstanceOf(JitProgram.class, engine.load(ConformancePlugin.image(c.name(), c.program()), false),
                    c.name() + " is compiled, not interpreted");
            assertTrue(c.expectedResult().isPresent(), c.name() + " has neither a result nor an error");
            assertEquals(c.expectedResult().getAsLong(), ConformancePlugin.run(c.program(), c.memory(), engine), c.name() + " r0");
        }));
    }

    @Test
    void theJitsPluginEntryPointFollowsTheProtocol() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        // mov32 r0, 0x2a ; exit
        java.io.InputStream in = new java.io.ByteArrayInputStream("b4 00 00 00 2a 00 00 00 95 00 00 00 00 00 00 00".getBytes());
        int status = JitConformancePlugin.run(new String[0], in, new java.io.PrintStream(out), new java.io.PrintStream(err));
        assertEquals(0, status, err.toString());
        assertEquals("2a", out.toString().strip());
        // ldxdw r2, [r1+0] with no memory (r1 = 0) ; exit
        assertThrows(ExecutionException.class, () -> ConformancePlugin.run(new long[] {0x1279L, 0x95L}, new byte[0], new JitEngine()),
                "a load through a null pointer aborts the run");
    }
}

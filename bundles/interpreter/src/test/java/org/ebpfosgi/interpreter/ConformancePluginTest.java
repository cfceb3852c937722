package org.ebpfosgi.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The bpf_conformance plugin protocol: in-process through {@link ConformancePlugin#run}, and as the
 * suite's runner uses it, through {@code bin/bpf-conformance-plugin} in a separate process.
 */
class ConformancePluginTest {
    private static final Path SCRIPT = Path.of(System.getProperty("ebpf.repo.root", "."), "bin/bpf-conformance-plugin");
    private static final Map<String, ConformanceVectors.Assembled> VECTORS = ConformanceVectors.assembled().stream()
            .collect(Collectors.toMap(ConformanceVectors.Assembled::name, Function.identity()));

    /** Bytes the way the runner writes them: two lowercase hex digits, then two spaces. */
    static String runnerHex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02x  ", b & 0xFF));
        }
        return s.toString();
    }

    record Outcome(int status, String out, String err) {
    }

    private static Outcome inProcess(String stdin, String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ConformancePlugin.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.US_ASCII)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Outcome script(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(SCRIPT.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(Files.createTempDirectory("plugin-cwd").toFile()).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the plugin did not finish");
        return new Outcome(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void printsR0InHexForEveryKindOfVector() throws IOException {
        for (String name : List.of("add", "mem-len", "ldxw", "lddw", "callx", "call_local", "stxb-all")) {
            ConformanceVectors.Assembled v = VECTORS.get(name);
            String[] args = v.memory().length == 0 ? new String[0] : new String[] {runnerHex(v.memory())};
            Outcome o = inProcess(runnerHex(ConformancePlugin.parseHex(v.programHex())) + "\n", args);
            assertEquals(0, o.status(), name + ": " + o.err());
            assertEquals(Long.toHexString(v.expected()), o.out().strip(), name);
        }
    }

    @Test
    void refusesWhatItCannotRun() throws IOException {
        Outcome fault = inProcess("61 10 04 00 00 00 00 00 95 00 00 00 00 00 00 00\n", "01  02  03  04  ");
        assertEquals(ConformancePlugin.FAILED, fault.status());
        assertTrue(fault.err().contains("instruction 0"), fault.err());
        assertEquals("", fault.out());
        Outcome invalid = inProcess("b7 00 00 00 01 00 00 00\n");
        assertEquals(ConformancePlugin.FAILED, invalid.status());
        assertTrue(invalid.err().contains("instruction 0"), invalid.err());
        assertEquals(ConformancePlugin.USAGE, inProcess("b7 00 00\n").status());
        assertEquals(ConformancePlugin.USAGE, inProcess("zz\n").status());
        assertEquals(ConformancePlugin.USAGE, inProcess("", "--elf").status());
        assertEquals(0, inProcess("b7 00 00 00 07 00 00 00 95 00 00 00 00 00 00 00\n", "--debug").status(),
                "unknown runner options are accepted");
    }

    @Test
    void theScriptRunsVectorsAsTheSuitesRunnerDoes() throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(SCRIPT), SCRIPT + " must be executable");
        for (String name : List.of("ldxh-same-reg", "callx", "rfc9669_call_local")) {
            ConformanceVectors.Assembled v = VECTORS.get(name);
            String[] args = v.memory().length == 0 ? new String[0] : new String[] {runnerHex(v.memory())};
            Outcome o = script(runnerHex(ConformancePlugin.parseHex(v.programHex())) + "\n", args);
            assertEquals(0, o.status(), name + ": " + o.err());
            assertEquals(Long.toHexString(v.expected()), o.out().strip(), name);
        }
        Outcome fault = script("61 10 04 00 00 00 00 00 95 00 00 00 00 00 00 00\n", "01  02  03  04  ");
        assertEquals(1, fault.status());
        assertTrue(fault.err().contains("instruction 0"), fault.err());
    }
}

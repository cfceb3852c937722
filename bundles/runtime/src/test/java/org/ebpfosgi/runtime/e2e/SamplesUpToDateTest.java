package org.ebpfosgi.runtime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ebpfosgi.api.runtime.EbpfObject;
import org.ebpfosgi.api.runtime.ObjectFormatException;
import org.ebpfosgi.runtime.internal.DefaultRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checked-in sample objects match their sources: bin/build-samples recompiles every sample into a
 * temporary folder and each object's programs and maps must equal the checked-in object's. Needs clang-19
 * (bin/install-test-deps installs it); without it the test fails rather than skipping.
 */
class SamplesUpToDateTest {
    private static final Path SCRIPT = SampleRuntime.samplesDir().resolve("../bin/build-samples").normalize();

    private static List<String> names(String extension) {
        try (Stream<Path> files = Files.list(SampleRuntime.samplesDir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(extension))
                    .map(n -> n.substring(0, n.length() - extension.length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs the build script (from an unrelated working directory) and returns exit code and output. */
    private static ProcessResult build(Path output, Path workingDirectory, String path) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", SCRIPT.toString(), output.toString())
                .directory(workingDirectory.toFile()).redirectErrorStream(true);
        if (path != null) {
            pb.environment().put("PATH", path);
        }
        Process process = pb.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("bin/build-samples did not finish");
        }
        return new ProcessResult(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private record ProcessResult(int exitCode, String output) {
    }

    /** What the test compares: programs (name, section, type, size) and map definitions, in order. */
    private static List<String> shape(DefaultRuntime runtime, Path object) {
        try {
            EbpfObject parsed = runtime.open(object);
            List<String> shape = new ArrayList<>();
            parsed.programs().forEach(p -> shape.add("program " + p));
            parsed.maps().forEach(m -> shape.add("map " + m + (m.innerMap() != null ? " inner " + m.innerMap() : "")
                    + " pinning " + m.pinning()));
            shape.add("license " + parsed.license());
            return shape;
        } catch (ObjectFormatException | IOException e) {
            throw new AssertionError(object + ": " + e.getMessage(), e);
        }
    }

    @Test
    void everySourceHasItsCheckedInObject() {
        List<String> sources = names(".c");
        assertFalse(sources.isEmpty());
        assertEquals(sources, names(".o"), "every samples/*.c has a checked-in .o and nothing else: run bin/build-samples");
    }

    @Test
    void checkedInObjectsMatchAFreshBuild(@TempDir Path temp) throws Exception {
        if (!onPath("clang-19")) {
            fail("clang-19 is not installed, so the checked-in samples/*.o cannot be checked against their sources;"
                    + " run bin/install-test-deps");
        }
        Path output = temp.resolve("objects");
        ProcessResult result = build(output, temp, null);
        assertEquals(0, result.exitCode(), "bin/build-samples failed:\n" + result.output());
        DefaultRuntime runtime = new DefaultRuntime();
        for (String name : names(".c")) {
            Path fresh = output.resolve(name + ".o");
            assertTrue(Files.isRegularFile(fresh), "the build made no " + fresh);
            assertEquals(shape(runtime, fresh), shape(runtime, SampleRuntime.sample(name)),
                    "samples/" + name + ".o is stale: run bin/build-samples and check in the objects");
        }
    }

    @Test
    void buildScriptSaysHowToGetClang(@TempDir Path temp) throws Exception {
        ProcessResult result = build(temp.resolve("objects"), temp, temp.resolve("empty-path").toString());
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("clang-19 not found") && result.output().contains("bin/install-test-deps"), result.output());
        assertFalse(Files.exists(temp.resolve("objects")), "nothing is built without clang");
    }
}

package org.ebpfosgi.runtime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ebpfosgi.api.runtime.EbpfObject;
import org.ebpfosgi.api.runtime.LoadException;
import org.ebpfosgi.api.runtime.ObjectFormatException;
import org.ebpfosgi.api.runtime.Program;
import org.junit.jupiter.api.Test;

/**
 * Every real-world object of ../shared/samples (outside invalid/) loads unverified, or is refused with a
 * LoadException that names what is missing; each program either runs or says which helper it waits for.
 * No other exception may escape.
 */
class SharedObjectsLoadTest {
    /** What a refused load may say: a missing map type, program type, or a map the object cannot create. */
    private static final Pattern CLEAR_REFUSAL = Pattern.compile(
            "needs map type \\d+, which no registered map type provides"
                    + "|selects no known program type"
                    + "|map creation failed: .+ \\(errno \\d+\\)");
    private static final Pattern CLEAR_STATUS = Pattern.compile(
            Pattern.quote(SampleRuntime.LOADED) + "|waiting for helper [\\w, ()]+");

    static List<Path> sharedObjects() {
        Path root = SampleRuntime.repoRoot().resolve("../shared/samples").normalize();
        assertTrue(Files.isDirectory(root), "shared samples not found at " + root);
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".o") && !root.relativize(p).startsWith("invalid")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everySharedObjectLoadsOrIsRefusedClearly() {
        List<Path> objects = sharedObjects();
        assertTrue(objects.size() > 100, "expected the shared sample set, found " + objects.size() + " objects");
        List<String> problems = new ArrayList<>();
        TreeMap<String, Integer> outcomes = new TreeMap<>();
        int programsRunnable = 0;
        for (Path file : objects) {
            SampleRuntime rt = new SampleRuntime(); // one runtime per object: pinned names must not collide
            String name = file.getFileName().toString();
            EbpfObject object;
            try {
                object = rt.runtime.open(file);
            } catch (ObjectFormatException e) {
                // The loader tests own parse errors; here it only has to be the checked, precise kind.
                outcomes.merge("object format error", 1, Integer::sum);
                continue;
            } catch (IOException | RuntimeException e) {
                problems.add(name + ": open threw " + e);
                continue;
            }
            try {
                for (Program p : rt.runtime.load(object, SampleRuntime.UNVERIFIED)) {
                    if (!CLEAR_STATUS.matcher(p.status()).matches()) {
                        problems.add(name + " " + p.name() + ": status '" + p.status() + "'");
                    } else if (p.executable() != null) {
                        programsRunnable++;
                    }
                    outcomes.merge(p.status().startsWith("waiting") ? "program waits for a helper" : "program runnable", 1, Integer::sum);
                }
                outcomes.merge("object loaded", 1, Integer::sum);
            } catch (LoadException e) {
                if (!CLEAR_REFUSAL.matcher(e.getMessage()).find()) {
                    problems.add(name + ": unclear LoadException '" + e.getMessage() + "'");
                }
                outcomes.merge("object refused", 1, Integer::sum);
                assertEquals(List.of(), rt.runtime.programs(), name + ": a refused load leaves no program");
                assertEquals(List.of(), rt.runtime.maps(), name + ": a refused load leaves no map");
            } catch (RuntimeException e) {
                problems.add(name + ": load threw " + e);
            }
        }
        assertEquals(List.of(), problems, "outcomes " + outcomes);
        // 90 when written (refusals: perf event arrays and other map types no provider offers, '.text'-only
        // objects of the PREVAIL suite, deliberately bad maps): a drop means something stopped loading.
        assertTrue(programsRunnable >= 90, "fewer shared programs run on the interpreter than before: " + outcomes);
    }

    /**
     * Old Linux samples declare maps of maps in the legacy "maps" section without a value_size (bpf_load.c's
     * bpf_create_map_in_map supplied 4); the runtime creates them with 4 as bpf_load.c did.
     */
    @Test
    void legacyMapInMapWithoutValueSizeLoads() throws Exception {
        for (String name : List.of("linux/map_perf_test_kern.o", "linux/test_map_in_map_kern.o")) {
            SampleRuntime rt = new SampleRuntime();
            Path file = SampleRuntime.repoRoot().resolve("../shared/samples").resolve(name).normalize();
            assertTrue(rt.runtime.load(rt.runtime.open(file), SampleRuntime.UNVERIFIED).size() > 0, name);
        }
    }
}

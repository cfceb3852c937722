package org.ebpfosgi.runtime.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.ebpfosgi.helpers.core.CoreHelpers;
import org.ebpfosgi.interpreter.InterpreterEngine;
import org.ebpfosgi.maps.MapProviders;
import org.ebpfosgi.runtime.internal.DefaultRuntime;
import org.junit.jupiter.api.Test;

/** The bpftool-style shell commands on a real runtime and a clang-built sample: answers and refusals. */
class EbpfCommandsTest {
    private final DefaultRuntime runtime = new DefaultRuntime();
    private final EbpfCommands shell = new EbpfCommands(runtime);
    private final String sample = Path.of(System.getProperty("ebpf.repo.root", "."), "samples/map_types.o").toString();

    EbpfCommandsTest() {
        MapProviders.all().forEach(runtime::addMapType);
        CoreHelpers.all().forEach(h -> runtime.addHelper(h, Map.of()));
        runtime.addEngine(new InterpreterEngine(), Map.of());
    }

    private int mapId(String name) {
        for (String line : shell.map("show").split("\n")) {
            if (line.contains("name " + name + " ")) {
                return Integer.parseInt(line.substring(0, line.indexOf(':')));
            }
        }
        throw new AssertionError("no map " + name + " in\n" + shell.map("show"));
    }

    @Test
    void mapsAreReadAndWrittenLikeBpftool() {
        assertTrue(shell.prog("load", sample, "unverified").contains("name count_hash"));
        int hash = mapId("hash_counts");
        assertEquals("updated", shell.map("update", "" + hash, "key", "05", "00", "00", "00", "value", "2a 00 00 00 00 00 00 00"));
        assertEquals("key: 05 00 00 00  value: 2a 00 00 00 00 00 00 00", shell.map("lookup", "" + hash, "key", "05000000"));
        assertEquals("key: 05 00 00 00  value: 2a 00 00 00 00 00 00 00\nFound 1 element", shell.map("dump", "" + hash));
        assertTrue(shell.map("update", "" + hash, "key", "05 00 00 00", "value", "01 00 00 00 00 00 00 00", "noexist").contains("errno 17"),
                "BPF_NOEXIST on an existing key is EEXIST");
        assertEquals("deleted", shell.map("delete", "" + hash, "key", "05 00 00 00"));
        assertEquals("map " + hash + ": key 05 00 00 00 not found (ENOENT)", shell.map("lookup", "" + hash, "key", "05 00 00 00"));
        assertTrue(shell.map("delete", "" + hash, "key", "05 00 00 00").contains("errno 2"));
        assertEquals("Found 0 elements", shell.map("dump", "" + hash));
        assertEquals("pinned at /sys/fs/bpf/counts", shell.map("pin", "" + hash, "/sys/fs/bpf/counts"));
        assertTrue(runtime.pinned("/sys/fs/bpf/counts").isPresent());
    }

    @Test
    void verifyPrintsTheVerifiersReportWithoutLoading() {
        runtime.addVerifier(new org.ebpfosgi.verifier.IntervalVerifier(), Map.of());
        String safe = shell.prog("verify", sample);
        assertTrue(safe.lines().allMatch(l -> l.startsWith("accepted: ") && l.contains(": safe, ")), safe);
        assertTrue(safe.contains("count_hash (xdp): safe"), safe);
        String unsafe = Path.of(System.getProperty("ebpf.repo.root", "."), "../shared/samples/build/packet_overflow.o")
                .normalize().toString();
        String report = shell.prog("verify", unsafe, "read_write_packet_start");
        assertTrue(report.startsWith("rejected: read_write_packet_start (xdp): 2 unproven safety conditions:"), report);
        assertTrue(report.contains("4: Upper bound must be at most packet_size (valid_access(r2.offset, width=4) for read)"),
                report);
        assertTrue(runtime.programs().isEmpty() && runtime.maps().isEmpty(), "verify loads nothing");
        assertTrue(shell.prog("verify", sample, "nope").startsWith("prog: map_types.o has no program named 'nope'"));
        assertTrue(shell.prog("verify").startsWith("prog: prog verify needs a FILE"));
    }

    @Test
    void badInputGetsAOneLineAnswer() {
        shell.prog("load", sample, "unverified");
        int hash = mapId("hash_counts");
        assertEquals("map: 'zz' is not hex bytes", shell.map("lookup", "" + hash, "key", "zz"));
        assertEquals("map: 'key HEX' is needed", shell.map("lookup", "" + hash));
        assertEquals("map: no map with id 999", shell.map("dump", "999"));
        assertTrue(shell.map("update", "" + hash, "key", "01", "value", "02").contains("errno 22"), "wrong key size is EINVAL");
        assertTrue(shell.map("frobnicate").startsWith("map: unknown command 'frobnicate'"));
        assertTrue(shell.prog("load", "/nonexistent.o").startsWith("prog: no such file"));
        assertEquals("prog: unknown load option 'fast'", shell.prog("load", sample, "fast"));
        assertEquals("prog: repeat needs a number, got 'many'", shell.prog("run", firstProgramId(), "repeat", "many"));
        assertTrue(shell.prog("pin", firstProgramId(), "relative/path").startsWith("prog: a pin path is absolute"));
        assertEquals("no links", shell.link("show"));
        assertTrue(shell.link("frobnicate").startsWith("link: unknown command"));
        assertEquals(EbpfCommands.PROG_USAGE, shell.prog());
    }

    private String firstProgramId() {
        String line = shell.prog("show").split("\n")[0];
        return line.substring(0, line.indexOf(':'));
    }

    @Test
    void runReportsTheVerdictAndCountsRuns() {
        shell.prog("load", sample, "unverified");
        String id = firstProgramId();
        String out = shell.prog("run", id, "data", "01 00 00 00", "repeat", "3");
        assertTrue(out.startsWith("retval "), out);
        assertTrue(out.contains("data_out 01 00 00 00"), out);
        assertTrue(shell.prog("show", id).contains("run_cnt 3"), shell.prog("show", id));
        assertTrue(shell.prog("unload", id).startsWith("unloaded " + id));
        assertEquals("prog: no program with id " + id, shell.prog("show", id));
    }
}

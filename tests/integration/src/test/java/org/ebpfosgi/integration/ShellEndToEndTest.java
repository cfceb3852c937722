package org.ebpfosgi.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's session with the real launcher: load a clang-built object through the shell, test-run it
 * on a UDP frame, and read the map it counted into.
 */
class ShellEndToEndTest {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration REPLY = Duration.ofSeconds(20);
    /** Ethernet + IPv4 + UDP, 10.0.0.1:1234 -> 10.0.0.2:9 (discard). */
    private static final String UDP_TO_PORT_9 = "02 00 00 00 00 02 02 00 00 00 00 01 08 00"
            + " 45 00 00 1c 00 00 00 00 40 11 00 00 0a 00 00 01 0a 00 00 02"
            + " 04 d2 00 09 00 08 00 00";

    @TempDir
    Path work;

    @Test
    void loadRunAndDumpThroughTheShell() throws Exception {
        Path object = LauncherProcess.repoRoot().resolve("samples/udp_ports.o");
        assertTrue(Files.isRegularFile(object), object + " is missing");
        try (LauncherProcess platform = LauncherProcess.start(work, "--deploy", work.resolve("deploy").toString(), "--no-shell")) {
            platform.awaitLine(0, l -> l.startsWith("ebpf-osgi started"), STARTUP, "announcing the start");

            // The verifier bundle is part of the platform: an unsafe program is refused with its report.
            Path unsafe = LauncherProcess.repoRoot().resolve("../shared/samples/build/packet_overflow.o").normalize();
            int mark = platform.mark();
            platform.command("ebpf:prog load " + unsafe);
            String refused = platform.awaitLine(mark, l -> l.startsWith("prog:"), REPLY, "refusing an unsafe program");
            assertTrue(refused.contains("read_write_packet_start was rejected by the verifier"), refused);
            String reason = platform.awaitLine(mark, l -> l.contains("Upper bound must be at most packet_size"), REPLY,
                    "naming the unproven bound");
            assertTrue(reason.contains("4:") && reason.contains("r2.offset"), reason);

            mark = platform.mark();
            platform.command("ebpf:prog load " + object);
            String loaded = platform.awaitLine(mark, l -> l.contains("name udp_count"), REPLY, "listing the verified program");
            assertTrue(loaded.contains("xdp") && loaded.contains("loaded (jit)") && !loaded.contains("unverified"), loaded);
            int progId = Integer.parseInt(loaded.substring(0, loaded.indexOf(':')));

            mark = platform.mark();
            platform.command("ebpf:prog run " + progId + " data " + UDP_TO_PORT_9 + " repeat 3");
            String retval = platform.awaitLine(mark, l -> l.startsWith("retval"), REPLY, "with the verdict");
            assertTrue(retval.startsWith("retval 1 (0x1)"), "XDP_DROP for the discard port: " + retval);

            mark = platform.mark();
            platform.command("ebpf:map show");
            String map = platform.awaitLine(mark, l -> l.contains("name port_counts"), REPLY, "listing the map");
            assertTrue(map.contains("type 1") && map.contains("key 2B") && map.contains("value 8B") && map.contains("max_entries 64"), map);
            Matcher id = Pattern.compile("^(\\d+):").matcher(map);
            assertTrue(id.find(), map);

            mark = platform.mark();
            platform.command("ebpf:map dump " + id.group(1));
            String entry = platform.awaitLine(mark, l -> l.startsWith("key:"), REPLY, "with the counter");
            assertEquals("key: 09 00  value: 03 00 00 00 00 00 00 00", entry, "three runs counted for port 9");

            mark = platform.mark();
            platform.command("ebpf:prog show " + progId);
            String stats = platform.awaitLine(mark, l -> l.startsWith(progId + ":"), REPLY, "with statistics");
            assertTrue(stats.contains("run_cnt 3"), stats);

            mark = platform.mark();
            platform.command("ebpf:prog run 999");
            String error = platform.awaitLine(mark, l -> l.startsWith("prog:"), REPLY, "refusing an unknown id");
            assertEquals("prog: no program with id 999", error);
        }
    }

    /**
     * The hot-plug story of the design: a program calling a helper no bundle provides yet loads and
     * waits; a third-party helper bundle dropped in the deploy folder makes it runnable without a
     * restart; removing the bundle makes it wait again.
     */
    @Test
    void aHelperBundleArrivingMakesAWaitingProgramRunnable() throws Exception {
        Path object = LauncherProcess.repoRoot().resolve("samples/kfunc_add.o");
        Path deploy = work.resolve("deploy");
        try (LauncherProcess platform = LauncherProcess.start(work, "--deploy", deploy.toString(), "--poll", "200", "--no-shell")) {
            platform.awaitLine(0, l -> l.startsWith("ebpf-osgi started"), STARTUP, "announcing the start");

            int mark = platform.mark();
            platform.command("ebpf:prog load " + object + " unverified");
            String waiting = platform.awaitLine(mark, l -> l.contains("name add_with_bundle_helper"), REPLY, "listing the program");
            assertTrue(waiting.contains("waiting for helper ebpfosgi_test_add"), waiting);
            int progId = Integer.parseInt(waiting.substring(0, waiting.indexOf(':')));

            mark = platform.mark();
            platform.command("ebpf:prog run " + progId);
            String refused = platform.awaitLine(mark, l -> l.startsWith("prog:"), REPLY, "refusing to run it");
            assertTrue(refused.contains("cannot run: waiting for helper ebpfosgi_test_add"), refused);

            mark = platform.mark();
            java.nio.file.Files.copy(HotDeployTest.testHelperJar(), deploy.resolve("test-helper.jar"));
            platform.awaitLine(mark, l -> l.contains("program " + progId + " (add_with_bundle_helper): loaded unverified"), REPLY,
                    "the program becoming runnable");
            mark = platform.mark();
            platform.command("ebpf:prog run " + progId);
            String retval = platform.awaitLine(mark, l -> l.startsWith("retval"), REPLY, "with the helper's answer");
            assertTrue(retval.startsWith("retval 42 (0x2a)"), "ebpfosgi_test_add(40, 2): " + retval);

            mark = platform.mark();
            java.nio.file.Files.delete(deploy.resolve("test-helper.jar"));
            platform.awaitLine(mark, l -> l.contains("program " + progId + " (add_with_bundle_helper): waiting for helper ebpfosgi_test_add"),
                    REPLY, "the program waiting again");
        }
    }
}

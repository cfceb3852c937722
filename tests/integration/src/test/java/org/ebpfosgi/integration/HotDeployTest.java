package org.ebpfosgi.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher jar as a user runs it: a helper bundle copied into the deploy folder is registered
 * without a restart, deleting it unregisters it, a corrupt jar is reported and changes nothing else,
 * and SIGTERM stops the framework cleanly. Assertions read the platform's own log and shell output.
 */
class HotDeployTest {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration HOT = Duration.ofSeconds(20);
    private static final String HELPER = "ebpfosgi_test_add(by name)";

    @TempDir
    Path work;

    static Path testHelperJar() {
        Path jar = LauncherProcess.repoRoot().resolve("tests/test-helper/target/test-helper-0.1.0-SNAPSHOT.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: build with `mvn verify` from the repository root");
        return jar;
    }

    @Test
    void bundleDroppedInDeployFolderIsRegisteredAndRemovedWithoutRestart() throws Exception {
        Path deploy = work.resolve("deploy");
        try (LauncherProcess platform = LauncherProcess.start(work, "--deploy", deploy.toString(), "--poll", "200")) {
            platform.awaitLine(0, l -> l.startsWith("ebpf-osgi started"), STARTUP, "announcing the start");
            String registered = platform.awaitLine(0, l -> l.startsWith("ebpf-osgi registered:"), STARTUP, "listing the services");
            assertTrue(registered.contains("engines [interpreter, jit]"), registered);
            assertTrue(registered.contains("bpf_map_lookup_elem(1)"), registered);
            assertTrue(!registered.contains(HELPER), registered);
            long pid = platform.process().pid();

            int mark = platform.mark();
            Files.copy(testHelperJar(), deploy.resolve("test-helper.jar"), StandardCopyOption.REPLACE_EXISTING);
            platform.awaitLine(mark, l -> l.contains("registered helper " + HELPER) && !l.contains("unregistered"), HOT,
                    "registering the hot-deployed helper");

            mark = platform.mark();
            platform.command("ebpf:inventory");
            String helpers = platform.awaitLine(mark, l -> l.startsWith("helpers:"), HOT, "from ebpf:inventory");
            assertTrue(helpers.contains(HELPER), helpers);

            // A changed file is an update of the same bundle, not a second one.
            mark = platform.mark();
            Files.setLastModifiedTime(deploy.resolve("test-helper.jar"),
                    java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
            platform.awaitLine(mark, l -> l.contains("deploy - updated org.ebpfosgi.test.helper"), HOT, "updating the changed bundle");
            platform.awaitLine(mark, l -> l.contains("registered helper " + HELPER) && !l.contains("unregistered"), HOT,
                    "registering the helper of the updated bundle");

            mark = platform.mark();
            Files.delete(deploy.resolve("test-helper.jar"));
            platform.awaitLine(mark, l -> l.contains("unregistered helper " + HELPER), HOT, "unregistering the removed helper");
            mark = platform.mark();
            platform.command("ebpf:inventory");
            helpers = platform.awaitLine(mark, l -> l.startsWith("helpers:"), HOT, "from ebpf:inventory");
            assertTrue(!helpers.contains(HELPER), helpers);
            assertEquals(pid, platform.process().pid());
            assertTrue(platform.process().isAlive(), "the platform kept running");
        }
    }

    @Test
    void corruptJarIsReportedAndThePlatformCarriesOn() throws Exception {
        Path deploy = work.resolve("deploy");
        Files.createDirectories(deploy);
        try (LauncherProcess platform = LauncherProcess.start(work, "--deploy", deploy.toString(), "--poll", "200")) {
            platform.awaitLine(0, l -> l.startsWith("ebpf-osgi started"), STARTUP, "announcing the start");

            int mark = platform.mark();
            byte[] garbage = new byte[4096];
            new java.util.Random(42).nextBytes(garbage);
            garbage[0] = 'P';
            garbage[1] = 'K';
            Files.write(deploy.resolve("broken.jar"), garbage);
            platform.awaitLine(mark, l -> l.contains("broken.jar") && l.toLowerCase().contains("fail"), HOT,
                    "reporting the corrupt jar");

            // Still alive, still hot-deploying.
            mark = platform.mark();
            Files.copy(testHelperJar(), deploy.resolve("test-helper.jar"));
            platform.awaitLine(mark, l -> l.contains("registered helper " + HELPER), HOT, "registering the helper after the corrupt jar");
            mark = platform.mark();
            platform.command("ebpf:inventory");
            platform.awaitLine(mark, l -> l.startsWith("engines:") && l.contains("interpreter") && l.contains("jit"), HOT, "from ebpf:inventory");
        }
    }

    @Test
    void sigtermStopsTheFrameworkCleanly() throws Exception {
        try (LauncherProcess platform = LauncherProcess.start(work, "--deploy", work.resolve("deploy").toString())) {
            platform.awaitLine(0, l -> l.startsWith("ebpf-osgi started"), STARTUP, "announcing the start");
            int mark = platform.mark();
            platform.process().toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
            assertTrue(platform.process().waitFor(30, TimeUnit.SECONDS), "the launcher exits after SIGTERM");
            platform.awaitLine(mark, l -> l.equals("ebpf-osgi stopped"), HOT, "confirming the framework stopped");
        }
    }

    @Test
    void ctrlCStopsTheFrameworkCleanly() throws Exception {
        try (LauncherProcess platform = LauncherProcess.start(work, "--deploy", work.resolve("deploy").toString())) {
            platform.awaitLine(0, l -> l.startsWith("ebpf-osgi started"), STARTUP, "announcing the start");
            int mark = platform.mark();
            // What a terminal's Ctrl-C sends.
            Process kill = new ProcessBuilder("bash", "-c", "kill -INT " + platform.process().pid()).inheritIO().start();
            assertEquals(0, kill.waitFor());
            assertTrue(platform.process().waitFor(30, TimeUnit.SECONDS), "the launcher exits after SIGINT");
            platform.awaitLine(mark, l -> l.equals("ebpf-osgi stopped"), HOT, "confirming the framework stopped");
        }
    }

    @Test
    void badOptionIsRefusedWithUsage() throws Exception {
        try (LauncherProcess platform = LauncherProcess.start(work, "--frobnicate")) {
            assertTrue(platform.process().waitFor(30, TimeUnit.SECONDS));
            assertEquals(2, platform.process().exitValue());
            platform.awaitLine(0, l -> l.contains("unknown option '--frobnicate'"), HOT, "naming the bad option");
            platform.awaitLine(0, l -> l.startsWith("usage:"), HOT, "with the usage");
        }
    }
}

package org.ebpfosgi.launcher;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * Starts the platform: Apache Felix with Declarative Services, slf4j logging, the Gogo shell, every
 * platform bundle embedded in this jar, and a watcher of the deploy folder, so a bundle copied
 * there is installed and started while everything runs, and removed when its file is deleted.
 */
public final class Main {
    private static final String START_ORDER = "/bundles/start-order.txt";
    private static final String INVENTORY = "org.ebpfosgi.api.runtime.Inventory";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ebpf: " + e.getMessage());
            System.err.println(LauncherOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(LauncherOptions.USAGE);
            return;
        }
        configureLogging();
        long started = System.nanoTime();
        Framework framework = new FrameworkFactory().newFramework(frameworkProperties(options));
        framework.init();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(framework), "ebpf-osgi-shutdown"));
        List<Bundle> bundles = installEmbedded(framework.getBundleContext());
        framework.start();
        for (Bundle bundle : bundles) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                try {
                    bundle.start();
                } catch (BundleException e) {
                    System.err.println("ebpf-osgi: could not start " + bundle.getSymbolicName() + ": " + e.getMessage());
                }
            }
        }
        String inventory = settledInventory(framework.getBundleContext());
        System.out.printf("ebpf-osgi started in %d ms; deploy folder %s%n", (System.nanoTime() - started) / 1_000_000,
                options.deployDir());
        System.out.println("ebpf-osgi registered: " + inventory);
        System.out.flush();
        Thread deploy = new Thread(new DeployFolder(framework.getBundleContext(), options.deployDir(), options.pollMillis(), System.out),
                "ebpf-osgi-deploy");
        deploy.setDaemon(true);
        deploy.start();
        if (options.shell() || System.console() == null) {
            // Gogo replaces System.out with a per-session stream; the shell writes to the real stdout.
            PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
            Thread pipe = new Thread(new PipeShell(framework.getBundleContext(), System.in, stdout, options.interactiveShell()),
                    "ebpf-osgi-shell");
            pipe.setDaemon(true);
            pipe.start();
        }
        FrameworkEvent event = framework.waitForStop(0);
        if (event.getType() == FrameworkEvent.ERROR) {
            System.exit(1);
        }
        System.exit(0);
    }

    private static void configureLogging() {
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.logFile", "System.out");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    static Map<String, String> frameworkProperties(LauncherOptions options) throws IOException {
        Map<String, String> config = new HashMap<>();
        Path storage = options.storageDir() != null ? options.storageDir()
                : Files.createTempDirectory("ebpf-osgi-framework-");
        if (options.storageDir() == null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(storage)));
        }
        Files.createDirectories(options.deployDir());
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("felix.log.level", "1");
        return config;
    }

    private static List<Bundle> installEmbedded(BundleContext context) throws IOException, BundleException {
        List<Bundle> bundles = new ArrayList<>();
        for (String file : startOrder()) {
            String resource = "/bundles/" + file;
            try (InputStream in = Main.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the launcher jar lacks " + resource + ": rebuild it");
                }
                bundles.add(context.installBundle("embedded:" + file, in));
            }
        }
        return bundles;
    }

    static List<String> startOrder() throws IOException {
        try (InputStream in = Main.class.getResourceAsStream(START_ORDER)) {
            if (in == null) {
                throw new IllegalStateException("the launcher jar lacks " + START_ORDER);
            }
            List<String> files = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    line = line.strip();
                    if (!line.isEmpty() && !line.startsWith("#")) {
                        files.add(line);
                    }
                }
            }
            return files;
        }
    }

    /**
     * The inventory's summary once component activation has gone quiet (no change for 300 ms, at most
     * 10 s): DS activates components asynchronously after the bundles start.
     */
    private static String settledInventory(BundleContext context) throws InterruptedException {
        String last = null;
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            String now = inventorySummary(context);
            if (now != null && now.equals(last)) {
                if (System.nanoTime() - stableSince > 300_000_000L) {
                    return now;
                }
            } else {
                last = now;
                stableSince = System.nanoTime();
            }
            Thread.sleep(50);
        }
        return last != null ? last : "(the inventory service did not start: see the log above)";
    }

    private static String inventorySummary(BundleContext context) {
        ServiceReference<?> ref = context.getServiceReference(INVENTORY);
        if (ref == null) {
            return null;
        }
        Object inventory = context.getService(ref);
        try {
            // The launcher does not see the API's classes (they live in a bundle): call through reflection.
            Method summary = inventory.getClass().getMethod("summary");
            return (String) summary.invoke(inventory);
        } catch (ReflectiveOperationException e) {
            return "(inventory unreadable: " + e + ")";
        } finally {
            context.ungetService(ref);
        }
    }

    private static void stop(Framework framework) {
        try {
            if ((framework.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) {
                framework.stop();
                framework.waitForStop(15_000);
                System.out.println("ebpf-osgi stopped");
                System.out.flush();
            }
        } catch (BundleException | InterruptedException e) {
            System.err.println("ebpf-osgi: stopping the framework failed: " + e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // Best effort: a leftover temp dir is harmless.
        }
    }
}

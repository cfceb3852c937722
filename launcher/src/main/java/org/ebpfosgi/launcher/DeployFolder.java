package org.ebpfosgi.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Hot deploy: bundle jars in a folder are installed and started while the platform runs, updated when
 * their file changes, and uninstalled when their file goes. A file is acted on once it has kept the
 * same size and time for one poll (a copy in progress is not a bundle yet). A jar that is not a valid
 * bundle is reported once and left alone until it changes; nothing else is disturbed.
 */
final class DeployFolder implements Runnable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    /** What a file looked like when seen; equal stamps on two polls in a row mean the file is complete. */
    private record Stamp(long size, long modified) {
    }

    private static final class Deployed {
        Stamp stamp;
        Bundle bundle;
    }

    private final BundleContext context;
    private final Path folder;
    private final long pollMillis;
    private final PrintStream out;
    private final Map<Path, Stamp> seen = new HashMap<>();
    private final Map<Path, Deployed> deployed = new HashMap<>();
    private volatile boolean running = true;

    DeployFolder(BundleContext context, Path folder, long pollMillis, PrintStream out) {
        this.context = context;
        this.folder = folder;
        this.pollMillis = pollMillis;
        this.out = out;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        while (running) {
            try {
                scan();
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The watcher must outlive anything a bad file or a failing bundle throws at it.
                report("WARN", "scan of " + folder + " failed: " + e);
            }
        }
    }

    /** One pass over the folder. */
    void scan() {
        Map<Path, Stamp> now = listJars();
        if (now == null) {
            return;
        }
        boolean changed = false;
        for (Map.Entry<Path, Stamp> file : now.entrySet()) {
            Path path = file.getKey();
            Stamp stamp = file.getValue();
            Stamp before = seen.put(path, stamp);
            if (!stamp.equals(before)) {
                continue; // new or still being written: decide on the next poll
            }
            Deployed current = deployed.get(path);
            if (current != null && stamp.equals(current.stamp)) {
                continue;
            }
            changed |= current == null ? install(path, stamp) : update(path, stamp, current);
        }
        Set<Path> gone = new HashSet<>(deployed.keySet());
        gone.removeAll(now.keySet());
        for (Path path : gone) {
            changed |= uninstall(path, deployed.remove(path));
        }
        seen.keySet().retainAll(now.keySet());
        if (changed) {
            context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(null);
        }
    }

    private Map<Path, Stamp> listJars() {
        Map<Path, Stamp> jars = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.jar")) {
            for (Path file : files) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    if (attributes.isRegularFile()) {
                        jars.put(file, new Stamp(attributes.size(), attributes.lastModifiedTime().toMillis()));
                    }
                } catch (IOException vanished) {
                    // Deleted between listing and reading: the next scan sees it gone.
                }
            }
        } catch (IOException e) {
            report("WARN", "cannot read deploy folder " + folder + ": " + e.getMessage());
            return null;
        }
        return jars;
    }

    private boolean install(Path path, Stamp stamp) {
        Deployed entry = new Deployed();
        entry.stamp = stamp;
        deployed.put(path, entry);
        try {
            byte[] jar = Files.readAllBytes(path);
            entry.bundle = context.installBundle("deploy:" + path.getFileName(), new ByteArrayInputStream(jar));
            start(entry.bundle);
            report("INFO", "installed " + describe(entry.bundle) + " from " + path.getFileName());
            return true;
        } catch (BundleException | IOException | RuntimeException e) {
            report("ERROR", "failed to deploy " + path.getFileName() + ": " + reason(e) + " (ignored until the file changes)");
            uninstallQuietly(entry);
            return false;
        }
    }

    private boolean update(Path path, Stamp stamp, Deployed entry) {
        entry.stamp = stamp;
        if (entry.bundle == null) {
            deployed.remove(path);
            return install(path, stamp);
        }
        try {
            entry.bundle.update(new ByteArrayInputStream(Files.readAllBytes(path)));
            start(entry.bundle);
            report("INFO", "updated " + describe(entry.bundle) + " from " + path.getFileName());
        } catch (BundleException | IOException | RuntimeException e) {
            report("ERROR", "failed to update " + path.getFileName() + ": " + reason(e) + " (the previous version stays)");
        }
        return true;
    }

    private boolean uninstall(Path path, Deployed entry) {
        if (entry == null || entry.bundle == null) {
            return false;
        }
        String what = describe(entry.bundle);
        uninstallQuietly(entry);
        report("INFO", "uninstalled " + what + " (" + path.getFileName() + " was removed)");
        return true;
    }

    private void uninstallQuietly(Deployed entry) {
        if (entry.bundle != null) {
            try {
                entry.bundle.uninstall();
            } catch (BundleException | IllegalStateException e) {
                report("WARN", "uninstalling " + describe(entry.bundle) + " failed: " + reason(e));
            }
            entry.bundle = null;
        }
    }

    private static void start(Bundle bundle) throws BundleException {
        if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
            bundle.start();
        }
    }

    private static String describe(Bundle bundle) {
        return bundle.getSymbolicName() + " " + bundle.getVersion();
    }

    private static String reason(Throwable e) {
        String message = Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
        return e.getCause() != null && e.getCause() != e ? message + ": " + e.getCause().getMessage() : message;
    }

    private void report(String level, String message) {
        out.println(LocalTime.now().format(TIME) + " " + level + " deploy - " + message);
        out.flush();
    }
}

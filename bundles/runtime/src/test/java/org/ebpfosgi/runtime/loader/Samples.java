package org.ebpfosgi.runtime.loader;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ebpfosgi.api.runtime.ObjectFormatException;

/** The shared sample objects and the LLVM/bpftool tools the tests use as oracles. */
final class Samples {
    private Samples() {}

    static Path root() {
        Path shared = Path.of(System.getProperty("ebpf.repo.root", "."), "../shared/samples").normalize();
        assertTrue(Files.isDirectory(shared), "sample objects not found at " + shared);
        return shared;
    }

    /** Every valid sample object (not under invalid/), sorted. */
    static List<Path> validObjects() {
        try (Stream<Path> s = Files.walk(root())) {
            return s.filter(p -> p.toString().endsWith(".o") && !root().relativize(p).startsWith("invalid")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path sample(String relative) {
        return root().resolve(relative);
    }

    static String relative(Path p) {
        return root().relativize(p).toString();
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ParsedObject parse(String relative) throws ObjectFormatException {
        Path p = sample(relative);
        return ObjectLoader.parse(p.getFileName().toString(), read(p), LinuxSectionTypes.instance());
    }

    /** Runs a tool and returns its standard output; fails naming the Debian package when it is missing. */
    static String run(String debianPackage, String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish");
            }
            if (process.exitValue() != 0) {
                fail(String.join(" ", command) + " failed: " + new String(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return fail(command[0] + " is not installed: install the Debian package '" + debianPackage
                    + "' (bin/install-test-deps)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    static List<String> lines(String text) {
        return new ArrayList<>(text.lines().toList());
    }
}

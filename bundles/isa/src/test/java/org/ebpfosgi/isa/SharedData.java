package org.ebpfosgi.isa;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Locates ../shared relative to the repository root passed by surefire. */
public final class SharedData {
    private SharedData() {
    }

    public static Path shared() {
        Path dir = Path.of(System.getProperty("ebpf.repo.root", "."), "../shared").normalize();
        assertTrue(Files.isDirectory(dir), "shared test data not found at " + dir.toAbsolutePath());
        return dir;
    }

    public static Path conformance() {
        return shared().resolve("conformance");
    }

    public static List<Path> conformanceFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(conformance())) {
            list.filter(p -> p.getFileName().toString().endsWith(".data")).sorted().forEach(files::add);
        }
        return files;
    }

    /** One row of assembled.tsv: the suite's own assembly of each vector. */
    public record AssembledRow(String name, String cpuVersion, String groups, String memoryHex, String resultHex,
            String programHex) {
    }

    public static List<AssembledRow> assembledRows() throws IOException {
        List<AssembledRow> rows = new ArrayList<>();
        for (String line : Files.readAllLines(conformance().resolve("assembled.tsv"))) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            rows.add(new AssembledRow(f[0], f[1], f[2], f[3], f[4], f[5]));
        }
        return rows;
    }

    public static String hex(long[] words) {
        StringBuilder sb = new StringBuilder();
        for (long w : words) {
            for (int i = 0; i < 8; i++) {
                sb.append(String.format("%02x", (w >>> (8 * i)) & 0xff));
            }
        }
        return sb.toString();
    }

    public static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b & 0xff));
        }
        return sb.toString();
    }
}

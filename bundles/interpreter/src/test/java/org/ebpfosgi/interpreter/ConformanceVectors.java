package org.ebpfosgi.interpreter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The suite's own assembly of every vector ({@code ../shared/conformance/assembled.tsv}). */
final class ConformanceVectors {
    static final Path SHARED = Path.of(System.getProperty("ebpf.repo.root", "."), "../shared").normalize();
    static final Path DIRECTORY = SHARED.resolve("conformance");

    /** One row: name, group flags, memory, expected r0, program words. */
    record Assembled(String name, String groups, byte[] memory, long expected, long[] program, String programHex) {
    }

    private ConformanceVectors() {
    }

    static List<Assembled> assembled() {
        try {
            List<Assembled> rows = new ArrayList<>();
            for (String line : Files.readAllLines(DIRECTORY.resolve("assembled.tsv"))) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                byte[] code = ConformancePlugin.parseHex(f[5]);
                long[] words = new long[code.length / 8];
                ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(words);
                rows.add(new Assembled(f[0], f[2], ConformancePlugin.parseHex(f[3]), Long.parseUnsignedLong(f[4].substring(2), 16), words, f[5]));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

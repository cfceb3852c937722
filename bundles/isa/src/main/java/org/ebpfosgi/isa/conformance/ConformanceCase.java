package org.ebpfosgi.isa.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import org.ebpfosgi.isa.Assembler;
import org.ebpfosgi.isa.AssemblyException;

/**
 * One bpf_conformance test vector: sections started by lines {@code -- name}: {@code asm} (assembly),
 * {@code raw} (64-bit instruction words, one per line; replaces the assembled asm), {@code mem} (hex bytes),
 * {@code result} (expected r0: hex if it contains "0x", else decimal), {@code error} (expected error text).
 * Lines starting with {@code #} outside asm/c are comments; other sections (such as {@code c}, the source the asm
 * came from) are ignored.
 */
public final class ConformanceCase {
    private final String name;
    private final String asm;
    private final long[] program;
    private final byte[] memory;
    private final OptionalLong expectedResult;
    private final Optional<String> expectedError;

    private ConformanceCase(String name, String asm, long[] program, byte[] memory, OptionalLong expectedResult,
            Optional<String> expectedError) {
        this.name = name;
        this.asm = asm;
        this.program = program;
        this.memory = memory;
        this.expectedResult = expectedResult;
        this.expectedError = expectedError;
    }

    /** Reads a {@code .data} file; the name is the file name without {@code .data}. */
    public static ConformanceCase parse(Path file) throws IOException {
        String fileName = file.getFileName().toString();
        String name = fileName.endsWith(".data") ? fileName.substring(0, fileName.length() - 5) : fileName;
        return parse(name, Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Parses the text of a test vector.
     *
     * @throws IOException naming the line, for malformed content (including asm that does not assemble, with the
     *     {@link AssemblyException} as the cause)
     */
    public static ConformanceCase parse(String name, String text) throws IOException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
        StringBuilder asm = new StringBuilder();
        int asmFirstLine = 0;
        long[] raw = null;
        int rawCount = 0;
        byte[] memory = new byte[16];
        int memoryLength = 0;
        StringBuilder result = null;
        int resultLine = 0;
        StringBuilder error = null;
        String section = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNumber = i + 1;
            String line = lines[i];
            if (line.startsWith("--")) {
                section = line.substring(2).strip();
                switch (section) {
                    case "asm" -> {
                        if (asmFirstLine != 0) {
                            throw malformed(name, lineNumber, "second asm section");
                        }
                        asmFirstLine = lineNumber + 1;
                    }
                    case "raw" -> {
                        if (raw != null) {
                            throw malformed(name, lineNumber, "second raw section");
                        }
                        raw = new long[8];
                    }
                    case "result" -> {
                        if (result != null) {
                            throw malformed(name, lineNumber, "second result section");
                        }
                        result = new StringBuilder();
                        resultLine = lineNumber;
                    }
                    case "error" -> {
                        if (error != null) {
                            throw malformed(name, lineNumber, "second error section");
                        }
                        error = new StringBuilder();
                    }
                    default -> {
                        // mem may be repeated; c and others are informational.
                    }
                }
                continue;
            }
            if (section == null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    throw malformed(name, lineNumber, "text before the first '--' section");
                }
                continue;
            }
            switch (section) {
                case "asm" -> asm.append(line).append('\n');
                case "raw" -> {
                    String word = uncomment(line);
                    if (!word.isEmpty()) {
                        if (rawCount == raw.length) {
                            raw = Arrays.copyOf(raw, rawCount * 2);
                        }
                        raw[rawCount++] = parseRawWord(name, lineNumber, word);
                    }
                }
                case "mem" -> {
                    for (String token : uncomment(line).split("\\s+")) {
                        if (token.isEmpty()) {
                            continue;
                        }
                        if (token.length() != 2 || Character.digit(token.charAt(0), 16) < 0
                                || Character.digit(token.charAt(1), 16) < 0) {
                            throw malformed(name, lineNumber, "memory byte '" + token + "' is not two hex digits");
                        }
                        if (memoryLength == memory.length) {
                            memory = Arrays.copyOf(memory, memoryLength * 2);
                        }
                        memory[memoryLength++] = (byte) Integer.parseInt(token, 16);
                    }
                }
                case "result" -> result.append(uncomment(line));
                case "error" -> {
                    if (!line.isBlank()) {
                        error.append(error.length() == 0 ? "" : "\n").append(line.strip());
                    }
                }
                default -> {
                }
            }
        }
        long[] program;
        if (raw != null) {
            program = Arrays.copyOf(raw, rawCount);
        } else if (asmFirstLine != 0) {
            try {
                program = Assembler.assemble(asm.toString());
            } catch (AssemblyException e) {
                int line = e.line() > 0 ? asmFirstLine + e.line() - 1 : 0;
                throw new IOException(name + ":" + line + ": " + e.reason(), e);
            }
        } else {
            throw malformed(name, 0, "neither an asm nor a raw section");
        }
        OptionalLong expected = OptionalLong.empty();
        if (result != null && !result.toString().isBlank()) {
            expected = OptionalLong.of(parseResult(name, resultLine, result.toString().strip()));
        }
        Optional<String> expectedError = error == null || error.length() == 0 ? Optional.empty()
                : Optional.of(error.toString());
        return new ConformanceCase(name, asm.toString().strip(), program, Arrays.copyOf(memory, memoryLength),
                expected, expectedError);
    }

    private static String uncomment(String line) {
        int hash = line.indexOf('#');
        return (hash >= 0 ? line.substring(0, hash) : line).strip();
    }

    private static long parseRawWord(String name, int line, String word) throws IOException {
        try {
            if (word.startsWith("0x") || word.startsWith("0X")) {
                if (word.length() > 18) {
                    throw new NumberFormatException();
                }
                return Long.parseUnsignedLong(word.substring(2), 16);
            }
            return Long.parseUnsignedLong(word, 10);
        } catch (NumberFormatException e) {
            throw malformed(name, line, "raw word '" + word + "' is not a 64-bit number");
        }
    }

    private static long parseResult(String name, int line, String value) throws IOException {
        try {
            boolean negative = value.startsWith("-");
            String digits = negative ? value.substring(1) : value;
            long magnitude;
            if (digits.startsWith("0x") || digits.startsWith("0X")) {
                magnitude = Long.parseUnsignedLong(digits.substring(2), 16);
            } else {
                magnitude = Long.parseUnsignedLong(digits, 10);
            }
            return negative ? -magnitude : magnitude;
        } catch (NumberFormatException e) {
            throw malformed(name, line, "result '" + value + "' is not a number");
        }
    }

    private static IOException malformed(String name, int line, String message) {
        return new IOException(name + (line > 0 ? ":" + line : "") + ": " + message);
    }

    public String name() {
        return name;
    }

    /** The asm section as written (without trailing blank lines); empty if there is none. */
    public String asm() {
        return asm;
    }

    /** The raw words if present, else the assembled asm. */
    public long[] program() {
        return program.clone();
    }

    /** The memory passed to the program (r1 = address, r2 = length); empty if none. */
    public byte[] memory() {
        return memory.clone();
    }

    public OptionalLong expectedResult() {
        return expectedResult;
    }

    public Optional<String> expectedError() {
        return expectedError;
    }

    @Override
    public String toString() {
        return "ConformanceCase[" + name + "]";
    }
}

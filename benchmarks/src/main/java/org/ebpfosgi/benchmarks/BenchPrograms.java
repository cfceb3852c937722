package org.ebpfosgi.benchmarks;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionEngine;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.interpreter.InterpreterEngine;
import org.ebpfosgi.jit.JitEngine;

/**
 * The CPU benchmark programs of {@code ../shared/bench}: their raw {@code .text}, the input, and the
 * facts of the README table (dynamic instruction count and expected r0 per program).
 */
final class BenchPrograms {
    /** One row of the README's program table. */
    record Facts(String name, long dynamicInstructions, long expectedR0) {
    }

    /** One row of the README's reference table: ns per execution of the C interpreter, C JIT, clang and gcc builds. */
    record Reference(String name, String interpreter, String jit, String clang, String gcc) {
    }

    private BenchPrograms() {
    }

    /**
     * {@code ../shared/bench}, from the repository root given as {@code -Debpf.repo.root}, else from
     * where this jar lies ({@code <root>/benchmarks/target/benchmarks.jar}).
     */
    static Path directory() {
        String root = System.getProperty("ebpf.repo.root");
        Path repo;
        if (root != null) {
            repo = Path.of(root);
        } else {
            try {
                Path jar = Path.of(BenchPrograms.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                repo = jar.getParent().getParent().getParent();
            } catch (URISyntaxException e) {
                throw new IllegalStateException("cannot locate the repository; pass -Debpf.repo.root=<dir>", e);
            }
        }
        Path bench = repo.resolve("../shared/bench").normalize();
        if (!Files.isDirectory(bench)) {
            throw new IllegalStateException(bench + " not found; pass -Debpf.repo.root=<repository root>");
        }
        return bench;
    }

    static long[] program(String name) throws IOException {
        byte[] text = Files.readAllBytes(directory().resolve("programs").resolve(name + ".bin"));
        if (text.length % 8 != 0) {
            throw new IOException(name + ".bin is not a whole number of instructions");
        }
        long[] words = new long[text.length / 8];
        ByteBuffer.wrap(text).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(words);
        return words;
    }

    /**
     * Program {@code name} loaded as verified on {@code engine} ({@code interpreter} or {@code jit}), checked
     * to run there and to answer the README's r0 on {@code input}.
     */
    static ExecutableProgram load(String engine, String name, byte[] input) throws IOException {
        ExecutableProgram executable = load(engine, ProgramImage.of(name, program(name)));
        Facts facts = facts().get(name);
        if (facts == null) {
            throw new IllegalArgumentException("no benchmark program '" + name + "' in ../shared/bench");
        }
        long r0 = run(executable, input);
        if (r0 != facts.expectedR0()) {
            throw new IllegalStateException(name + ": r0 0x" + Long.toHexString(r0) + ", expected 0x" + Long.toHexString(facts.expectedR0()));
        }
        return executable;
    }

    /**
     * {@code image} loaded as verified on {@code engine} ({@code interpreter} or {@code jit}), checked to
     * run there (the JIT hands a program it cannot compile to the interpreter).
     */
    static ExecutableProgram load(String engine, ProgramImage image) {
        boolean jit = engine.equals(JitEngine.NAME);
        ExecutionEngine e = jit ? new JitEngine() : new InterpreterEngine();
        ExecutableProgram executable = e.load(image, true);
        if (!executable.getClass().getSimpleName().toLowerCase().contains(jit ? "jit" : "interpreted")) {
            throw new IllegalStateException(image.name() + " did not load on " + engine + ": " + executable);
        }
        return executable;
    }

    /** One run the way a hook runs a program: the thread's address space, the input mapped, r1 = input, r2 = its length. */
    static long run(ExecutableProgram program, byte[] input) {
        Memory memory = program.memory();
        long r1 = memory.map(Region.of(Region.Kind.MEMORY, "input", input));
        return program.run(memory, r1, input.length, null);
    }

    static byte[] input() throws IOException {
        return Files.readAllBytes(directory().resolve("input-1500.bin"));
    }

    /** The README's reference figures, by program name. */
    static Map<String, Reference> references() throws IOException {
        Map<String, Reference> references = new LinkedHashMap<>();
        for (String line : Files.readAllLines(directory().resolve("README.md"))) {
            String[] cells = line.split("\\|");
            // | program | C interpreter | C template JIT (x86-64) | clang -O2 native | gcc -O2 native |
            if (cells.length != 6 || cells[1].trim().equals("program") || !cells[2].trim().matches("[0-9][0-9,.]*")) {
                continue;
            }
            references.put(cells[1].trim(), new Reference(cells[1].trim(), cells[2].trim(), cells[3].trim(), cells[4].trim(), cells[5].trim()));
        }
        return references;
    }

    /** The README's program table, by program name. */
    static Map<String, Facts> facts() throws IOException {
        Map<String, Facts> facts = new LinkedHashMap<>();
        for (String line : Files.readAllLines(directory().resolve("README.md"))) {
            String[] cells = line.split("\\|");
            // | program | what it does | static insns | dynamic insns | r0 on input-1500.bin |
            if (cells.length < 6 || !cells[5].trim().startsWith("0") || cells[1].trim().equals("program")) {
                continue;
            }
            String name = cells[1].trim();
            long dynamic = Long.parseLong(cells[4].trim().replace(",", ""));
            String r0 = cells[5].trim();
            long expected = r0.startsWith("0x") ? Long.parseUnsignedLong(r0.substring(2), 16) : Long.parseLong(r0);
            facts.put(name, new Facts(name, dynamic, expected));
        }
        return facts;
    }
}

package org.ebpfosgi.interpreter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionEngine;
import org.ebpfosgi.api.helper.ArgKind;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.api.program.ContextDescriptor;
import org.ebpfosgi.api.program.ProgramImage;

/**
 * A bpf_conformance plugin: {@code <plugin> [<mem-hex>] [<options>...] [--elf]}. The program comes
 * as hex text on standard input, the memory (passed in r1, its length in r2) as one hex argument;
 * prints r0 in hex and exits 0, or prints the error and exits 1. ELF input is not supported: the
 * interpreter runs instructions, the loader bundle reads ELF.
 */
public final class ConformancePlugin {
    /** Exit status for a program that was refused or aborted. */
    static final int FAILED = 1;
    /** Exit status for unusable input (bad hex, unsupported option). */
    static final int USAGE = 2;

    private ConformancePlugin() {
    }

    public static void main(String[] args) throws IOException {
        int status = run(args, System.in, System.out, System.err, new InterpreterEngine());
        System.out.flush();
        System.exit(status);
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws IOException {
        return run(args, in, out, err, new InterpreterEngine());
    }

    /** The plugin protocol on {@code engine}: what another engine's plugin entry point (the JIT's) calls. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, ExecutionEngine engine) throws IOException {
        byte[] memory = new byte[0];
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--elf")) {
                err.println("ELF input is not supported by this plugin: pass the program as hex instructions");
                return USAGE;
            }
            if (i == 0 && !arg.startsWith("--")) {
                try {
                    memory = parseHex(arg);
                } catch (IllegalArgumentException e) {
                    err.println("memory argument: " + e.getMessage());
                    return USAGE;
                }
            }
            // Other options of the suite's runner (e.g. --debug) do not change how the interpreter runs.
        }
        long[] program;
        try {
            byte[] code = parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
            if (code.length == 0 || code.length % 8 != 0) {
                err.println("program: " + code.length + " bytes is not a whole number of 8-byte instructions");
                return USAGE;
            }
            program = new long[code.length / 8];
            ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(program);
        } catch (IllegalArgumentException e) {
            err.println("program: " + e.getMessage());
            return USAGE;
        }
        try {
            out.println(Long.toHexString(run(program, memory, engine)));
            return 0;
        } catch (RuntimeException e) {
            err.println(e.getMessage());
            return FAILED;
        }
    }

    /** Loads {@code program} unverified with the suite's helpers and runs it over {@code memory}. */
    static long run(long[] program, byte[] memory) {
        return run(program, memory, new InterpreterEngine());
    }

    /** As {@link #run(long[], byte[])} on {@code engine}. */
    public static long run(long[] program, byte[] memory, ExecutionEngine engine) {
        ExecutableProgram executable = engine.load(image("conformance", program), false);
        Memory m = executable.memory();
        long r1 = memory.length == 0 ? 0 : m.map(Region.of(Region.Kind.MEMORY, "memory", memory));
        return executable.run(m, r1, memory.length, null);
    }

    /** The image the suite expects: no maps, and helper 5 as the suite's plugins define it. */
    public static ProgramImage image(String name, long[] program) {
        return new ProgramImage(name, "conformance", ContextDescriptor.plain(0), program, List.of(),
                Map.of(Unwind.ID, new Unwind()), List.of());
    }

    /** Bytes as two hex digits each, separated by any whitespace or none. */
    public static byte[] parseHex(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length() / 3 + 1);
        int high = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                if (high >= 0) {
                    throw new IllegalArgumentException("odd hex digit before position " + i);
                }
                continue;
            }
            int digit = Character.digit(c, 16);
            if (digit < 0) {
                throw new IllegalArgumentException("'" + c + "' at position " + i + " is not a hex digit");
            }
            if (high < 0) {
                high = digit;
            } else {
                bytes.write(high << 4 | digit);
                high = -1;
            }
        }
        if (high >= 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        return bytes.toByteArray();
    }

    /**
     * Helper 5 of the suite's reference plugin: returns its argument. (There, a 0 result also ends the
     * program early; the vectors call it with -1 only, directly and through callx.)
     */
    static final class Unwind implements Helper {
        static final int ID = 5;

        @Override
        public int id() {
            return ID;
        }

        @Override
        public String name() {
            return "unwind";
        }

        @Override
        public HelperPrototype prototype() {
            return HelperPrototype.of(ReturnKind.INTEGER, ArgKind.ANYTHING);
        }

        @Override
        public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
            return r1;
        }
    }
}

package org.ebpfosgi.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How fast this machine's clock runs now, next to the machine the {@code ../shared/bench} README's
 * reference figures come from. This machine is a virtual one whose clock moves (2.5-2.8 GHz within
 * one day here), and those figures came from one at about 3.6 GHz, so ns on their own compare
 * neither sittings nor machines. The gauge is the README's own native fnv1a, built from its C source
 * with the README's compiler and timed with its harness ({@code native_bench.c}): one serial chain of
 * an xor (1 cycle) and a 64-bit multiply (3 cycles) per byte, 6,000 cycles for the 1,500 bytes on
 * any x86-64 core of the last decade, with nothing to vectorize or mispredict. Its time is therefore
 * the clock: {@link #factor} scales a time measured here to the reference machine's clock.
 * <p>
 * {@code bin/bench --calibrate} and {@code bin/bench-cpu --calibrate} take it before and after their
 * runs; on its own, {@code java -cp benchmarks.jar org.ebpfosgi.benchmarks.NativeClock} prints one.
 */
final class NativeClock {
    /** Cycles of native fnv1a over the 1,500-byte input: 1,500 x (xor 1 + imul 3). */
    static final double FNV1A_CYCLES = 6000;
    private static final Pattern LINE = Pattern.compile("^(\\S+)\\s+min=\\s*([0-9.]+) ns\\s+median=\\s*([0-9.]+) ns");
    private static final String[] PROGRAMS = {"fnv1a", "inet_csum", "bubble_sort", "collatz", "parse_udp", "nop"};

    private final String compiler;
    private final double fnv1aNs;
    private final double referenceFnv1aNs;

    private NativeClock(String compiler, double fnv1aNs, double referenceFnv1aNs) {
        this.compiler = compiler;
        this.fnv1aNs = fnv1aNs;
        this.referenceFnv1aNs = referenceFnv1aNs;
    }

    /** Builds the native harness (gcc, else clang-19) in a scratch folder, runs it and reads fnv1a's minimum. */
    static NativeClock measure() throws IOException, InterruptedException {
        String compiler = onPath("gcc") ? "gcc" : onPath("clang-19") ? "clang-19" : null;
        if (compiler == null) {
            throw new IllegalStateException("the native gauge needs gcc or clang-19 on the PATH (apt-get install gcc)");
        }
        Path bench = BenchPrograms.directory();
        Path scratch = Files.createTempDirectory("ebpf-native-bench");
        try {
            List<String> objects = new ArrayList<>();
            for (String p : PROGRAMS) {
                Path object = scratch.resolve("native_" + p + ".o");
                exec(bench, compiler, "-O2", "-I" + bench.resolve("programs"), "-DBENCH_NAME=native_" + p, "-c",
                        bench.resolve("programs").resolve(p + ".c").toString(), "-o", object.toString());
                objects.add(object.toString());
            }
            Path binary = scratch.resolve("native_bench");
            List<String> link = new ArrayList<>(List.of(compiler, "-O2", bench.resolve("native_bench.c").toString()));
            link.addAll(objects);
            link.addAll(List.of("-o", binary.toString()));
            exec(bench, link.toArray(String[]::new));
            String output = exec(bench, binary.toString(), "50");
            double fnv1a = Double.NaN;
            for (String line : output.split("\n")) {
                Matcher m = LINE.matcher(line.trim());
                if (m.find() && m.group(1).equals("fnv1a")) {
                    fnv1a = Double.parseDouble(m.group(2));
                }
            }
            if (Double.isNaN(fnv1a)) {
                throw new IllegalStateException("native_bench printed no fnv1a line:\n" + output);
            }
            BenchPrograms.Reference reference = BenchPrograms.references().get("fnv1a");
            if (reference == null) {
                throw new IllegalStateException("the bench README has no reference row for fnv1a");
            }
            String column = compiler.equals("gcc") ? reference.gcc() : reference.clang();
            return new NativeClock(compiler, fnv1a, Double.parseDouble(column.replace(",", "")));
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Times measured here times this are times at the reference machine's clock. */
    double factor() {
        return referenceFnv1aNs / fnv1aNs;
    }

    double fnv1aNs() {
        return fnv1aNs;
    }

    double gigahertz() {
        return FNV1A_CYCLES / fnv1aNs;
    }

    double referenceGigahertz() {
        return FNV1A_CYCLES / referenceFnv1aNs;
    }

    String describe() {
        return String.format(Locale.ROOT, "native fnv1a (%s -O2): %,.1f ns here, %,.1f ns in the bench README: clock about %.2f GHz here, %.2f GHz there (factor %.3f)",
                compiler, fnv1aNs, referenceFnv1aNs, gigahertz(), referenceGigahertz(), factor());
    }

    /**
     * Prints the gauges taken {@code before} and {@code after} a measurement, with a warning when the
     * clock moved more than 5% between them, and answers their mean: the clock to scale by.
     */
    static NativeClock report(PrintStream out, NativeClock before, NativeClock after) {
        out.println("before: " + before.describe());
        out.println("after:  " + after.describe());
        double drift = Math.abs(after.fnv1aNs - before.fnv1aNs) / before.fnv1aNs;
        if (drift > 0.05) {
            out.printf(Locale.ROOT, "WARNING: the clock moved %.0f%% during the run; the scaled figures are uncertain by as much%n", 100 * drift);
        }
        return new NativeClock(before.compiler, (before.fnv1aNs + after.fnv1aNs) / 2, before.referenceFnv1aNs);
    }

    /** This gauge as one line for a script to hand back to {@code --since}. */
    String raw() {
        return String.format(Locale.ROOT, "%s:%.1f:%.1f", compiler, fnv1aNs, referenceFnv1aNs);
    }

    static NativeClock parse(String raw) {
        String[] parts = raw.trim().split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a gauge from NativeClock --raw: '" + raw + "'");
        }
        return new NativeClock(parts[0], Double.parseDouble(parts[1]), Double.parseDouble(parts[2]));
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static String exec(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + ": timed out");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + text);
        }
        return text;
    }

    /**
     * Prints one gauge. {@code --raw}: the gauge as one line, for a script. {@code --since RAW [name ns]...}:
     * gauges again, reports both (see {@link #report}) and prints each ns scaled to the README machine's clock.
     */
    public static void main(String[] args) throws Exception {
        NativeClock now = measure();
        if (args.length > 0 && args[0].equals("--raw")) {
            System.out.println(now.raw());
        } else if (args.length > 1 && args[0].equals("--since") && args.length % 2 == 0) {
            NativeClock clock = report(System.out, parse(args[1]), now);
            System.out.println("scaled to the README machine's clock (ns per instruction):");
            for (int i = 2; i < args.length; i += 2) {
                System.out.printf(Locale.ROOT, "  %-12s %.2f%n", args[i], Double.parseDouble(args[i + 1]) * clock.factor());
            }
        } else if (args.length == 0) {
            System.out.println(now.describe());
        } else {
            System.err.println("usage: NativeClock [--raw | --since RAW [name ns]...]");
            System.exit(2);
        }
    }
}

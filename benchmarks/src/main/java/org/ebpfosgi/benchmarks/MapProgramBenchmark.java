package org.ebpfosgi.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.api.program.ContextDescriptor;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.helpers.core.CoreHelpers;
import org.ebpfosgi.interpreter.InterpreterEngine;
import org.ebpfosgi.jit.JitEngine;
import org.ebpfosgi.isa.Assembler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Map operations the way a program does them: an engine (the interpreter or the JIT) runs a loop of {@link #CALLS} iterations,
 * each copying the next key of a key table (the input region, 8-byte slots) to the stack and calling
 * {@code bpf_map_lookup_elem} (helper 1, null-checked, the value's first u64 added to an accumulator)
 * or {@code bpf_map_update_elem} (helper 2, flags ANY) from helpers-core on a map of {@link MapFixtures}.
 * The {@code *_nocall} variants run the same loop with the call replaced by one register move, so
 * {@code (ns/op(call) - ns/op(nocall)) / CALLS} is the share of the helper call and map operation.
 * A run is what a hook does per event: take the address space, map the input, run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MapProgramBenchmark {
    /** Loop iterations (map calls) per program run. */
    public static final int CALLS = 100;

    @Param({"hash", "array", "lru_hash", "lpm_trie"})
    public String type;

    @Param({"lookup", "lookup_nocall", "update", "update_nocall"})
    public String variant;

    @Param({"interpreter", "jit"})
    public String engine;

    /** Entries of the map, all visited (a power of two); 16384 by default, not all in the caches. */
    @Param({"16384"})
    public int entries;

    private ExecutableProgram program;
    private byte[] keyTable;
    private long start;

    /** Loop head shared by all variants: r6 = key table, r7 = key index, r8 = iterations left, r9 = accumulator. */
    private static final String HEAD = """
            r6 = r1
            r7 = r2
            r8 = %d
            r9 = 0
            loop:
            r1 = r7
            r1 &= %d
            r1 <<= 3
            r1 += r6
            r1 = *(u64 *)(r1 + 0)
            *(u64 *)(r10 - 8) = r1
            """;

    private static final String LOOKUP = """
            r1 = map_fd 0
            r2 = r10
            r2 += -8
            %s
            if r0 == 0 goto skip
            r1 = *(u64 *)(r0 + 0)
            r9 += r1
            skip:
            """;

    /** The value stored is the key index; r0 (0 on success) is summed so a failed update shows. */
    private static final String UPDATE = """
            *(u64 *)(r10 - 16) = r7
            r1 = map_fd 0
            r2 = r10
            r2 += -8
            r3 = r10
            r3 += -16
            r4 = 0
            %s
            r9 += r0
            """;

    private static final String TAIL = """
            r7 += 1
            r8 += -1
            if r8 != 0 goto loop
            r0 = r9
            exit
            """;

    static String source(String variant, int entries) {
        String body = switch (variant) {
            case "lookup" -> LOOKUP.formatted("call 1");
            // r2 is the key's stack address: non-null and readable, like a found value.
            case "lookup_nocall" -> LOOKUP.formatted("r0 = r2");
            case "update" -> UPDATE.formatted("call 2");
            case "update_nocall" -> UPDATE.formatted("r0 = 0");
            default -> throw new IllegalArgumentException("variant " + variant);
        };
        return HEAD.formatted(CALLS, entries - 1) + body + TAIL;
    }

    @Setup
    public void setup() {
        MapFixtures fixture = MapFixtures.of(type, entries);
        boolean lookup = variant.startsWith("lookup");
        byte[][] keys = lookup ? fixture.lookupKeys() : fixture.updateKeys();
        keyTable = MapFixtures.keyTable(keys);
        Map<Integer, Helper> helpers = CoreHelpers.all().stream().filter(h -> h.id() == 1 || h.id() == 2)
                .collect(Collectors.toMap(Helper::id, h -> h));
        ProgramImage image = new ProgramImage("map_" + variant, "raw", ContextDescriptor.plain(0),
                Assembler.assemble(source(variant, entries)), List.of(fixture.map()), helpers, List.of());
        // Loaded as verified (no loop budget), as a program the verifier accepted runs.
        program = (engine.equals(JitEngine.NAME) ? new JitEngine() : new InterpreterEngine()).load(image, true);
        check(fixture, keys);
    }

    /** One run from key 0 must give the accumulator the map's own answers predict. */
    private void check(MapFixtures fixture, byte[][] keys) {
        long expected = 0;
        for (int n = 0; n < CALLS; n++) {
            int i = n & (entries - 1);
            if (variant.equals("lookup")) {
                expected += MapFixtures.firstWord(fixture.map().lookup(keys[i]).orElseThrow());
            } else if (variant.equals("lookup_nocall")) {
                expected += MapFixtures.firstWord(keys[i].length == 8 ? keys[i] : Arrays.copyOf(keys[i], 8));
            }
        }
        long r0 = runFrom(0);
        if (r0 != expected) {
            throw new IllegalStateException(type + "/" + variant + ": r0 " + r0 + ", expected " + expected);
        }
        if (variant.equals("update")) {
            long stored = MapFixtures.firstWord(fixture.map().lookup(keys[(CALLS - 1) & (entries - 1)]).orElseThrow());
            if (stored != CALLS - 1) {
                throw new IllegalStateException(type + "/update: the last key holds " + stored + ", expected " + (CALLS - 1));
            }
        }
    }

    private long runFrom(long index) {
        Memory memory = program.memory();
        long table = memory.map(Region.of(Region.Kind.MEMORY, "keys", keyTable));
        return program.run(memory, table, index, null);
    }

    /** One program run: {@link #CALLS} map operations on the next keys of the table. */
    @Benchmark
    public long run() {
        long r0 = runFrom(start);
        start = (start + CALLS) & (entries - 1);
        return r0;
    }
}

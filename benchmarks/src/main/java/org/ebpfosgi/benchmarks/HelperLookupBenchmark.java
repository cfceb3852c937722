package org.ebpfosgi.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.helpers.core.CoreHelpers;
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
 * {@code bpf_map_lookup_elem} called from Java the way compiled program code calls it: the helper object
 * of helpers-core (one monomorphic call site), a {@link HelperContext} over a {@link Memory} that holds
 * the map handle and a stack region; each op stores the next key of {@link MapFixtures} on the stack
 * ({@code *(u64 *)(r10 - 8) = key}), calls the helper with {@code r2 = r10 - 8} and loads the value's
 * first u64 through the returned pointer. Every {@link #CALLS_PER_RUN} ops the run ends as an engine
 * ends one (memory reset, stack mapped again), so the numbers include that share.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HelperLookupBenchmark {
    /** Lookups per simulated program run, as in {@link MapProgramBenchmark}. */
    public static final int CALLS_PER_RUN = 100;
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int STACK_SIZE = 512;

    @Param({"hash", "array"})
    public String type;

    @Param({"256", "16384"})
    public int entries;

    private EbpfMap map;
    private Helper lookup;
    private Memory memory;
    private HelperContext context;
    private long mapHandle;
    private byte[] stack;
    private long keyAddress;
    private long[] keys;
    private int next;
    private int callsLeft;

    @Setup
    public void setup() {
        MapFixtures fixture = MapFixtures.of(type, entries);
        map = fixture.map();
        lookup = CoreHelpers.all().stream().filter(h -> h.id() == 1).findFirst().orElseThrow();
        memory = new Memory();
        mapHandle = memory.mapHandle(map);
        memory.markPersistent();
        context = new BenchContext(memory);
        stack = new byte[STACK_SIZE];
        byte[] table = MapFixtures.keyTable(fixture.lookupKeys());
        keys = new long[entries];
        for (int i = 0; i < entries; i++) {
            keys[i] = (long) I64.get(table, i * 8);
        }
        startRun();
        for (int i = 0; i < entries; i++) {
            if (lookupNext() == 0) {
                throw new IllegalStateException(type + ": lookup key " + i + " not found through the helper");
            }
        }
    }

    private void startRun() {
        memory.reset();
        long frame = memory.map(Region.of(Region.Kind.STACK, "stack", stack));
        keyAddress = frame + STACK_SIZE - 8;
        callsLeft = CALLS_PER_RUN;
    }

    private long lookupNext() {
        int i = next;
        next = (i + 1) & (entries - 1);
        return lookupKey(keys[i]);
    }

    private long lookupKey(long key) {
        if (--callsLeft < 0) {
            startRun();
            callsLeft--;
        }
        I64.set(stack, STACK_SIZE - 8, key);
        long value = lookup.call(context, mapHandle, keyAddress, 0, 0, 0);
        return value == 0 ? 0 : memory.load(value, 8);
    }

    /** One lookup through the helper plus one u64 load of the value: the next key each time. */
    @Benchmark
    public long helperLookup() {
        return lookupNext();
    }

    /** As {@link #helperLookup}, always the same key (a program bumping one counter in a loop). */
    @Benchmark
    public long helperLookupSameKey() {
        return lookupKey(keys[0]);
    }

    /** The helper's parts, for the split: the key's region and the map's lookup, no helper, no mapping. */
    @Benchmark
    public long splitLookupOnly() {
        int i = next;
        next = (i + 1) & (entries - 1);
        I64.set(stack, STACK_SIZE - 8, keys[i]);
        Region key = memory.region(keyAddress, map.definition().keySize(), false);
        Region r = map.lookupRegion(key.bytes(), key.base() + (int) keyAddress);
        return (long) I64.get(r.bytes(), r.base());
    }

    /** The helper's parts: as {@link #splitLookupOnly} plus mapping the value and loading through the pointer. */
    @Benchmark
    public long splitLookupMap() {
        if (--callsLeft < 0) {
            startRun();
            callsLeft--;
        }
        int i = next;
        next = (i + 1) & (entries - 1);
        I64.set(stack, STACK_SIZE - 8, keys[i]);
        Region key = memory.region(keyAddress, map.definition().keySize(), false);
        Region r = map.lookupRegion(key.bytes(), key.base() + (int) keyAddress);
        return memory.load(memory.map(r), 8);
    }

    /** The engine's side of a run, reduced to what the lookup helper uses. */
    private static final class BenchContext implements HelperContext {
        private final Memory memory;

        BenchContext(Memory memory) {
            this.memory = memory;
        }

        @Override
        public Memory memory() {
            return memory;
        }

        @Override
        public String programName() {
            return "bench";
        }

        @Override
        public Object hookContext() {
            return null;
        }

        @Override
        public long callFunction(long codeAddress, long r1, long r2, long r3, long r4, long r5) {
            throw new UnsupportedOperationException("no callbacks in this benchmark");
        }

        @Override
        public boolean requestTailCall(Object program) {
            return false;
        }

        @Override
        public void atRunEnd(Runnable cleanup) {
            throw new UnsupportedOperationException("no run-end cleanups in this benchmark");
        }
    }
}

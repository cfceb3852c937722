package org.ebpfosgi.benchmarks;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.memory.Region;
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
 * One map operation called from Java on a map pre-filled by {@link MapFixtures}: each call takes the
 * next of {@code entries} precomputed keys in a scrambled order, so the numbers are not those
 * of one cached key. For {@code lpm_trie} lookups are /32 addresses against a table of prefixes, and
 * updates replace existing prefixes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MapBenchmark {
    @Param({"hash", "array", "lru_hash", "lpm_trie"})
    public String type;

    /** Entries of the map, all visited (a power of two); 16384 by default, not all in the caches. */
    @Param({"16384"})
    public int entries;

    private EbpfMap map;
    private byte[][] lookupKeys;
    private byte[][] updateKeys;
    private byte[] value;
    private int next;

    @Setup
    public void setup() {
        MapFixtures fixture = MapFixtures.of(type, entries);
        map = fixture.map();
        lookupKeys = fixture.lookupKeys();
        updateKeys = fixture.updateKeys();
        value = new byte[map.definition().valueSize()];
        value[0] = 42;
        for (byte[] key : lookupKeys) {
            if (map.lookup(key).isEmpty()) {
                throw new IllegalStateException(type + ": a lookup key is missing from the pre-filled map");
            }
        }
    }

    private int nextIndex() {
        int i = next;
        next = (i + 1) & (entries - 1);
        return i;
    }

    /** A copy of the value. */
    @Benchmark
    public Optional<byte[]> lookup() {
        return map.lookup(lookupKeys[nextIndex()]);
    }

    /** The live value, as the lookup helper gets it; reads its first byte so the region is used. */
    @Benchmark
    public int lookupRegion() {
        Region r = map.lookupRegion(lookupKeys[nextIndex()]);
        return r.bytes()[r.base()];
    }

    /** Replaces the value of an existing key (flags ANY). */
    @Benchmark
    public void update() {
        map.update(updateKeys[nextIndex()], value, EbpfMap.ANY);
    }
}

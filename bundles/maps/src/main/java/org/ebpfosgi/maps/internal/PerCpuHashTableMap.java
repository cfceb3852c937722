package org.ebpfosgi.maps.internal;

import org.ebpfosgi.api.map.Cpus;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.PerCpuMap;
import org.ebpfosgi.api.memory.Region;

/** {@code percpu_hash} (type 5) and {@code lru_percpu_hash} (type 10). */
public final class PerCpuHashTableMap extends HashMapBase implements PerCpuMap {
    private final int cpus = Cpus.count();
    private final int stride;

    private PerCpuHashTableMap(MapDefinition definition, boolean lru) {
        super(definition, lru);
        this.stride = Definitions.roundUp8(valueSize);
    }

    public static PerCpuHashTableMap create(MapDefinition d, boolean lru) {
        Definitions.expectType(d, lru ? MapTypes.LRU_PERCPU_HASH : MapTypes.PERCPU_HASH);
        validate(d, true, lru);
        return new PerCpuHashTableMap(d, lru);
    }

    @Override
    Region programRegion(HashTable.Node n) {
        return n.cpuRegions[Cpus.current()];
    }

    @Override
    public Region lookupRegionOnCpu(byte[] key, int cpu) {
        checkKey(key);
        if (cpu < 0 || cpu >= cpus) {
            return null;
        }
        Entry e = table.get(key, 0);
        return e == null ? null : e.cpuRegions[cpu];
    }

    @Override
    public int valueStride() {
        return stride;
    }

    @Override
    Entry newEntry(byte[] key, byte[] value) {
        byte[] bytes;
        try {
            bytes = new byte[cpus * stride];
        } catch (OutOfMemoryError e) {
            throw error(org.ebpfosgi.api.map.MapException.ENOMEM, "no memory for a per-CPU value");
        }
        copyIn(bytes, value);
        Region[] regions = new Region[cpus];
        for (int cpu = 0; cpu < cpus; cpu++) {
            regions[cpu] = Region.of(Region.Kind.MAP_VALUE, name, bytes, cpu * stride, valueSize, true);
        }
        return new Entry(key, bytes, null, regions, null);
    }

    @Override
    boolean updateInPlace(Entry e, byte[] value) {
        copyIn(e.bytes, value);
        return true;
    }

    /** All CPUs from the syscall layout, or the calling thread's CPU from one value. */
    private void copyIn(byte[] bytes, byte[] value) {
        if (value.length == valueSize && value.length != cpus * stride) {
            System.arraycopy(value, 0, bytes, Cpus.current() * stride, valueSize);
        } else {
            for (int cpu = 0; cpu < cpus; cpu++) {
                System.arraycopy(value, cpu * stride, bytes, cpu * stride, valueSize);
            }
        }
    }

    @Override
    void checkUpdateValue(byte[] value) {
        requireLength(value, valueSize, cpus * stride);
    }
}

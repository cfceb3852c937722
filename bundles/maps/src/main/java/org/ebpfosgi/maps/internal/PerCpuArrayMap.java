package org.ebpfosgi.maps.internal;

import static org.ebpfosgi.api.map.MapException.EINVAL;

import org.ebpfosgi.api.map.Cpus;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.PerCpuMap;
import org.ebpfosgi.api.memory.Region;

/** {@code percpu_array} (type 6): each element holds all CPUs' values side by side, the syscall layout. */
public final class PerCpuArrayMap extends ArrayMapBase implements PerCpuMap {
    private final int cpus;
    private final int stride;

    private PerCpuArrayMap(MapDefinition d, int cpus) {
        super(d, cpus * Definitions.roundUp8(d.valueSize()), cpus);
        this.cpus = cpus;
        this.stride = Definitions.roundUp8(d.valueSize());
    }

    public static PerCpuArrayMap create(MapDefinition d) {
        Definitions.expectType(d, MapTypes.PERCPU_ARRAY);
        validate(d, true);
        return new PerCpuArrayMap(d, Cpus.count());
    }

    @Override
    Region programRegion(long index) {
        return region(index, Cpus.current());
    }

    @Override
    public Region lookupRegionOnCpu(byte[] key, int cpu) {
        checkKey(key);
        long i = index(key, 0);
        return i < 0 || cpu < 0 || cpu >= cpus || isClosed() ? null : region(i, cpu);
    }

    @Override
    public int valueStride() {
        return stride;
    }

    @Override
    byte[] copyOut(long index) {
        return copyRange(index, elementSize);
    }

    @Override
    void copyIn(long index, byte[] value) {
        int base = (int) (index * elementSize);
        if (value.length == valueSize && value.length != elementSize) {
            System.arraycopy(value, 0, slab, base + Cpus.current() * stride, valueSize);
        } else {
            for (int cpu = 0; cpu < cpus; cpu++) {
                System.arraycopy(value, cpu * stride, slab, base + cpu * stride, valueSize);
            }
        }
    }

    @Override
    void checkUpdateValue(byte[] value) {
        if (value == null || (value.length != valueSize && value.length != elementSize)) {
            throw error(EINVAL, "value of " + (value == null ? "null" : value.length + " bytes") + ", expected "
                    + valueSize + " (one CPU) or " + elementSize + " (all CPUs)");
        }
    }
}

package org.ebpfosgi.maps.internal;

import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.memory.Region;

/** {@code array} (type 2); also what global data ({@code .data}, {@code .bss}, {@code .rodata}) lives in. */
public final class ArrayMap extends ArrayMapBase {
    private ArrayMap(MapDefinition d) {
        super(d, Definitions.roundUp8(d.valueSize()), 1);
    }

    public static ArrayMap create(MapDefinition d) {
        Definitions.expectType(d, MapTypes.ARRAY);
        validate(d, false);
        return new ArrayMap(d);
    }

    @Override
    Region programRegion(long index) {
        return region(index, 0);
    }

    @Override
    byte[] copyOut(long index) {
        return copyRange(index, valueSize);
    }

    @Override
    void copyIn(long index, byte[] value) {
        System.arraycopy(value, 0, slab, (int) (index * elementSize), valueSize);
    }

    @Override
    void checkUpdateValue(byte[] value) {
        checkValue(value);
    }
}

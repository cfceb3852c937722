package org.ebpfosgi.maps.internal;

import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.ObjectIds;
import org.ebpfosgi.api.map.ProgramArrayMap;

/** {@code prog_array} (type 3): the tail-call table. */
public final class ProgramArray extends ObjectArray<Object> implements ProgramArrayMap {
    private ProgramArray(MapDefinition d) {
        super(d);
    }

    public static ProgramArray create(MapDefinition d) {
        Definitions.expectType(d, MapTypes.PROG_ARRAY);
        validate(d);
        return new ProgramArray(d);
    }

    @Override
    String kind() {
        return "program";
    }

    @Override
    void accept(Object program) {
        // Any engine program; the runtime checks program type compatibility before it stores one.
    }

    @Override
    public void setProgram(int index, Object program) {
        set(Integer.toUnsignedLong(index), program);
    }

    @Override
    public Object program(int index) {
        return get(Integer.toUnsignedLong(index));
    }

    @Override
    public void setIdResolver(ObjectIds<Object> ids) {
        useIds(ids);
    }
}

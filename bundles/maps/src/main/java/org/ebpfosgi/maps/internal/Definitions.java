package org.ebpfosgi.maps.internal;

import static org.ebpfosgi.api.map.MapException.E2BIG;
import static org.ebpfosgi.api.map.MapException.EINVAL;
import static org.ebpfosgi.maps.internal.MapTypes.F_ACCESS_MASK;
import static org.ebpfosgi.maps.internal.MapTypes.F_RDONLY;
import static org.ebpfosgi.maps.internal.MapTypes.F_RDONLY_PROG;
import static org.ebpfosgi.maps.internal.MapTypes.F_WRONLY;
import static org.ebpfosgi.maps.internal.MapTypes.F_WRONLY_PROG;

import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapException;

/** Checks of a map definition at creation, worded after the attribute Linux refuses. */
final class Definitions {
    private Definitions() { }

    static MapException invalid(MapDefinition d, String why) {
        return new MapException(EINVAL, "map '" + d.name() + "' (" + d + "): " + why);
    }

    static MapException tooBig(MapDefinition d, String why) {
        return new MapException(E2BIG, "map '" + d.name() + "' (" + d + "): " + why);
    }

    static void expectType(MapDefinition d, int type) {
        if (d.type() != type) {
            throw invalid(d, "map type " + d.type() + " given to the provider of type " + type);
        }
    }

    /** Only {@code allowed} flags, and the access flags must not contradict each other. */
    static void checkFlags(MapDefinition d, int allowed) {
        int flags = d.flags();
        if ((flags & ~allowed) != 0) {
            throw invalid(d, "map_flags 0x" + Integer.toHexString(flags & ~allowed) + " not supported by this map type");
        }
        if ((flags & (F_RDONLY_PROG | F_WRONLY_PROG)) == (F_RDONLY_PROG | F_WRONLY_PROG)
                || (flags & (F_RDONLY | F_WRONLY)) == (F_RDONLY | F_WRONLY)) {
            throw invalid(d, "map_flags make the map both read-only and write-only");
        }
    }

    static int accessFlags() {
        return F_ACCESS_MASK;
    }

    static long unsigned(int value) {
        return Integer.toUnsignedLong(value);
    }

    static void checkMaxEntries(MapDefinition d) {
        if (d.maxEntries() == 0) {
            throw invalid(d, "max_entries is 0");
        }
    }

    static int roundUp8(int size) {
        return (size + 7) & ~7;
    }
}

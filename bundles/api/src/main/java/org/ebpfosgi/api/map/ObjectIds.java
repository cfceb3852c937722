package org.ebpfosgi.api.map;

/**
 * Translates between objects (programs, maps) and the 32-bit ids Linux tools read and write in map
 * values ({@code prog_array}, array/hash of maps): the runtime, which owns the ids, supplies it.
 */
public interface ObjectIds<T> {
    /** The object with {@code id}, or null if there is none. */
    T byId(int id);

    /** The id of {@code object}, or 0 if it has none. */
    int idOf(T object);
}

package org.ebpfosgi.api.map;

import java.util.Arrays;
import java.util.Optional;
import org.ebpfosgi.api.memory.Region;

/**
 * A map instance. Safe for concurrent use from many threads (program runs and Java callers). Keys
 * and values are raw bytes in the program's layout. Update flags are Linux's: {@link #ANY},
 * {@link #NOEXIST}, {@link #EXIST}.
 */
public interface EbpfMap {
    long ANY = 0, NOEXIST = 1, EXIST = 2;

    MapDefinition definition();

    /** For programs: the live value of {@code key} as a region the program may read and write, or null. */
    Region lookupRegion(byte[] key);

    /**
     * As {@link #lookupRegion(byte[])} with the key at {@code keyArray[keyOffset, keyOffset + key_size)},
     * so a helper can pass the program's stack without copying the key (maps override it to avoid the copy).
     */
    default Region lookupRegion(byte[] keyArray, int keyOffset) {
        return lookupRegion(Arrays.copyOfRange(keyArray, keyOffset, keyOffset + definition().keySize()));
    }

    /** A copy of the value of {@code key}. */
    Optional<byte[]> lookup(byte[] key);

    /** Inserts or replaces; throws {@link MapException} (EEXIST, ENOENT, E2BIG, EINVAL) as Linux does. */
    void update(byte[] key, byte[] value, long flags);

    /** Deletes {@code key}; throws ENOENT if absent (EINVAL for arrays). */
    void delete(byte[] key);

    /** The key after {@code key} (the first if null or absent), or empty at the end: get-next-key iteration. */
    Optional<byte[]> nextKey(byte[] key);

    /** Frees the map's storage; further use fails. */
    default void close() { }
}

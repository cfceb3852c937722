package org.ebpfosgi.api.map;

import java.util.Optional;

/**
 * A {@code queue} (FIFO) or {@code stack} (LIFO) of values; keys do not exist (key size 0).
 * {@link #update} with a null or empty key pushes, {@link #lookup} peeks; {@link #delete} and
 * {@link #nextKey} fail with EINVAL and {@link #lookupRegion} is null, as in Linux.
 */
public interface QueueMap extends EbpfMap {
    /**
     * Pushes a copy of {@code value_size} bytes at {@code src[offset]}. Flags: {@link #ANY}, or
     * {@link #EXIST} to drop the oldest value when full; E2BIG when full otherwise, EINVAL for others.
     */
    void push(byte[] src, int offset, long flags);

    /** Pushes {@code value} (exactly {@code value_size} bytes). */
    default void push(byte[] value, long flags) {
        if (value == null || value.length != definition().valueSize()) {
            throw new MapException(MapException.EINVAL, definition().name() + ": value of "
                    + (value == null ? "null" : value.length + " bytes") + ", expected " + definition().valueSize());
        }
        push(value, 0, flags);
    }

    /** Removes and returns the next value (oldest for a queue, newest for a stack). */
    Optional<byte[]> pop();

    /** The next value, left in place. */
    Optional<byte[]> peek();

    /** Pops into {@code dst[offset, offset + value_size)}; false if empty ({@code bpf_map_pop_elem}). */
    boolean popInto(byte[] dst, int offset);

    /** Peeks into {@code dst[offset, offset + value_size)}; false if empty ({@code bpf_map_peek_elem}). */
    boolean peekInto(byte[] dst, int offset);
}

package org.ebpfosgi.helpers.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The output of a bprintf-style format: keeps the first {@code capacity} bytes and counts them all, since
 * Linux's printf helpers return the untruncated length. Padding is counted, not materialized, past the
 * capacity, so a huge field width costs nothing; the buffer grows with the output, so a large capacity
 * (snprintf into a big region) costs only what is written.
 */
final class FormatOutput {
    private final int capacity;
    private byte[] bytes;
    private int stored;
    private long length;

    FormatOutput(int capacity) {
        this.capacity = capacity;
        this.bytes = new byte[Math.min(capacity, 256)];
    }

    /** Room for {@code n} more bytes, within the capacity; returns how many fit. */
    private int reserve(long n) {
        int fit = (int) Math.min(n, capacity - stored);
        if (stored + fit > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(capacity, Math.max(stored + (long) fit, 2L * bytes.length)));
        }
        return fit;
    }

    void put(int b) {
        if (reserve(1) == 1) {
            bytes[stored++] = (byte) b;
        }
        length++;
    }

    void put(byte[] source) {
        int n = reserve(source.length);
        System.arraycopy(source, 0, bytes, stored, n);
        stored += n;
        length += source.length;
    }

    void putAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            put(text.charAt(i));
        }
    }

    void pad(int b, long count) {
        if (count <= 0) {
            return;
        }
        int n = reserve(count);
        Arrays.fill(bytes, stored, stored + n, (byte) b);
        stored += n;
        length += count;
    }

    /** Bytes kept (at most the capacity). */
    int stored() {
        return stored;
    }

    /** Bytes the whole output would take. */
    long length() {
        return length;
    }

    /** The buffer; its first {@link #stored()} bytes are the output. */
    byte[] bytes() {
        return bytes;
    }

    /** The kept bytes as text (format strings and %s arguments are taken as UTF-8). */
    String text() {
        return new String(bytes, 0, stored, StandardCharsets.UTF_8);
    }
}

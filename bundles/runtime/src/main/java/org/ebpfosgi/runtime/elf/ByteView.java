package org.ebpfosgi.runtime.elf;

import java.nio.charset.StandardCharsets;
import org.ebpfosgi.api.runtime.ObjectFormatException;

/**
 * A bounds-checked little-endian window onto part of a file. Every read names what it reads and
 * where, so a malformed file yields a precise {@link ObjectFormatException} rather than an index
 * exception.
 */
public final class ByteView {
    private final byte[] data;
    private final int start;
    private final int length;
    private final String what;

    private ByteView(byte[] data, int start, int length, String what) {
        this.data = data;
        this.start = start;
        this.length = length;
        this.what = what;
    }

    /** A view of the whole array. */
    public static ByteView of(byte[] data, String what) {
        return new ByteView(data, 0, data.length, what);
    }

    /** A sub-view of {@code size} bytes at {@code offset}, which must lie inside this view. */
    public ByteView slice(long offset, long size, String sliceName) throws ObjectFormatException {
        check(offset, size, sliceName);
        return new ByteView(data, start + (int) offset, (int) size, sliceName);
    }

    public int length() { return length; }

    public String what() { return what; }

    /** Whether {@code size} bytes at {@code offset} lie inside this view (no overflow). */
    public boolean contains(long offset, long size) {
        return offset >= 0 && size >= 0 && offset <= length && size <= length - offset;
    }

    private void check(long offset, long size, String field) throws ObjectFormatException {
        if (!contains(offset, size)) {
            throw new ObjectFormatException(what + ": " + field + " at offset " + offset + " (" + size
                    + " bytes) lies outside its " + length + " bytes");
        }
    }

    public int u8(long offset, String field) throws ObjectFormatException {
        check(offset, 1, field);
        return data[start + (int) offset] & 0xff;
    }

    public int u16(long offset, String field) throws ObjectFormatException {
        check(offset, 2, field);
        int p = start + (int) offset;
        return (data[p] & 0xff) | (data[p + 1] & 0xff) << 8;
    }

    /** A 32-bit value as a Java int (callers treat it as unsigned where the format says so). */
    public int s32(long offset, String field) throws ObjectFormatException {
        check(offset, 4, field);
        int p = start + (int) offset;
        return (data[p] & 0xff) | (data[p + 1] & 0xff) << 8 | (data[p + 2] & 0xff) << 16 | (data[p + 3] & 0xff) << 24;
    }

    public long u32(long offset, String field) throws ObjectFormatException {
        return s32(offset, field) & 0xffffffffL;
    }

    /** A 64-bit value; callers that use it as a size or offset compare it against the file first. */
    public long s64(long offset, String field) throws ObjectFormatException {
        check(offset, 8, field);
        return (s32(offset, field) & 0xffffffffL) | ((long) s32(offset + 4, field)) << 32;
    }

    /** A copy of {@code size} bytes at {@code offset}. */
    public byte[] bytes(long offset, long size, String field) throws ObjectFormatException {
        check(offset, size, field);
        byte[] copy = new byte[(int) size];
        System.arraycopy(data, start + (int) offset, copy, 0, (int) size);
        return copy;
    }

    /** A NUL-terminated string at {@code offset}; the terminator must lie inside the view. */
    public String cString(long offset, String field) throws ObjectFormatException {
        check(offset, 0, field);
        int p = start + (int) offset;
        int end = start + length;
        int q = p;
        while (q < end && data[q] != 0) {
            q++;
        }
        if (q == end) {
            throw new ObjectFormatException(what + ": " + field + " at offset " + offset + " is not NUL-terminated");
        }
        return new String(data, p, q - p, StandardCharsets.UTF_8);
    }
}

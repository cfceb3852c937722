package org.ebpfosgi.api.memory;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A window {@code [base, base + length)} of a Java byte array that a program may address.
 * Regions are the only memory a program can reach: stack frames, contexts, packets, map values and
 * global data are all regions, so every access is checked against the window by construction.
 */
public final class Region {
    /** What a region holds; used in error messages and by verifier facts. */
    public enum Kind { STACK, CONTEXT, PACKET, MAP_VALUE, GLOBAL_DATA, MEMORY, HELPER_BUFFER }

    private final byte[] bytes;
    private final int base;
    private final int length;
    private final boolean writable;
    private final Kind kind;
    private final String name;
    /** Spreads regions over {@link Memory}'s table of recently mapped regions; any value is correct. */
    private final int mapSlotHint;

    private Region(byte[] bytes, int base, int length, boolean writable, Kind kind, String name) {
        Objects.checkFromIndexSize(base, length, bytes.length);
        this.bytes = bytes;
        this.base = base;
        this.length = length;
        this.writable = writable;
        this.kind = Objects.requireNonNull(kind);
        this.name = Objects.requireNonNull(name);
        this.mapSlotHint = ThreadLocalRandom.current().nextInt();
    }

    /** A writable region over the whole array. */
    public static Region of(Kind kind, String name, byte[] bytes) {
        return new Region(bytes, 0, bytes.length, true, kind, name);
    }

    /** A region over {@code bytes[base, base + length)}. */
    public static Region of(Kind kind, String name, byte[] bytes, int base, int length, boolean writable) {
        return new Region(bytes, base, length, writable, kind, name);
    }

    public byte[] bytes() { return bytes; }
    public int base() { return base; }
    public int length() { return length; }
    public boolean writable() { return writable; }
    public Kind kind() { return kind; }
    public String name() { return name; }

    int mapSlotHint() {
        return mapSlotHint;
    }

    /** The same window, read-only (frozen .rodata, a packet a hook must not let the program change). */
    public Region readOnly() {
        return writable ? new Region(bytes, base, length, false, kind, name) : this;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase() + " '" + name + "' (" + length + " bytes" + (writable ? "" : ", read-only") + ")";
    }
}

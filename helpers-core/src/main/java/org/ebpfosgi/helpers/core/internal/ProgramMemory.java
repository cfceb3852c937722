package org.ebpfosgi.helpers.core.internal;

import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;

/** Reads of program memory that helpers need beyond Memory's fixed-size accesses. */
final class ProgramMemory {
    private ProgramMemory() {
    }

    /**
     * The region holding all of {@code [address, address + size)}, or null if there is none: for helpers
     * that, like Linux's {@code *_nofault} copies, report a bad pointer instead of failing the run.
     */
    static Region readableOrNull(Memory memory, long address, int size) {
        Object entry = memory.entry(address);
        if (!(entry instanceof Region) || size < 0) {
            return null;
        }
        Region region = (Region) entry;
        return (address & 0xFFFF_FFFFL) + size <= region.length() ? region : null;
    }

    /**
     * The bytes of the C string at {@code address}, without its NUL, at most {@code limit} bytes; a
     * string that runs into the end of its region ends there. Null if {@code address} is not in a region.
     */
    static byte[] cStringOrNull(Memory memory, long address, int limit) {
        Region region = readableOrNull(memory, address, 0);
        if (region == null) {
            return null;
        }
        byte[] bytes = region.bytes();
        int start = region.base() + (int) address;
        int end = start + (int) Math.min(limit, region.length() - (address & 0xFFFF_FFFFL));
        int nul = start;
        while (nul < end && bytes[nul] != 0) {
            nul++;
        }
        byte[] string = new byte[nul - start];
        System.arraycopy(bytes, start, string, 0, string.length);
        return string;
    }

    /**
     * The length of the NUL-terminated string at {@code address} (a Linux {@code ARG_PTR_TO_CONST_STR}),
     * or -1 if its region ends before a NUL. Fails the run if {@code address} is not in a region.
     */
    static int constStringLength(Memory memory, long address) {
        Region region = memory.region(address, 0, false);
        byte[] bytes = region.bytes();
        int start = region.base() + (int) address;
        int end = region.base() + region.length();
        for (int i = start; i < end; i++) {
            if (bytes[i] == 0) {
                return i - start;
            }
        }
        return -1;
    }
}

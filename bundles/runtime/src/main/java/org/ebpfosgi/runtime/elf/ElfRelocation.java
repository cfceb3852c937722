package org.ebpfosgi.runtime.elf;

/** A {@code SHT_REL} entry: where (byte offset in the target section), how, and against which symbol. */
public record ElfRelocation(long offset, int type, int symbol) {
    public static final int R_BPF_NONE = 0;
    public static final int R_BPF_64_64 = 1;
    public static final int R_BPF_64_ABS64 = 2;
    public static final int R_BPF_64_ABS32 = 3;
    public static final int R_BPF_64_NODYLD32 = 4;
    public static final int R_BPF_64_32 = 10;
}

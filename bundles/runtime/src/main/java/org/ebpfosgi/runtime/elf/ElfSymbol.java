package org.ebpfosgi.runtime.elf;

/** An entry of the symbol table. {@code section} is the raw {@code st_shndx}. */
public record ElfSymbol(int index, String name, int info, int section, long value, long size) {
    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STT_SECTION = 3;
    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;
    public static final int SHN_UNDEF = 0;
    public static final int SHN_LORESERVE = 0xff00;

    public int type() { return info & 0xf; }

    public int binding() { return info >>> 4; }

    public boolean isUndefined() { return section == SHN_UNDEF; }

    /** Whether the symbol lives in a regular section (not undefined, absolute or common). */
    public boolean isInSection() { return section != SHN_UNDEF && section < SHN_LORESERVE; }
}

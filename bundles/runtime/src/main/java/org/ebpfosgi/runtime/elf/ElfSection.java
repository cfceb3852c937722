package org.ebpfosgi.runtime.elf;

/**
 * A section header of an ELF64 file. {@code data} is null for {@code SHT_NOBITS} (e.g. {@code .bss}),
 * whose {@code size} bytes exist only in memory.
 */
public record ElfSection(int index, String name, int type, long flags, long offset, long size, int link, int info,
                         long entrySize, ByteView data) {
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_RELA = 4;
    public static final int SHT_NOBITS = 8;
    public static final int SHT_REL = 9;
    public static final long SHF_WRITE = 0x1;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;

    public boolean isExecutable() { return type == SHT_PROGBITS && (flags & SHF_EXECINSTR) != 0; }

    public boolean isNoBits() { return type == SHT_NOBITS; }

    @Override
    public String toString() { return "section " + index + " '" + name + "'"; }
}

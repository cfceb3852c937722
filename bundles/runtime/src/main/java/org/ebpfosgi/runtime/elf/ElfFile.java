package org.ebpfosgi.runtime.elf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ebpfosgi.api.runtime.ObjectFormatException;

/**
 * A relocatable 64-bit little-endian ELF file for the BPF machine: its sections, its symbol table and
 * its {@code SHT_REL} relocation tables. Every header field is checked against the file before use, so
 * a count or size in a hostile file can never allocate more than the file itself holds.
 */
public final class ElfFile {
    public static final int EM_BPF = 247;
    private static final int ET_REL = 1;
    private static final int EHDR_SIZE = 64;
    private static final int SHDR_SIZE = 64;
    private static final int SYM_SIZE = 24;
    private static final int REL_SIZE = 16;
    private static final int SHN_XINDEX = 0xffff;

    private final ByteView file;
    private final List<ElfSection> sections;
    private final List<ElfSymbol> symbols;
    private final Map<Integer, List<ElfRelocation>> relocationsByTarget;
    private final Map<Integer, List<ElfSymbol>> symbolsBySection = new HashMap<>();

    private ElfFile(ByteView file, List<ElfSection> sections, List<ElfSymbol> symbols,
                    Map<Integer, List<ElfRelocation>> relocationsByTarget) {
        this.file = file;
        this.sections = sections;
        this.symbols = symbols;
        this.relocationsByTarget = relocationsByTarget;
        for (ElfSymbol s : symbols) {
            if (s.isInSection()) {
                symbolsBySection.computeIfAbsent(s.section(), k -> new ArrayList<>()).add(s);
            }
        }
    }

    public static ElfFile parse(byte[] bytes) throws ObjectFormatException {
        ByteView file = ByteView.of(bytes, "ELF file");
        if (bytes.length < EHDR_SIZE) {
            throw new ObjectFormatException("ELF file: " + bytes.length + " bytes is shorter than the 64-byte ELF64 header");
        }
        if (file.u8(0, "magic") != 0x7f || file.u8(1, "magic") != 'E' || file.u8(2, "magic") != 'L' || file.u8(3, "magic") != 'F') {
            throw new ObjectFormatException("ELF file: bad magic at offset 0 (not an ELF file)");
        }
        if (file.u8(4, "EI_CLASS") != 2) {
            throw new ObjectFormatException("ELF file: EI_CLASS " + file.u8(4, "EI_CLASS") + " at offset 4: only ELF64 is supported");
        }
        if (file.u8(5, "EI_DATA") != 1) {
            throw new ObjectFormatException("ELF file: EI_DATA " + file.u8(5, "EI_DATA") + " at offset 5: only little-endian is supported");
        }
        int type = file.u16(16, "e_type");
        int machine = file.u16(18, "e_machine");
        if (type != ET_REL) {
            throw new ObjectFormatException("ELF file: e_type " + type + " at offset 16: only relocatable objects (ET_REL) are supported");
        }
        if (machine != 0 && machine != EM_BPF) {
            throw new ObjectFormatException("ELF file: e_machine " + machine + " at offset 18 is not EM_BPF (247)");
        }
        long shoff = file.s64(40, "e_shoff");
        int shentsize = file.u16(58, "e_shentsize");
        long shnum = file.u16(60, "e_shnum");
        int shstrndx = file.u16(62, "e_shstrndx");
        if (shoff == 0) {
            throw new ObjectFormatException("ELF file: no section header table (e_shoff is 0)");
        }
        if (shentsize != SHDR_SIZE) {
            throw new ObjectFormatException("ELF file: e_shentsize " + shentsize + " at offset 58, expected 64");
        }
        if (!file.contains(shoff, SHDR_SIZE)) {
            throw new ObjectFormatException("ELF file: section header table at e_shoff " + Long.toUnsignedString(shoff)
                    + " lies outside the " + bytes.length + "-byte file");
        }
        // Extended numbering: the real counts live in section 0 when they do not fit the header.
        if (shnum == 0) {
            shnum = file.s64(shoff + 32, "section 0 sh_size (extended e_shnum)");
        }
        if (shstrndx == SHN_XINDEX) {
            shstrndx = file.s32(shoff + 40, "section 0 sh_link (extended e_shstrndx)");
        }
        if (shnum <= 0 || shnum > (bytes.length - shoff) / SHDR_SIZE) {
            throw new ObjectFormatException("ELF file: " + Long.toUnsignedString(shnum) + " section headers at offset " + shoff
                    + " do not fit in the " + bytes.length + "-byte file");
        }
        int count = (int) shnum;
        if (shstrndx <= 0 || shstrndx >= count) {
            throw new ObjectFormatException("ELF file: e_shstrndx " + shstrndx + " is not a section index (0.." + (count - 1) + ")");
        }
        long[][] raw = new long[count][];
        for (int i = 0; i < count; i++) {
            long h = shoff + (long) i * SHDR_SIZE;
            raw[i] = new long[] {file.u32(h, "sh_name"), file.u32(h + 4, "sh_type"), file.s64(h + 8, "sh_flags"),
                    file.s64(h + 24, "sh_offset"), file.s64(h + 32, "sh_size"), file.u32(h + 40, "sh_link"),
                    file.u32(h + 44, "sh_info"), file.s64(h + 56, "sh_entsize")};
        }
        ByteView names = sectionData(file, shstrndx, raw[shstrndx], "section name table");
        if (raw[shstrndx][1] != ElfSection.SHT_STRTAB) {
            throw new ObjectFormatException("ELF file: e_shstrndx " + shstrndx + " is not a string table");
        }
        List<ElfSection> sections = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long[] r = raw[i];
            String name = i == 0 ? "" : names.cString(r[0], "name of section " + i + " (sh_name " + r[0] + ")");
            int sectionType = (int) r[1];
            ByteView data = null;
            if (i != 0 && sectionType != ElfSection.SHT_NOBITS && sectionType != 0) {
                data = sectionData(file, i, r, "section " + i + " '" + name + "'");
            }
            if (r[4] < 0) {
                throw new ObjectFormatException("ELF file: section " + i + " '" + name + "' has size " + Long.toUnsignedString(r[4]));
            }
            sections.add(new ElfSection(i, name, sectionType, r[2], r[3], r[4], (int) r[5], (int) r[6], r[7], data));
        }
        List<ElfSymbol> symbols = readSymbols(sections);
        Map<Integer, List<ElfRelocation>> relocations = readRelocations(sections, symbols.size());
        return new ElfFile(file, Collections.unmodifiableList(sections), symbols, relocations);
    }

    private static ByteView sectionData(ByteView file, int index, long[] header, String what) throws ObjectFormatException {
        long offset = header[3];
        long size = header[4];
        if (!file.contains(offset, size)) {
            throw new ObjectFormatException("ELF file: " + what + " (sh_offset " + Long.toUnsignedString(offset) + ", sh_size "
                    + Long.toUnsignedString(size) + ") lies outside the " + file.length() + "-byte file");
        }
        return file.slice(offset, size, what);
    }

    private static List<ElfSymbol> readSymbols(List<ElfSection> sections) throws ObjectFormatException {
        ElfSection symtab = null;
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_SYMTAB) {
                if (symtab != null) {
                    throw new ObjectFormatException("ELF file: more than one symbol table (" + symtab + " and " + s + ")");
                }
                symtab = s;
            }
        }
        if (symtab == null) {
            return List.of();
        }
        if (symtab.entrySize() != SYM_SIZE) {
            throw new ObjectFormatException("ELF file: " + symtab + " has sh_entsize " + symtab.entrySize() + ", expected 24");
        }
        if (symtab.size() % SYM_SIZE != 0) {
            throw new ObjectFormatException("ELF file: " + symtab + " size " + symtab.size() + " is not a multiple of 24");
        }
        if (symtab.link() <= 0 || symtab.link() >= sections.size() || sections.get(symtab.link()).type() != ElfSection.SHT_STRTAB) {
            throw new ObjectFormatException("ELF file: " + symtab + " sh_link " + symtab.link() + " is not a string table");
        }
        ByteView strings = sections.get(symtab.link()).data();
        ByteView data = symtab.data();
        int count = (int) (symtab.size() / SYM_SIZE);
        List<ElfSymbol> symbols = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long p = (long) i * SYM_SIZE;
            long nameOffset = data.u32(p, "st_name");
            String name = strings.cString(nameOffset, "name of symbol " + i + " (st_name " + nameOffset + ")");
            int info = data.u8(p + 4, "st_info");
            int shndx = data.u16(p + 6, "st_shndx");
            long value = data.s64(p + 8, "st_value");
            long size = data.s64(p + 16, "st_size");
            if (shndx != ElfSymbol.SHN_UNDEF && shndx < ElfSymbol.SHN_LORESERVE && shndx >= sections.size()) {
                throw new ObjectFormatException("ELF file: symbol " + i + " '" + name + "' refers to section " + shndx
                        + ", but there are " + sections.size());
            }
            symbols.add(new ElfSymbol(i, name, info, shndx, value, size));
        }
        return Collections.unmodifiableList(symbols);
    }

    private static Map<Integer, List<ElfRelocation>> readRelocations(List<ElfSection> sections, int symbolCount)
            throws ObjectFormatException {
        Map<Integer, List<ElfRelocation>> byTarget = new HashMap<>();
        for (ElfSection s : sections) {
            if (s.type() != ElfSection.SHT_REL) {
                continue;
            }
            if (s.entrySize() != REL_SIZE || s.size() % REL_SIZE != 0) {
                throw new ObjectFormatException("ELF file: relocation " + s + " has sh_entsize " + s.entrySize() + " and size "
                        + s.size() + ", expected 16-byte entries");
            }
            if (s.info() <= 0 || s.info() >= sections.size()) {
                throw new ObjectFormatException("ELF file: relocation " + s + " applies to section " + Integer.toUnsignedString(s.info())
                        + ", which does not exist");
            }
            if (byTarget.containsKey(s.info())) {
                throw new ObjectFormatException("ELF file: more than one relocation section applies to " + sections.get(s.info()));
            }
            int count = (int) (s.size() / REL_SIZE);
            List<ElfRelocation> list = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long offset = s.data().s64((long) i * REL_SIZE, "r_offset of relocation " + i);
                long info = s.data().s64((long) i * REL_SIZE + 8, "r_info of relocation " + i);
                long symbol = info >>> 32;
                if (symbol >= symbolCount) {
                    throw new ObjectFormatException("ELF file: relocation " + i + " of " + s + " refers to symbol " + symbol
                            + ", but the symbol table has " + symbolCount);
                }
                list.add(new ElfRelocation(offset, (int) info, (int) symbol));
            }
            byTarget.put(s.info(), Collections.unmodifiableList(list));
        }
        return byTarget;
    }

    public List<ElfSection> sections() { return sections; }

    public ElfSection section(int index) throws ObjectFormatException {
        if (index <= 0 || index >= sections.size()) {
            throw new ObjectFormatException("ELF file: no section " + index);
        }
        return sections.get(index);
    }

    /** The first section with this name, or null. */
    public ElfSection section(String name) {
        for (ElfSection s : sections) {
            if (s.index() != 0 && s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    public List<ElfSymbol> symbols() { return symbols; }

    /** The symbols defined in a section, in symbol table order (empty if none). */
    public List<ElfSymbol> symbolsIn(int sectionIndex) {
        return Collections.unmodifiableList(symbolsBySection.getOrDefault(sectionIndex, List.of()));
    }

    /** The {@code SHT_REL} entries that apply to a section, in file order (empty if none). */
    public List<ElfRelocation> relocations(int sectionIndex) {
        return relocationsByTarget.getOrDefault(sectionIndex, List.of());
    }

    public int length() { return file.length(); }
}

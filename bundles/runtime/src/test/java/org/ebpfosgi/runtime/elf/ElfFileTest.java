package org.ebpfosgi.runtime.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ebpfosgi.api.runtime.ObjectFormatException;
import org.junit.jupiter.api.Test;

class ElfFileTest {
    private static byte[] sample(String name) throws Exception {
        return Files.readAllBytes(Path.of(System.getProperty("ebpf.repo.root", "."), "../shared/samples", name));
    }

    @Test
    void readsSectionsSymbolsAndRelocations() throws Exception {
        ElfFile elf = ElfFile.parse(sample("build/externalfunction.o"));
        // llvm-readelf-19 -S -s -r: 25 sections, 15 symbols, .rel.text (index 3) applies to .text (2) with 2 entries
        assertEquals(25, elf.sections().size());
        assertEquals(15, elf.symbols().size());
        assertEquals(".text", elf.section(2).name());
        assertEquals(2, elf.relocations(2).size());
        assertEquals(new ElfRelocation(0x20, ElfRelocation.R_BPF_64_64, 13), elf.relocations(2).get(0));
        assertEquals("bpf_map_lookup_elem", elf.symbols().get(elf.relocations(2).get(1).symbol()).name());
        assertTrue(elf.symbols().get(14).isUndefined());
    }

    @Test
    void refusesWhatIsNotABpfElf64LittleEndianObject() throws Exception {
        byte[] good = sample("build/externalfunction.o");
        assertMessage("shorter than the 64-byte ELF64 header", new byte[10]);
        byte[] b = good.clone();
        b[0] = 0;
        assertMessage("bad magic", b);
        b = good.clone();
        b[4] = 1;
        assertMessage("only ELF64", b);
        b = good.clone();
        b[5] = 2;
        assertMessage("only little-endian", b);
        b = good.clone();
        b[18] = 62; // EM_X86_64
        assertMessage("is not EM_BPF", b);
        b = good.clone();
        b[60] = (byte) 0xff;
        b[61] = (byte) 0x7f;
        assertMessage("section headers at offset", b);
    }

    @Test
    void byteViewChecksEveryRead() throws Exception {
        ByteView v = ByteView.of(new byte[] {1, 2, 3, 4, 5}, "test");
        assertEquals(0x04030201L, v.u32(0, "x"));
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> v.u32(2, "field"));
        assertEquals("test: field at offset 2 (4 bytes) lies outside its 5 bytes", e.getMessage());
        assertThrows(ObjectFormatException.class, () -> v.slice(1, Long.MAX_VALUE, "s"));
        assertThrows(ObjectFormatException.class, () -> v.bytes(-1, 2, "s"));
        assertThrows(ObjectFormatException.class, () -> v.cString(0, "unterminated"));
    }

    private static void assertMessage(String expected, byte[] bytes) {
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> ElfFile.parse(bytes));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}

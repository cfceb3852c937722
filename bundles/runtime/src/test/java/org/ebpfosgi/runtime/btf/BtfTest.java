package org.ebpfosgi.runtime.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ebpfosgi.api.runtime.ObjectFormatException;
import org.ebpfosgi.runtime.elf.ByteView;
import org.ebpfosgi.runtime.elf.ElfFile;
import org.junit.jupiter.api.Test;

class BtfTest {
    private static ElfFile sample(String name) throws Exception {
        return ElfFile.parse(Files.readAllBytes(Path.of(System.getProperty("ebpf.repo.root", "."), "../shared/samples", name)));
    }

    @Test
    void typesOfMapInMap() throws Exception {
        // bpftool btf dump file build/map_in_map.o: 21 types; [10] is the inner map's struct of 32 bytes,
        // [16] the outer one (24 bytes); [21] DATASEC '.maps' holds inner_map and array_of_maps
        Btf btf = Btf.parse(sample("build/map_in_map.o").section(".BTF").data());
        assertEquals(22, btf.size());
        assertEquals(BtfType.KIND_STRUCT, btf.type(10).kind());
        assertEquals(32, btf.resolveSize(10));
        assertEquals(24, btf.resolveSize(16));
        assertEquals(8, btf.resolveSize(1));
        assertEquals(12 * 4, btf.resolveSize(13));
        assertEquals("uint32_t", btf.type(6).name());
        assertEquals(7, btf.skipModifiersAndTypedefs(6).id());
        BtfType maps = btf.dataSection(".maps");
        assertEquals(2, maps.members().size());
        assertEquals("array_of_maps", btf.type(maps.members().get(1).type()).name());
    }

    @Test
    void extLineAndFuncInfo() throws Exception {
        ElfFile elf = sample("build/global_variable.o");
        Btf btf = Btf.parse(elf.section(".BTF").data());
        BtfExt ext = BtfExt.parse(elf.section(".BTF.ext").data(), btf);
        assertEquals("func", ext.funcInfo(".text").get(0).name());
        assertEquals(0, ext.funcInfo(".text").get(0).instruction());
        LineInfo first = ext.lineInfo(".text").get(0);
        assertEquals(0, first.instruction());
        assertEquals(20, first.line());
        assertTrue(first.sourceLine().startsWith("int func(void* ctx)"), first.sourceLine());
    }

    @Test
    void refusesBadHeaders() {
        byte[] header = {(byte) 0x9f, (byte) 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0,
                1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> Btf.parse(ByteView.of(header, ".BTF")));
        assertTrue(e.getMessage().contains(".BTF"), e.getMessage());
        byte[] loop = new byte[24 + 24 + 1];
        System.arraycopy(header, 0, loop, 0, 24);
        loop[12] = 24; // type_len: two PTR types pointing at each other
        loop[16] = 24; // str_off
        loop[20] = 1;  // str_len
        loop[24 + 7] = BtfType.KIND_TYPEDEF; loop[24 + 8] = 2;
        loop[36 + 7] = BtfType.KIND_TYPEDEF; loop[36 + 8] = 1;
        Btf cyclic = assertDoesNotThrowBtf(loop);
        assertThrows(ObjectFormatException.class, () -> cyclic.resolveSize(1));
        assertThrows(ObjectFormatException.class, () -> cyclic.skipModifiersAndTypedefs(1));
    }

    private static Btf assertDoesNotThrowBtf(byte[] bytes) {
        try {
            return Btf.parse(ByteView.of(bytes, ".BTF"));
        } catch (ObjectFormatException e) {
            throw new AssertionError(e);
        }
    }
}

package org.ebpfosgi.runtime.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ebpfosgi.api.runtime.ObjectFormatException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relocation and linking on objects compiled here by clang-19 from src/test/resources/c: static and
 * global subprograms, calls through section symbols, a bpf_loop callback address, global data,
 * an extern function and a refused .kconfig extern. Expected offsets follow from the disassembly
 * (llvm-objdump-19 -dr) of the compiled objects, worked out in the comments.
 */
class LinkingTest {
    @TempDir
    static Path work;
    static ParsedObject linking;

    @BeforeAll
    static void compile() throws Exception {
        linking = ObjectLoader.parse("linking.o", Files.readAllBytes(build("linking")), LinuxSectionTypes.instance());
    }

    static Path build(String name) throws IOException {
        Path source = work.resolve(name + ".c");
        try (InputStream in = LinkingTest.class.getResourceAsStream("/c/" + name + ".c")) {
            Files.write(source, in.readAllBytes());
        }
        Path object = work.resolve(name + ".o");
        Samples.run("clang-19", "clang-19", "-target", "bpf", "-O2", "-g", "-c", source.toString(), "-o", object.toString(),
                "-I/usr/include/" + System.getProperty("os.arch").replace("amd64", "x86_64") + "-linux-gnu");
        return object;
    }

    private static int opcode(long w) { return (int) (w & 0xff); }
    private static int src(long w) { return (int) (w >>> 12) & 0xf; }
    private static int imm(long w) { return (int) (w >>> 32); }

    @Test
    void programsAndTypes() {
        assertEquals(List.of("entry", "second"), linking.parsedPrograms().stream().map(ParsedProgram::name).toList());
        assertEquals("xdp", linking.program("entry").orElseThrow().programType());
        assertEquals("sched_cls", linking.program("second").orElseThrow().programType());
        assertEquals("Dual BSD/GPL", linking.license());
    }

    @Test
    void subprogramsAreAppendedOnceInCallOrder() {
        ParsedProgram entry = linking.program("entry").orElseThrow();
        // entry (20 slots), then step (9: its address is taken at slot 1), add_limit (7: called at slot 9),
        // then twice (3: called by add_limit without a relocation, a section-relative static call).
        assertEquals(List.of("entry@0", "step@20", "add_limit@29", "twice@36"),
                entry.functions().stream().map(f -> f.name() + "@" + f.instruction()).toList());
        assertEquals(39, entry.instructionCount());
        ParsedProgram second = linking.program("second").orElseThrow();
        assertEquals(List.of("second@0", "twice@3"), second.functions().stream().map(f -> f.name() + "@" + f.instruction()).toList());
    }

    @Test
    void callsAndFunctionAddressesArePcRelativeInTheLinkedImage() {
        long[] code = linking.program("entry").orElseThrow().instructions();
        // slot 1: lddw r2, step (R_BPF_64_64 against .text + 0x50) becomes src=4 with imm = 20 - 1 - 1
        assertEquals(0x18, opcode(code[1]));
        assertEquals(4, src(code[1]));
        assertEquals(18, imm(code[1]));
        assertEquals(0, imm(code[2]));
        // slot 9: call add_limit (R_BPF_64_32, imm -1) becomes imm = 29 - 9 - 1
        assertEquals(1, src(code[9]));
        assertEquals(19, imm(code[9]));
        // add_limit's first instruction (linked 29) calls twice (section slot 7, linked 36): 36 - 29 - 1
        assertEquals(0x85, opcode(code[29]));
        assertEquals(6, imm(code[29]));
        // second: call .text + 6 + 1 (R_BPF_64_32 against the section symbol) = twice, appended at 3
        long[] second = linking.program("second").orElseThrow().instructions();
        assertEquals(1, imm(second[1]));
        // a helper call stays as it is
        assertEquals(0, src(code[5]));
        assertEquals(181, imm(code[5]));
    }

    @Test
    void externFunctionsBecomeNamedHelperCalls() {
        ParsedProgram entry = linking.program("entry").orElseThrow();
        assertEquals(List.of("platform_extra"), entry.helperNames());
        long call = entry.instructions()[12];
        assertEquals(0x85, opcode(call));
        assertEquals(2, src(call));
        assertEquals(0, imm(call));
        assertEquals(List.of(), linking.program("second").orElseThrow().helperNames());
    }

    @Test
    void globalDataLoadsBecomeMapValueLoads() {
        int data = linking.mapIndex(".data");
        int rodata = linking.mapIndex(".rodata");
        int bss = linking.mapIndex(".bss");
        assertTrue(data >= 0 && rodata >= 0 && bss >= 0, linking.maps().toString());
        assertEquals("linking.data", linking.maps().get(data).name());
        assertEquals(linking.mapIndex("linking.rodata"), rodata);
        long[] code = linking.program("entry").orElseThrow().instructions();
        assertEquals(2, src(code[6]));           // counter, in .data
        assertEquals(data, imm(code[6]));
        assertEquals(0, imm(code[7]));
        assertEquals(2, src(code[22]));          // total, in .bss, from step (20 + 2)
        assertEquals(bss, imm(code[22]));
        assertEquals(2, src(code[30]));          // limit, in .rodata, from add_limit (29 + 1)
        assertEquals(rodata, imm(code[30]));
        assertEquals(0x480, linking.maps().get(rodata).flags());
        assertEquals(0x400, linking.maps().get(data).flags());
        assertEquals(7, linking.initialValue(rodata)[0]);
        assertEquals(3, linking.initialValue(data)[0]);
        assertEquals(8, linking.initialValue(bss).length);
    }

    @Test
    void lineInfoFollowsTheLinkedCode() {
        ParsedProgram entry = linking.program("entry").orElseThrow();
        // twice's body, appended at 36, comes from line 12 of linking.c
        var line = entry.lineAt(37);
        assertTrue(line.file().endsWith("linking.c"), line.toString());
        assertEquals(12, line.line());
        assertTrue(line.sourceLine().contains("return v * 2;"), line.toString());
        assertTrue(entry.lineAt(12).sourceLine().contains("platform_extra(counter)"), entry.lineAt(12).toString());
    }

    @Test
    void kconfigExternsAreRefusedByName() throws Exception {
        byte[] bytes = Files.readAllBytes(build("kconfig"));
        ObjectFormatException e = assertThrows(ObjectFormatException.class,
                () -> ObjectLoader.parse("kconfig.o", bytes, LinuxSectionTypes.instance()));
        assertTrue(e.getMessage().contains(".kconfig extern 'LINUX_KERNEL_VERSION' is not supported"), e.getMessage());
        assertTrue(e.getMessage().contains("version_gate"), e.getMessage());
    }
}

package org.ebpfosgi.isa.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.ebpfosgi.isa.AssemblyException;
import org.ebpfosgi.isa.SharedData;
import org.ebpfosgi.isa.SharedData.AssembledRow;
import org.junit.jupiter.api.Test;

class ConformanceCaseTest {

    @Test
    void everyVectorParsesAndAssemblesToTheSuitesOwnBytes() throws IOException {
        Map<String, AssembledRow> rows = SharedData.assembledRows().stream()
                .collect(Collectors.toMap(AssembledRow::name, Function.identity()));
        List<Path> files = SharedData.conformanceFiles();
        assertEquals(313, files.size(), "conformance vectors");
        List<String> failures = new ArrayList<>();
        int matched = 0;
        for (Path file : files) {
            ConformanceCase c = ConformanceCase.parse(file);
            AssembledRow row = rows.get(c.name());
            if (row == null) {
                failures.add(c.name() + ": not in assembled.tsv");
                continue;
            }
            String program = SharedData.hex(c.program());
            String memory = SharedData.hex(c.memory());
            String result = c.expectedResult().isPresent() ? "0x" + Long.toHexString(c.expectedResult().getAsLong())
                    : "";
            if (!program.equals(row.programHex())) {
                failures.add(c.name() + ": program\n  got      " + program + "\n  expected " + row.programHex());
            } else if (!memory.equals(row.memoryHex())) {
                failures.add(c.name() + ": memory " + memory + " expected " + row.memoryHex());
            } else if (!result.equals(row.resultHex())) {
                failures.add(c.name() + ": result " + result + " expected " + row.resultHex());
            } else {
                matched++;
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " mismatches:\n" + String.join("\n", failures));
        assertEquals(313, matched);
    }

    @Test
    void rawSectionOverridesAsm() throws IOException {
        ConformanceCase c = ConformanceCase.parse("x", "-- asm\nexit\n-- raw\n0x0000000000000095\n0x95\n-- result\n7\n");
        assertArrayEquals(new long[] {0x95, 0x95}, c.program());
        assertEquals("exit", c.asm());
        assertEquals(7, c.expectedResult().getAsLong());
        assertEquals(0, c.memory().length);
        assertTrue(c.expectedError().isEmpty());
    }

    @Test
    void memoryOverSeveralLinesAndErrorSection() throws IOException {
        ConformanceCase c = ConformanceCase.parse("x",
                "# header\n-- asm\nmov %r0, 1 # one\nexit\n-- mem\n00 01\nff\n-- error\ndivision by zero\n");
        assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, c.memory());
        assertEquals("division by zero", c.expectedError().orElseThrow());
        assertTrue(c.expectedResult().isEmpty());
    }

    @Test
    void resultIsHexWithPrefixElseDecimal() throws IOException {
        assertEquals(0x10, ConformanceCase.parse("x", "-- asm\nexit\n-- result\n0x10\n").expectedResult().getAsLong());
        assertEquals(10, ConformanceCase.parse("x", "-- asm\nexit\n-- result\n10\n").expectedResult().getAsLong());
        assertEquals(-1L, ConformanceCase.parse("x", "-- asm\nexit\n-- result\n0xffffffffffffffff\n")
                .expectedResult().getAsLong());
    }

    @Test
    void malformedFilesAreRejectedWithTheLine() {
        assertMalformed("-- asm\nexit\n-- mem\n0g\n", "x:4: memory byte '0g'");
        assertMalformed("-- asm\nexit\n-- mem\n012\n", "x:4: memory byte '012'");
        assertMalformed("-- asm\nexit\n-- result\nzero\n", "x:3: result 'zero'");
        assertMalformed("-- asm\nexit\n-- raw\n0x10000000000000000\n", "x:4: raw word");
        assertMalformed("mov %r0, 1\n-- asm\nexit\n", "x:1: text before the first '--' section");
        assertMalformed("-- result\n1\n", "x: neither an asm nor a raw section");
        assertMalformed("-- asm\nexit\n-- asm\nexit\n", "x:3: second asm section");
        IOException e = assertMalformed("# c\n-- asm\nmov %r0, 1\nfrob %r0\n", "x:4: unknown instruction 'frob'");
        assertTrue(e.getCause() instanceof AssemblyException);
    }

    private static IOException assertMalformed(String text, String expectedStart) {
        IOException e = assertThrows(IOException.class, () -> ConformanceCase.parse("x", text));
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
        return e;
    }
}

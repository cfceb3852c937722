package org.ebpfosgi.isa;

import static org.ebpfosgi.isa.Opcodes.encode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.ebpfosgi.isa.conformance.ConformanceCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DisassemblerTest {

    @Test
    void conformanceProgramsRoundTrip() throws IOException {
        int programs = 0;
        for (Path file : SharedData.conformanceFiles()) {
            ConformanceCase c = ConformanceCase.parse(file);
            long[] words = c.program();
            String text = Disassembler.disassemble(words);
            assertArrayEquals(words, Assembler.assemble(text), c.name() + ":\n" + text);
            programs++;
        }
        assertEquals(313, programs);
    }

    /** Every instruction form the decoder accepts prints to text that assembles back to the same word. */
    @Test
    void everyFormRoundTrips() {
        long[] program = everyForm();
        List<Instruction> decoded = Decoder.decode(program);
        for (Instruction insn : decoded) {
            String text = Disassembler.format(insn);
            assertArrayEquals(insn.words(), Assembler.assemble(text), text);
        }
        assertArrayEquals(program, Assembler.assemble(Disassembler.format(decoded)));
    }

    /** A valid program with one or more instances of every instruction form. */
    private static long[] everyForm() {
        List<Long> words = new ArrayList<>();
        for (int cls : new int[] {Opcodes.ALU, Opcodes.ALU64}) {
            for (int op : new int[] {0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x90, 0xa0, 0xb0, 0xc0}) {
                words.add(encode(cls | op, 3, 0, 0, -7));
                words.add(encode(cls | op, 3, 0, 0, Integer.MIN_VALUE));
                words.add(encode(cls | op | 0x08, 9, 10, 0, 0));
            }
            words.add(encode(cls | 0x30, 1, 0, 1, 3));
            words.add(encode(cls | 0x98, 1, 2, 1, 0));
            words.add(encode(cls | 0x80, 1, 0, 0, 0));
            words.add(encode(cls | 0xb8, 1, 2, 8, 0));
            words.add(encode(cls | 0xb8, 1, 2, 16, 0));
            for (int width : new int[] {16, 32, 64}) {
                words.add(encode(cls | 0xd0, 1, 0, 0, width));
            }
        }
        words.add(encode(0xbf, 1, 2, 32, 0));
        words.add(encode(0xdc, 4, 0, 0, 32));
        for (int cls : new int[] {Opcodes.JMP, Opcodes.JMP32}) {
            for (int op = 0x10; op <= 0xd0; op += 0x10) {
                if (op != 0x80 && op != 0x90) {
                    words.add(encode(cls | op, 10, 0, 1, -1));
                    words.add(encode(cls | op | 0x08, 1, 10, -2, 0));
                }
            }
        }
        words.add(encode(0x05, 0, 0, -3, 0));
        words.add(encode(0x06, 0, 0, 0, 2));
        words.add(encode(0x85, 0, 0, 0, -1));
        words.add(encode(0x85, 0, 1, 0, -2));
        words.add(encode(0x85, 0, 2, 0, 7));
        words.add(encode(0x8d, 2, 0, 0, 0));
        for (int size : new int[] {0x00, 0x08, 0x10, 0x18}) {
            words.add(encode(0x61 | size, 0, 10, -8, 0));
            words.add(encode(0x62 | size, 10, 0, Short.MIN_VALUE, -1));
            words.add(encode(0x63 | size, 10, 9, Short.MAX_VALUE, 0));
            if (size != 0x18) {
                words.add(encode(0x81 | size, 1, 2, 3, 0));
                words.add(encode(0x20 | size, 0, 0, 0, 14));
                words.add(encode(0x40 | size, 0, 3, 0, 0));
                words.add(encode(0x40 | size, 0, 3, 0, -2));
            }
        }
        for (int size : new int[] {0x00, 0x18}) {
            for (int op : new int[] {0x00, 0x40, 0x50, 0xa0, 0x01, 0x41, 0x51, 0xa1, 0xe1, 0xf1}) {
                words.add(encode(0xc3 | size, 10, 1, -8, op));
            }
        }
        for (int pseudo = 0; pseudo <= 6; pseudo++) {
            words.add(encode(0x18, 1, pseudo, 0, pseudo == 4 ? -5 : -3));
            words.add(encode(0, 0, 0, 0, pseudo == 0 || pseudo == 2 || pseudo == 6 ? -8 : 0));
        }
        words.add(encode(0x95, 0, 0, 0, 0));
        return words.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Every form, written as raw words into an object by llvm-mc-19, printed by llvm-objdump-19 and by us. Beyond
     * the normalisation of {@link #llvmView}, 32-bit atomics are compared with llvm's {@code --mattr=+alu32} listing
     * (its default listing prints fetch-add as a plain add and the others as unknown), whose {@code w} source of
     * the non-fetching forms we print as {@code r}, like its default listing of the compiled objects.
     */
    @Test
    void matchesLlvmObjdumpOnEveryForm(@TempDir Path temp) throws Exception {
        String mc = requireTool("llvm-mc-19");
        String objdump = requireTool("llvm-objdump-19");
        long[] program = everyForm();
        StringBuilder source = new StringBuilder("\t.text\n");
        for (long word : program) {
            source.append("\t.quad 0x").append(Long.toHexString(word)).append('\n');
        }
        Path asm = temp.resolve("forms.s");
        Path object = temp.resolve("forms.o");
        Files.writeString(asm, source);
        run(mc, "-triple", "bpfel", "-filetype=obj", "-o", object.toString(), asm.toString());
        Map<Integer, String> plain = llvmListing(run(objdump, "-d", "--no-show-raw-insn", object.toString()))
                .get(".text");
        Map<Integer, String> alu32 = llvmListing(run(objdump, "-d", "--no-show-raw-insn", "--mattr=+alu32",
                object.toString())).get(".text");
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (Instruction insn : Decoder.decode(program)) {
            String ours = llvmView(insn);
            boolean atomic32 = insn.instructionClass() == Opcodes.STX && insn.mode() == Opcodes.ATOMIC
                    && insn.accessBytes() == 4;
            String theirs = atomic32 ? alu32.get(insn.slot()).replaceFirst("^(lock .*) w(\\d+)$", "$1 r$2")
                    : plain.get(insn.slot());
            if (!ours.equals(theirs)) {
                mismatches.add(insn.slot() + ": llvm '" + theirs + "' ours '" + ours + "'");
            }
            compared++;
        }
        assertTrue(mismatches.isEmpty(), mismatches.size() + " mismatches:\n" + String.join("\n", mismatches));
        assertTrue(compared > 190, "compared " + compared);
    }

    /**
     * Our text as llvm-objdump-19 shows the same instruction where llvm's text says less: it prints the call kind
     * of neither local calls nor kfunc calls ({@code call X}), drops the immediate of indirect packet loads
     * ({@code skb[r3]}), and prints lddw with a pseudo source as {@code ld_pseudo rD, src, imm} (unsigned imm,
     * without the second word's imm). Whitespace runs collapse to one space.
     */
    private static String llvmView(Instruction insn) {
        String ours = normalise(Disassembler.format(insn));
        if (insn.isLddw() && insn.src() != 0) {
            return "ld_pseudo r" + insn.dst() + ", 0x" + Integer.toHexString(insn.src()) + ", 0x"
                    + Integer.toHexString(insn.imm());
        }
        return ours.replaceFirst("^call (local|kfunc) ", "call ").replaceFirst("skb\\[(r\\d+) [-+] 0x[0-9a-f]+]$",
                "skb[$1]");
    }

    @Test
    void printsLlvmSpelling() {
        assertText("r2 = *(u8 *)(r1 + 0x0)", encode(0x71, 2, 1, 0, 0));
        assertText("r0 = *(u32 *)(r10 - 0x100)", encode(0x61, 0, 10, -0x100, 0));
        assertText("*(u64 *)(r10 - 0x8) = r1", encode(0x7b, 10, 1, -8, 0));
        assertText("*(u32 *)(r1 + 0x0) = -0x1", encode(0x62, 1, 0, 0, -1));
        assertText("w0 = -0x80000000", encode(0xb4, 0, 0, 0, Integer.MIN_VALUE));
        assertText("if w1 > -0x1 goto +0x0", encode(0x26, 1, 0, 0, -1));
        assertText("if r1 & r2 goto -0x1", encode(0x4d, 1, 2, -1, 0));
        assertText("goto +0x0", encode(0x05, 0, 0, 0, 0));
        assertText("gotol -0x1", encode(0x06, 0, 0, 0, -1));
        assertText("r1 = (s8)r2", encode(0xbf, 1, 2, 8, 0));
        assertText("w1 s%= 0x3", encode(0x94, 1, 0, 1, 3));
        assertText("r0 = -r0", encode(0x87, 0, 0, 0, 0));
        assertText("r1 = le16 r1", encode(0xd4, 1, 0, 0, 16));
        assertText("r0 = bswap64 r0", encode(0xd7, 0, 0, 0, 64));
        assertText("lock *(u64 *)(r1 + 0x0) += r2", encode(0xdb, 1, 2, 0, 0));
        assertText("w0 = atomic_fetch_xor((u32 *)(r1 + 0x0), w0)", encode(0xc3, 1, 0, 0, 0xa1));
        assertText("r0 = cmpxchg_64(r1 + 0x8, r0, r2)", encode(0xdb, 1, 2, 8, 0xf1));
        assertText("w2 = xchg32_32(r1 - 0x8, w2)", encode(0xc3, 1, 2, -8, 0xe1));
        assertText("r0 = *(u32 *)skb[r1]", encode(0x40, 0, 1, 0, 0));
        assertText("r0 = *(u16 *)skb[0x5]", encode(0x28, 0, 0, 0, 5));
        assertText("callx r2", encode(0x8d, 2, 0, 0, 0));
        assertText("call 0x7fffffff", encode(0x85, 0, 0, 0, Integer.MAX_VALUE));
        assertText("exit", encode(0x95, 0, 0, 0, 0));
        assertEquals("r1 = -0x8000000000000000 ll",
                Disassembler.format(Decoder.decode(new long[] {0x118, 0x8000000000000000L}).get(0)));
        assertEquals("r1 = map_val(0x2) + 0x10",
                Disassembler.format(Decoder.decode(new long[] {encode(0x18, 1, 2, 0, 2), 0x1000000000L}).get(0)));
        assertEquals("0: r0 = 0x1\n1: exit\n",
                Disassembler.disassemble(new long[] {encode(0xb7, 0, 0, 0, 1), encode(0x95, 0, 0, 0, 0)}));
    }

    private static void assertText(String expected, long word) {
        assertEquals(expected, Disassembler.format(Decoder.decode(new long[] {word, 0x95, 0x95}).get(0)));
    }

    // ---- comparison with llvm-objdump-19 on the clang-built objects ----

    private static final Pattern SECTION = Pattern.compile("^Disassembly of section (.+):$");
    private static final Pattern LINE = Pattern.compile("^\\s*(\\d+):\\t(.*)$");

    /**
     * Every instruction of every code section of the objects under bench/programs and samples/build prints as
     * llvm-objdump-19 prints it. Normalisation: whitespace runs collapse to one space; llvm's trailing jump
     * annotation {@code <symbol+0x10>} is dropped (this printer shows no symbols); and {@link #llvmView} maps our
     * extra detail to llvm's text, chiefly {@code call local -0x1} to llvm's {@code call -0x1}: llvm does not
     * show the call kind, and we must, so that the text assembles back to the same word. The objects carry lddw
     * with src 0 (relocations are applied by the loader), so their lddw text is compared unchanged.
     */
    @Test
    void matchesLlvmObjdumpOnCompiledObjects(@TempDir Path temp) throws Exception {
        String objdump = requireTool("llvm-objdump-19");
        String objcopy = requireTool("llvm-objcopy-19");
        Path shared = SharedData.shared();
        List<Path> objects = new ArrayList<>();
        for (Path dir : List.of(shared.resolve("bench/programs"), shared.resolve("samples/build"))) {
            try (Stream<Path> list = Files.list(dir)) {
                list.filter(p -> p.toString().endsWith(".o")).sorted().forEach(objects::add);
            }
        }
        assertTrue(objects.size() >= 40, "objects found: " + objects.size());
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        int sections = 0;
        // One llvm-objdump run lists all objects, each introduced by "path:<tab>file format elf64-bpf".
        List<String> dumpCommand = new ArrayList<>(List.of(objdump, "-d", "--no-show-raw-insn"));
        objects.forEach(o -> dumpCommand.add(o.toString()));
        String all = run(dumpCommand.toArray(String[]::new));
        for (Path object : objects) {
            String header = object + ":\tfile format";
            int start = all.indexOf(header);
            assertTrue(start >= 0, "llvm-objdump printed nothing for " + object);
            int end = all.indexOf(":\tfile format", start + header.length());
            end = end < 0 ? all.length() : all.lastIndexOf('\n', end);
            Map<String, Map<Integer, String>> listing = llvmListing(all.substring(start, end));
            // One llvm-objcopy run per object writes every code section to its own file.
            List<String> command = new ArrayList<>(List.of(objcopy));
            Map<String, Path> files = new LinkedHashMap<>();
            for (String name : listing.keySet()) {
                Path file = temp.resolve("section-" + sections++ + ".bin");
                files.put(name, file);
                command.add("--dump-section");
                command.add(name + "=" + file);
            }
            command.add(object.toString());
            command.add(temp.resolve("copy.o").toString());
            run(command.toArray(String[]::new));
            for (Map.Entry<String, Map<Integer, String>> section : listing.entrySet()) {
                Path bytes = files.get(section.getKey());
                List<Instruction> program = Decoder.decode(Decoder.words(Files.readAllBytes(bytes)));
                Map<Integer, String> expected = section.getValue();
                assertEquals(expected.keySet().size(), program.size(),
                        object.getFileName() + " " + section.getKey() + ": instruction count");
                for (Instruction insn : program) {
                    String llvm = expected.get(insn.slot());
                    String ours = llvmView(insn);
                    if (llvm == null || !llvm.equals(ours)) {
                        mismatches.add(object.getFileName() + " " + section.getKey() + " " + insn.slot()
                                + ": llvm '" + llvm + "' ours '" + ours + "'");
                    } else {
                        compared++;
                    }
                }
            }
        }
        assertTrue(mismatches.isEmpty(), mismatches.size() + " mismatches:\n" + String.join("\n", mismatches));
        assertTrue(compared > 1000, "compared only " + compared + " instructions in " + sections + " sections");
    }

    private static String normalise(String text) {
        return text.replaceFirst("\\s*<[^<>]*>$", "").replaceAll("\\s+", " ").strip();
    }

    /** Section name -> slot -> instruction text, from llvm-objdump's listing. */
    private static Map<String, Map<Integer, String>> llvmListing(String listing) {
        Map<String, Map<Integer, String>> sections = new LinkedHashMap<>();
        Map<Integer, String> current = null;
        for (String line : listing.split("\n")) {
            Matcher m = SECTION.matcher(line);
            if (m.matches()) {
                current = new TreeMap<>();
                sections.put(m.group(1), current);
                continue;
            }
            m = LINE.matcher(line);
            if (m.matches() && current != null) {
                current.put(Integer.parseInt(m.group(1)), normalise(m.group(2)));
            }
        }
        sections.values().removeIf(Map::isEmpty);
        return sections;
    }

    private static String requireTool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail(name + " is not installed (it comes with Debian's llvm-19 package; run bin/install-test-deps)");
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + text);
        return text;
    }
}

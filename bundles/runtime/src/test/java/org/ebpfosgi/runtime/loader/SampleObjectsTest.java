package org.ebpfosgi.runtime.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.runtime.ObjectFormatException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every sample object parses, and its programs and maps agree with what llvm-readelf-19,
 * llvm-objdump-19 and bpftool say about the file (and with PREVAIL's listing).
 */
class SampleObjectsTest {

    @TestFactory
    Stream<DynamicTest> everySampleMatchesTheTools() {
        List<Path> objects = Samples.validObjects();
        assertTrue(objects.size() >= 100, "expected the sample corpus, found " + objects.size() + " objects");
        return objects.stream().map(p -> DynamicTest.dynamicTest(Samples.relative(p), () -> check(p)));
    }

    private static void check(Path file) throws ObjectFormatException {
        ParsedObject object = ObjectLoader.parse(file.getFileName().toString(), Samples.read(file), LinuxSectionTypes.instance());
        ToolOracle tools = new ToolOracle(file);
        checkPrograms(object, tools);
        checkMaps(object, tools, file);
    }

    // ---- programs ----

    private record Unit(int section, String name, int start, int end) {}

    private static void checkPrograms(ParsedObject object, ToolOracle tools) {
        List<String> expected = new ArrayList<>();
        List<Unit> entries = new ArrayList<>();
        List<Unit> textEntries = new ArrayList<>();
        for (ToolOracle.Section s : tools.sections) {
            if (!s.executable() || s.size() == 0) {
                continue;
            }
            List<Unit> functions = functions(tools, s);
            List<Unit> target = s.name().equals(".text") ? textEntries : entries;
            target.addAll(functions.isEmpty() ? List.of(new Unit(s.index(), s.name(), 0, (int) (s.size() / 8))) : functions);
        }
        if (entries.isEmpty()) {
            entries = textEntries;
        }
        for (Unit u : entries) {
            expected.add(u.name() + " in " + tools.section(u.section()).name());
        }
        List<String> actual = object.parsedPrograms().stream().map(p -> p.name() + " in " + p.section()).toList();
        assertEquals(expected, actual, "programs (FUNC symbols of code sections, from llvm-readelf)");

        for (int i = 0; i < entries.size(); i++) {
            ParsedProgram program = object.parsedPrograms().get(i);
            Set<String> helpers = new LinkedHashSet<>();
            int linked = linkedSize(tools, entries.get(i), helpers);
            assertEquals(linked, program.instructionCount(),
                    program.name() + ": its size plus the subprograms it calls (from llvm-objdump's calls)");
            assertEquals(Set.copyOf(helpers), Set.copyOf(program.helperNames()), program.name() + ": extern functions called");
            assertEquals(program.programType(), LinuxSectionTypes.instance().programType(program.section()));
        }
    }

    private static List<Unit> functions(ToolOracle tools, ToolOracle.Section s) {
        return tools.symbols.stream()
                .filter(sym -> sym.type().equals("FUNC") && sym.section() == s.index() && sym.size() > 0)
                .sorted(Comparator.comparingLong(ToolOracle.Symbol::value))
                .map(sym -> new Unit(s.index(), sym.name(), (int) (sym.value() / 8), (int) ((sym.value() + sym.size()) / 8)))
                .toList();
    }

    /** Instruction slots of a program plus every function it reaches through calls and function addresses. */
    private static int linkedSize(ToolOracle tools, Unit entry, Set<String> helpers) {
        Set<String> seen = new HashSet<>();
        Deque<Unit> queue = new ArrayDeque<>(List.of(entry));
        seen.add(entry.section() + ":" + entry.start());
        int total = 0;
        while (!queue.isEmpty()) {
            Unit u = queue.poll();
            total += u.end() - u.start();
            ToolOracle.Section section = tools.section(u.section());
            for (ToolOracle.Insn insn : tools.code.getOrDefault(section.name(), List.of())) {
                if (insn.index() < u.start() || insn.index() >= u.end()) {
                    continue;
                }
                Unit target = null;
                boolean call = insn.opcode() == 0x85;
                boolean functionAddress = insn.opcode() == 0x18 && "R_BPF_64_64".equals(insn.relocationType());
                if (call && insn.relocationType() != null) {
                    ToolOracle.Symbol sym = tools.symbol(insn.relocationSymbol());
                    if (sym != null && sym.ndx().equals("UND")) {
                        helpers.add(sym.name());
                        continue;
                    }
                    int targetSection = sym != null && sym.section() > 0 ? sym.section() : tools.section(insn.relocationSymbol()).index();
                    long value = sym != null && sym.section() > 0 ? sym.value() : 0;
                    target = containing(tools, targetSection, value / 8 + insn.imm() + 1);
                } else if (call && insn.src() == 1) {
                    target = containing(tools, u.section(), (long) insn.index() + insn.imm() + 1);
                } else if (functionAddress) {
                    ToolOracle.Symbol sym = tools.symbol(insn.relocationSymbol());
                    ToolOracle.Section ts = sym != null && sym.section() > 0 ? tools.section(sym.section()) : tools.section(insn.relocationSymbol());
                    if (ts != null && ts.executable()) {
                        long value = sym != null && sym.section() > 0 ? sym.value() : 0;
                        target = containing(tools, ts.index(), (value + insn.imm()) / 8);
                    }
                }
                if (target != null && !(target.section() == u.section() && target.start() == u.start())
                        && seen.add(target.section() + ":" + target.start())) {
                    queue.add(target);
                }
            }
        }
        return total;
    }

    private static Unit containing(ToolOracle tools, int section, long slot) {
        ToolOracle.Section s = tools.section(section);
        for (Unit f : functions(tools, s)) {
            if (f.start() <= slot && slot < f.end()) {
                return f;
            }
        }
        return new Unit(section, s.name(), 0, (int) (s.size() / 8));
    }

    // ---- maps ----

    private static void checkMaps(ParsedObject object, ToolOracle tools, Path file) {
        List<String> expected = new ArrayList<>();
        for (ToolOracle.Section s : tools.sections) {
            if (!(s.name().equals("maps") || s.name().startsWith("maps/")) || s.size() == 0) {
                continue;
            }
            expected.addAll(legacyMaps(tools, s));
        }
        ToolOracle.Section btfMaps = tools.section(".maps");
        if (btfMaps != null) {
            expected.addAll(btfMaps(file));
        }
        for (ToolOracle.Section s : tools.sections) {
            String n = s.name();
            boolean data = s.type().equals("PROGBITS") && !s.executable() && (n.equals(".data") || n.startsWith(".data.")
                    || n.equals(".rodata") || n.startsWith(".rodata."));
            boolean bss = s.type().equals("NOBITS") && (n.equals(".bss") || n.startsWith(".bss."));
            if ((data || bss) && s.size() > 0) {
                int flags = 0x400 | (n.startsWith(".rodata") ? 0x80 : 0);
                expected.add(n + " type 2 key 4 value " + s.size() + " max 1 flags " + flags + " pin NONE");
            }
        }
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < object.maps().size(); i++) {
            MapDefinition d = object.maps().get(i);
            actual.add(describe(object.isGlobalData(i) ? object.mapSection(i) : d.name(), d));
            if (object.isGlobalData(i)) {
                assertEquals(d.valueSize(), object.initialValue(i).length);
            }
        }
        assertEquals(expected, actual, "maps (legacy: llvm-readelf -x; BTF: bpftool btf dump; global data: section sizes)");
    }

    private static String describe(String name, MapDefinition d) {
        String s = name + " type " + d.type() + " key " + d.keySize() + " value " + d.valueSize() + " max " + d.maxEntries()
                + " flags " + d.flags() + " pin " + d.pinning();
        return d.innerMap() == null ? s : s + " inner {" + describe(d.innerMap().name(), d.innerMap()) + "}";
    }

    private static List<String> legacyMaps(ToolOracle tools, ToolOracle.Section s) {
        List<String> all = new ArrayList<>();
        List<Integer> inner = new ArrayList<>();
        for (ToolOracle.Section section : tools.sections) {
            if ((section.name().equals("maps") || section.name().startsWith("maps/")) && section.size() > 0) {
                all.addAll(legacyMaps(tools, section, inner));
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            String[] nameAndSection = all.get(i).split("\u0000");
            if (!nameAndSection[1].equals(s.name())) {
                continue;
            }
            // inner_map_idx (bpf_load.c layout) is an index into the legacy maps in file order
            int idx = inner.get(i);
            boolean linked = idx >= 0 && idx < all.size() && idx != i;
            out.add(nameAndSection[0] + (linked ? " inner {" + all.get(inner.get(i)).split("\u0000")[0] + "}" : ""));
        }
        return out;
    }

    private static List<String> legacyMaps(ToolOracle tools, ToolOracle.Section s, List<Integer> inner) {
        List<ToolOracle.Symbol> symbols = tools.symbols.stream()
                .filter(sym -> sym.section() == s.index() && !sym.type().equals("SECTION") && !sym.name().isEmpty())
                .sorted(Comparator.comparingLong(ToolOracle.Symbol::value)).toList();
        byte[] bytes = tools.sectionBytes(s.name());
        assertEquals(s.size(), bytes.length, "hex dump of " + s.name());
        List<String> out = new ArrayList<>();
        for (ToolOracle.Symbol sym : symbols) {
            long size = symbols.stream().anyMatch(x -> x.size() == 0) ? s.size() / symbols.size() : sym.size();
            int p = (int) sym.value();
            int type = u32(bytes, p);
            inner.add((type == 12 || type == 13) && size >= 24 ? u32(bytes, p + 20) : -1);
            out.add(sym.name() + " type " + type + " key " + u32(bytes, p + 4) + " value " + u32(bytes, p + 8) + " max "
                    + u32(bytes, p + 12) + " flags " + (size >= 20 ? u32(bytes, p + 16) : 0) + " pin NONE\u0000" + s.name());
        }
        return out;
    }

    private static int u32(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
    }

    private static final Pattern ID = Pattern.compile("type_id=(\\d+)");
    private static final Pattern NUMBER = Pattern.compile("(size|nr_elems)=(\\d+)");
    private static final Pattern VAR = Pattern.compile("type_id=(\\d+) offset=\\d+ size=\\d+ \\(VAR '([^']*)'\\)");
    private static final Pattern MEMBER = Pattern.compile("^'([^']*)' type_id=(\\d+) bits_offset=\\d+.*$");

    private static List<String> btfMaps(Path file) {
        Map<Integer, List<String>> btf = ToolOracle.btfDump(file);
        List<String> out = new ArrayList<>();
        for (List<String> type : btf.values()) {
            if (!type.get(0).contains("DATASEC '.maps'")) {
                continue;
            }
            for (String line : type.subList(1, type.size())) {
                Matcher m = VAR.matcher(line);
                assertTrue(m.matches(), line);
                List<String> var = btf.get(Integer.parseInt(m.group(1)));
                out.add(btfMap(btf, m.group(2), id(var.get(0))));
            }
        }
        return out;
    }

    private static String btfMap(Map<Integer, List<String>> btf, String name, int structId) {
        List<String> struct = btf.get(skipModifiers(btf, structId));
        assertTrue(struct.get(0).contains("STRUCT"), struct.get(0));
        long type = 0, key = 0, value = 0, max = 0, flags = 0, pin = 0;
        String inner = "";
        for (String line : struct.subList(1, struct.size())) {
            Matcher m = MEMBER.matcher(line);
            assertTrue(m.matches(), line);
            int member = Integer.parseInt(m.group(2));
            switch (m.group(1)) {
                case "type" -> type = uintField(btf, member);
                case "max_entries" -> max = uintField(btf, member);
                case "map_flags" -> flags = uintField(btf, member);
                case "pinning" -> pin = uintField(btf, member);
                case "key_size" -> key = uintField(btf, member);
                case "value_size" -> value = uintField(btf, member);
                case "key" -> key = size(btf, id(btf.get(skipModifiers(btf, member)).get(0)));
                case "value" -> value = size(btf, id(btf.get(skipModifiers(btf, member)).get(0)));
                case "values" -> {
                    int pointer = skipModifiers(btf, id(btf.get(skipModifiers(btf, member)).get(0)));
                    int target = skipModifiers(btf, id(btf.get(pointer).get(0)));
                    if (!btf.get(target).get(0).contains("FUNC_PROTO")) {
                        inner = " inner {" + btfMap(btf, name + ".inner", target) + "}";
                    }
                    value = 4;
                }
                default -> { }
            }
        }
        return name + " type " + type + " key " + key + " value " + value + " max " + max + " flags " + flags + " pin "
                + (pin == 1 ? "BY_NAME" : "NONE") + inner;
    }

    private static int id(String header) {
        Matcher m = ID.matcher(header);
        assertTrue(m.find(), header);
        return Integer.parseInt(m.group(1));
    }

    private static int skipModifiers(Map<Integer, List<String>> btf, int id) {
        while (true) {
            String h = btf.get(id).get(0);
            if (h.contains("] TYPEDEF ") || h.contains("] CONST ") || h.contains("] VOLATILE ") || h.contains("] RESTRICT ")
                    || h.contains("] TYPE_TAG ")) {
                id = id(h);
            } else {
                return id;
            }
        }
    }

    private static long uintField(Map<Integer, List<String>> btf, int member) {
        int pointer = skipModifiers(btf, member);
        int array = skipModifiers(btf, id(btf.get(pointer).get(0)));
        return number(btf.get(array).get(0), "nr_elems");
    }

    private static long size(Map<Integer, List<String>> btf, int id) {
        if (id == 0) {
            return 0;
        }
        String h = btf.get(id).get(0);
        if (h.contains("] PTR ")) {
            return 8;
        }
        if (h.contains("] ARRAY ")) {
            return number(h, "nr_elems") * size(btf, id(h));
        }
        if (h.contains("] TYPEDEF ") || h.contains("] CONST ") || h.contains("] VOLATILE ") || h.contains("] RESTRICT ")
                || h.contains("] TYPE_TAG ")) {
            return size(btf, id(h));
        }
        return number(h, "size");
    }

    private static long number(String header, String key) {
        Matcher m = NUMBER.matcher(header);
        while (m.find()) {
            if (m.group(1).equals(key)) {
                return Long.parseLong(m.group(2));
            }
        }
        throw new AssertionError("no " + key + " in " + header);
    }

    // ---- PREVAIL ----

    /**
     * PREVAIL's listing of every program, as a second oracle. PREVAIL counts a 64-bit load as one
     * instruction (we count its two slots), and lists .text functions as programs even in objects
     * whose programs live in other sections. Its count is that of its own instruction list after
     * unmarshalling, see {@link #prevailStyleCount}: every program must match by name, section and count.
     */
    @Test
    void prevailListingAgrees() throws Exception {
        Path tsv = Samples.root().resolve("prevail-verdicts.tsv");
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        int exact = 0;
        ParsedObject object = null;
        String objectName = null;
        for (String line : Files.readAllLines(tsv)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f[0].startsWith("invalid/")) {
                // PREVAIL refused these too (verdict ERROR); InvalidObjectsTest covers them
                assertEquals("ERROR", f[4], line);
                continue;
            }
            if (!f[0].equals(objectName)) {
                objectName = f[0];
                object = Samples.parse(objectName);
            }
            String section = f[1];
            String function = f[2];
            int prevailCount = Integer.parseInt(f[3]);
            ParsedProgram program = object.parsedPrograms().stream()
                    .filter(p -> p.name().equals(function) && p.section().equals(section)).findFirst().orElse(null);
            if (program == null) {
                // PREVAIL also lists .text code of objects whose programs live in other sections; here it is
                // subprogram material, appended where called (and dropped where nothing calls it).
                boolean textOfSectionedObject = section.equals(".text")
                        && object.parsedPrograms().stream().anyMatch(p -> !p.section().equals(".text"));
                if (!textOfSectionedObject) {
                    mismatches.add(objectName + " " + section + "/" + function + ": not a program here");
                }
                continue;
            }
            compared++;
            int count = prevailStyleCount(program.instructions());
            if (count == prevailCount) {
                exact++;
            } else {
                mismatches.add(objectName + " " + section + "/" + function + ": " + count + " instructions counted PREVAIL's way, PREVAIL "
                        + prevailCount);
            }
        }
        System.out.println("PREVAIL listing: " + compared + " programs compared, " + exact + " with the same instruction count");
        assertTrue(compared > 300, "compared only " + compared + " programs");
        assertEquals(List.of(), mismatches);
    }

    /**
     * The instruction count as PREVAIL's unmarshaller makes it: a lddw is one instruction, and a shift
     * pair {@code r <<= 32; r >>= 32} (or {@code s>>= 32}) on one register, clang's zero or sign
     * extension, becomes one.
     */
    static int prevailStyleCount(long[] code) {
        int n = 0;
        for (int i = 0; i < code.length; i++) {
            n++;
            int op = (int) (code[i] & 0xff);
            if (op == 0x18) {
                i++;
            } else if (op == 0x67 && imm(code[i]) == 32 && i + 1 < code.length) {
                int next = (int) (code[i + 1] & 0xff);
                if ((next == 0x77 || next == 0xc7) && imm(code[i + 1]) == 32 && dst(code[i]) == dst(code[i + 1])) {
                    i++;
                }
            }
        }
        return n;
    }

    private static int imm(long w) { return (int) (w >>> 32); }

    private static int dst(long w) { return (int) (w >>> 8) & 0xf; }


    @Test
    void everyObjectHasALicenseOrNone() throws Exception {
        // llvm-readelf's hex dump of the license section, up to its NUL, is what license() returns.
        for (String name : List.of("linux/sockex1_kern.o", "build/twomaps.o", "cilium/bpf_xdp.o")) {
            Path p = Samples.sample(name);
            ToolOracle tools = new ToolOracle(p);
            ParsedObject o = Samples.parse(name);
            if (tools.section("license") == null) {
                assertEquals("", o.license(), name);
                continue;
            }
            byte[] b = tools.sectionBytes("license");
            int end = 0;
            while (end < b.length && b[end] != 0) {
                end++;
            }
            String expected = new String(b, 0, end, java.nio.charset.StandardCharsets.UTF_8);
            assertFalse(expected.isEmpty(), name);
            assertEquals(expected, o.license(), name);
            assertNotNull(o.license());
        }
    }
}

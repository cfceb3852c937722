package org.ebpfosgi.runtime.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.runtime.btf.LineInfo;
import org.junit.jupiter.api.Test;

/** Known facts of particular samples: relocations, map-in-map, legacy maps, program arrays, line info. */
class SampleDetailsTest {
    private static int src(long w) { return (int) (w >>> 12) & 0xf; }
    private static int imm(long w) { return (int) (w >>> 32); }

    @Test
    void bpfToBpfCallsAreFixedUp() throws Exception {
        ParsedProgram func = Samples.parse("build/bpf2bpf.o").program("func").orElseThrow();
        // func (37 slots) calls add2 twice; add2 (8 slots, appended at 37) calls add1 twice (13, at 45)
        assertEquals(58, func.instructionCount());
        long[] code = func.instructions();
        assertEquals(37 - 7 - 1, imm(code[7]));
        assertEquals(37 - 9 - 1, imm(code[9]));
        assertEquals(45 - (37 + 4) - 1, imm(code[37 + 4]));
        assertEquals(45 - (37 + 6) - 1, imm(code[37 + 6]));
        assertEquals(List.of("func", "add2", "add1"), func.functions().stream().map(f -> f.name()).toList());
    }

    @Test
    void globalDataOffsetsComeFromTheInstruction() throws Exception {
        ParsedObject o = Samples.parse("build/global_variable.o");
        assertEquals(List.of("global_v.bss", "global_v.rodata", "global_v.data"), o.maps().stream().map(MapDefinition::name).toList());
        long[] code = o.parsedPrograms().get(0).instructions();
        // r2 = .bss + 0 (slot 1), r2 = .bss + 4 (slot 5: imm 4 in the file), .rodata (slot 8), .data (slot 11)
        int[][] expected = {{1, 0, 0}, {5, 0, 4}, {8, 1, 0}, {11, 2, 0}};
        for (int[] e : expected) {
            assertEquals(2, src(code[e[0]]), "slot " + e[0]);
            assertEquals(e[1], imm(code[e[0]]), "slot " + e[0]);
            assertEquals(e[2], imm(code[e[0] + 1]), "slot " + e[0]);
        }
        ToolOracle tools = new ToolOracle(Samples.sample("build/global_variable.o"));
        assertArrayEquals(tools.sectionBytes(".rodata"), o.initialValue(1));
        assertArrayEquals(tools.sectionBytes(".data"), o.initialValue(2));
        assertArrayEquals(new byte[8], o.initialValue(0));
        assertTrue(o.isGlobalData(1));
        assertEquals(".rodata", o.mapSection(1));
    }

    @Test
    void mapLoadsCarryTheMapIndex() throws Exception {
        ParsedObject o = Samples.parse("build/twomaps.o");
        ToolOracle tools = new ToolOracle(Samples.sample("build/twomaps.o"));
        ParsedProgram p = o.parsedPrograms().get(0);
        long[] code = p.instructions();
        int checked = 0;
        for (ToolOracle.Insn insn : tools.code.get(".text")) {
            if ("R_BPF_64_64".equals(insn.relocationType())) {
                assertEquals(1, src(code[insn.index()]));
                assertEquals(o.mapIndex(insn.relocationSymbol()), imm(code[insn.index()]), insn.relocationSymbol());
                checked++;
            }
        }
        assertEquals(2, checked);
    }

    @Test
    void btfMapInMap() throws Exception {
        ParsedObject o = Samples.parse("build/map_in_map.o");
        int outer = o.mapIndex("array_of_maps");
        MapDefinition d = o.maps().get(outer);
        assertEquals(12, d.type());
        assertEquals(4, d.valueSize());
        assertNotNull(d.innerMap());
        assertEquals(2, d.innerMap().type());
        assertEquals("array_of_maps.inner", d.innerMap().name());
        assertEquals(Map.of(0, "inner_map"), o.initialSlots(outer));
        MapDefinition anonymousOuter = Samples.parse("build/map_in_map_anonymous.o").maps().get(0);
        assertEquals("outer_map.inner", anonymousOuter.innerMap().name());
        assertEquals(1, Samples.parse("build/map_in_map_anonymous.o").maps().size(), "an anonymous inner definition is no map");
    }

    @Test
    void legacyMapInMapUsesTheInnerIndex() throws Exception {
        ParsedObject o = Samples.parse("build/map_in_map_legacy.o");
        assertEquals(List.of("array_of_maps", "inner_map"), o.maps().stream().map(MapDefinition::name).toList());
        assertEquals(o.maps().get(1), o.maps().get(0).innerMap());
        assertEquals("maps/array_of_maps", o.mapSection(0));
        assertNull(o.initialValue(0));
    }

    @Test
    void legacyMapsWithoutSymbolSizesShareTheSection() throws Exception {
        // Cilium's maps symbols have size 0: 560 bytes / 20 symbols = 28-byte definitions
        ParsedObject o = Samples.parse("cilium/bpf_lxc.o");
        assertEquals(20, o.maps().size());
        MapDefinition events = o.maps().get(o.mapIndex("cilium_events"));
        assertEquals(4, events.type()); // PERF_EVENT_ARRAY
    }

    @Test
    void programArraySlots() throws Exception {
        ParsedObject o = Samples.parse("build/prog_array.o");
        assertEquals(Map.of(0, "func0", 1, "func1", 2, "func2", 3, "func3"), o.initialSlots(0));
        assertEquals(3, o.maps().get(0).type());
    }

    @Test
    void externFunctionOfASample() throws Exception {
        ParsedProgram p = Samples.parse("build/externalfunction.o").parsedPrograms().get(0);
        assertEquals(List.of("bpf_map_lookup_elem"), p.helperNames());
        assertEquals(2, src(p.instructions()[6]));
        assertEquals(0, imm(p.instructions()[6]));
    }

    @Test
    void knownLineMapsToItsSource() throws Exception {
        ParsedProgram p = Samples.parse("build/global_variable.o").parsedPrograms().get(0);
        LineInfo line = p.lineAt(1);
        assertEquals("D:/ebpf-samples/src/global_variable.c", line.file());
        assertEquals(21, line.line());
        assertEquals("    __sync_fetch_and_add(&global_var, 1);", line.sourceLine());
        assertEquals(22, p.lineAt(5).line());
        assertEquals(p.lineAt(1), p.lineAt(3), "instructions without a record inherit the previous line");
    }

    private static final Pattern DWARF_LINE = Pattern.compile("^; (.*):(\\d+)$");
    private static final Pattern INSN = Pattern.compile("^\\s*(\\d+):\\t.*$");

    /** BTF line records agree with the DWARF line table that llvm-objdump --line-numbers prints. */
    @Test
    void lineInfoAgreesWithDwarf() throws Exception {
        int compared = 0;
        for (Path file : Samples.validObjects()) {
            ParsedObject o = ObjectLoader.parse(file.getFileName().toString(), Samples.read(file), LinuxSectionTypes.instance());
            boolean hasLines = o.parsedPrograms().stream().anyMatch(p -> !p.lineInfo().isEmpty());
            if (!hasLines || !Samples.relative(file).startsWith("build/")) {
                continue;
            }
            Map<String, Map<Integer, Integer>> dwarf = dwarfLines(file);
            List<String> mismatches = new ArrayList<>();
            for (ParsedProgram p : o.parsedPrograms()) {
                if (p.functions().size() > 1) {
                    continue; // linked subprograms move; the section-relative check covers the program's own code
                }
                for (LineInfo l : p.lineInfo()) {
                    if (l.instruction() == 0) {
                        continue; // BTF gives a function's first instruction the declaration's line, DWARF its first statement's
                    }
                    Integer expected = dwarf.getOrDefault(p.section(), Map.of()).get(l.instruction() + p.sectionStart());
                    if (expected != null && expected != l.line()) {
                        mismatches.add(p.name() + "@" + l.instruction() + ": BTF " + l.line() + ", DWARF " + expected);
                    }
                    compared++;
                }
            }
            assertEquals(List.of(), mismatches, Samples.relative(file));
        }
        assertTrue(compared > 100, "compared " + compared + " line records");
    }

    private static Map<String, Map<Integer, Integer>> dwarfLines(Path file) {
        Map<String, Map<Integer, Integer>> lines = new HashMap<>();
        Map<Integer, Integer> current = null;
        Integer line = null;
        for (String s : Samples.lines(Samples.run(ToolOracle.LLVM, "llvm-objdump-19", "--triple=bpfel", "-d", "--line-numbers", file.toString()))) {
            if (s.startsWith("Disassembly of section ")) {
                current = lines.computeIfAbsent(s.substring(23, s.length() - 1), k -> new HashMap<>());
                line = null;
                continue;
            }
            Matcher m = DWARF_LINE.matcher(s);
            if (m.matches()) {
                line = Integer.parseInt(m.group(2));
                continue;
            }
            m = INSN.matcher(s);
            if (m.matches() && current != null && line != null) {
                current.put(Integer.parseInt(m.group(1)), line);
                line = null; // only the instruction right after a marker is sure to start that line
            }
        }
        return lines;
    }

    @Test
    void linuxSectionNames() {
        LinuxSectionTypes t = LinuxSectionTypes.instance();
        String[][] cases = {{"xdp", "xdp"}, {"xdp/cpumap", "xdp"}, {"xdp_redirect_map", "xdp"}, {"socket", "socket_filter"},
                {"socket1", "socket_filter"}, {"kprobe/sys_write", "kprobe"}, {"kretprobe/kfree", "kprobe"},
                {"tracepoint/xdp/xdp_exception", "tracepoint"}, {"tp/syscalls/sys_enter_write", "tracepoint"},
                {"raw_tracepoint/task_rename", "raw_tracepoint"}, {"classifier", "sched_cls"}, {"tc", "sched_cls"},
                {"action", "sched_act"}, {"cgroup/skb", "cgroup_skb"}, {"cgroup_skb/ingress", "cgroup_skb"},
                {"cgroup/sock", "cgroup_sock"}, {"sockops", "sock_ops"}, {"sk_skb/stream_parser", "sk_skb"}, {"sk_msg", "sk_msg"},
                {"lwt_xmit", "lwt_xmit"}, {"perf_event", "perf_event"}, {"cgroup/bind4", "cgroup_sock_addr"},
                {"cgroup/connect6", "cgroup_sock_addr"}, {"bind", "bind"}, {"lsm/file_open", "lsm"}, {"fentry/tcp_v4_connect", "tracing"}};
        for (String[] c : cases) {
            assertEquals(c[1], t.programType(c[0]), c[0]);
        }
        for (String none : new String[] {"2/1", "from-netdev", ".text", "test", "tcx", "kprobes", "license"}) {
            assertNull(t.programType(none), none);
        }
        assertTrue(LinuxSectionTypes.typeNames().contains("cgroup_sock_addr"));
    }
}

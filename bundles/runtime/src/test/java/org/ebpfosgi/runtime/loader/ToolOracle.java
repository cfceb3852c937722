package org.ebpfosgi.runtime.loader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What llvm-readelf-19, llvm-objdump-19 and bpftool say about an object, read from their text output:
 * the expectations of the sample tests are computed from this, never typed in.
 */
final class ToolOracle {
    static final String LLVM = "llvm-19";
    static final String BPFTOOL = "bpftool";

    record Section(int index, String name, String type, String flags, long size) {
        boolean executable() { return type.equals("PROGBITS") && flags.contains("X"); }
    }

    record Symbol(String name, long value, long size, String type, String bind, String ndx) {
        int section() { return ndx.matches("\\d+") ? Integer.parseInt(ndx) : -1; }
    }

    /** One instruction as llvm-objdump prints it, with the relocation printed under it (or null). */
    record Insn(int index, byte[] bytes, String relocationType, String relocationSymbol) {
        int opcode() { return bytes[0] & 0xff; }
        int src() { return (bytes[1] >> 4) & 0xf; }
        int imm() { return (bytes[4] & 0xff) | (bytes[5] & 0xff) << 8 | (bytes[6] & 0xff) << 16 | (bytes[7] & 0xff) << 24; }
    }

    final List<Section> sections = new ArrayList<>();
    final List<Symbol> symbols = new ArrayList<>();
    final Map<String, List<Insn>> code = new LinkedHashMap<>();
    private final Path file;

    private static final Pattern SECTION = Pattern.compile(
            "^\\s*\\[\\s*(\\d+)\\]\\s+(\\S*)\\s+([A-Z_]+)\\s+([0-9a-f]{16})\\s+([0-9a-f]+)\\s+([0-9a-f]+)\\s+([0-9a-f]+)\\s+([A-Za-z]*)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$");
    private static final Pattern SYMBOL = Pattern.compile(
            "^\\s*(\\d+):\\s+([0-9a-f]+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s?(.*)$");
    private static final Pattern DISASSEMBLY = Pattern.compile("^Disassembly of section (.*):$");
    private static final Pattern INSN = Pattern.compile("^\\s*(\\d+):\\t((?:[0-9a-f]{2} ?)+)(?:\\t.*)?$");
    private static final Pattern RELOC = Pattern.compile("^\\s+[0-9a-f]+:\\s+(R_BPF_\\S+)\\s+(.*)$");

    ToolOracle(Path file) {
        this.file = file;
        for (String line : Samples.lines(Samples.run(LLVM, "llvm-readelf-19", "-S", "-s", "--wide", file.toString()))) {
            Matcher m = SECTION.matcher(line);
            if (m.matches()) {
                sections.add(new Section(Integer.parseInt(m.group(1)), m.group(2), m.group(3), m.group(8), Long.parseLong(m.group(6), 16)));
                continue;
            }
            m = SYMBOL.matcher(line);
            if (m.matches()) {
                String size = m.group(3);
                symbols.add(new Symbol(m.group(8), Long.parseLong(m.group(2), 16),
                        size.startsWith("0x") ? Long.parseLong(size.substring(2), 16) : Long.parseLong(size), m.group(4), m.group(5), m.group(7)));
            }
        }
        String current = null;
        List<Insn> insns = null;
        for (String line : Samples.lines(Samples.run(LLVM, "llvm-objdump-19", "--triple=bpfel", "-d", "-r", file.toString()))) {
            Matcher m = DISASSEMBLY.matcher(line);
            if (m.matches()) {
                current = m.group(1);
                insns = code.computeIfAbsent(current, k -> new ArrayList<>());
                continue;
            }
            if (insns == null) {
                continue;
            }
            m = INSN.matcher(line);
            if (m.matches()) {
                String[] hex = m.group(2).trim().split(" ");
                byte[] bytes = new byte[hex.length];
                for (int i = 0; i < hex.length; i++) {
                    bytes[i] = (byte) Integer.parseInt(hex[i], 16);
                }
                insns.add(new Insn(Integer.parseInt(m.group(1)), bytes, null, null));
                continue;
            }
            m = RELOC.matcher(line);
            if (m.matches() && !insns.isEmpty()) {
                Insn last = insns.remove(insns.size() - 1);
                insns.add(new Insn(last.index(), last.bytes(), m.group(1), m.group(2).trim()));
            }
        }
    }

    Section section(int index) {
        return sections.stream().filter(s -> s.index() == index).findFirst().orElse(null);
    }

    Section section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    Symbol symbol(String name) {
        return symbols.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /** The bytes of a section, from {@code llvm-readelf -x}. */
    byte[] sectionBytes(String name) {
        return sectionBytes.computeIfAbsent(name, this::dumpSection).clone();
    }

    private final Map<String, byte[]> sectionBytes = new HashMap<>();

    private byte[] dumpSection(String name) {
        List<Byte> bytes = new ArrayList<>();
        for (String line : Samples.lines(Samples.run(LLVM, "llvm-readelf-19", "-x", name, file.toString()))) {
            if (!line.startsWith("0x")) {
                continue;
            }
            String[] parts = line.substring(11).split(" ");
            for (int i = 0; i < Math.min(parts.length, 4); i++) {
                String group = parts[i];
                if (!group.matches("[0-9a-f]{2,8}")) {
                    break;
                }
                for (int k = 0; k + 1 < group.length(); k += 2) {
                    bytes.add((byte) Integer.parseInt(group.substring(k, k + 2), 16));
                }
            }
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }

    /** bpftool's BTF dump: type id to its header line and member lines. */
    static Map<Integer, List<String>> btfDump(Path file) {
        Map<Integer, List<String>> types = new HashMap<>();
        List<String> current = null;
        for (String line : Samples.lines(Samples.run(BPFTOOL, "bpftool", "btf", "dump", "file", file.toString()))) {
            if (line.startsWith("[")) {
                current = new ArrayList<>();
                current.add(line);
                types.put(Integer.parseInt(line.substring(1, line.indexOf(']'))), current);
            } else if (current != null) {
                current.add(line.trim());
            }
        }
        return types;
    }
}

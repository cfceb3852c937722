package org.ebpfosgi.runtime.loader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ebpfosgi.api.runtime.ObjectFormatException;
import org.ebpfosgi.runtime.btf.Btf;
import org.ebpfosgi.runtime.btf.BtfExt;
import org.ebpfosgi.runtime.btf.BtfType;
import org.ebpfosgi.runtime.btf.FuncInfo;
import org.ebpfosgi.runtime.btf.LineInfo;
import org.ebpfosgi.runtime.elf.ElfFile;
import org.ebpfosgi.runtime.elf.ElfRelocation;
import org.ebpfosgi.runtime.elf.ElfSection;
import org.ebpfosgi.runtime.elf.ElfSymbol;

/**
 * Finds the programs of an object and links each: copies its code, appends the subprograms it reaches
 * (libbpf's way: each once, after the program), applies relocations, fixes call offsets.
 */
final class ProgramLinker {
    /** All programs of one object together may not link to more slots than this (each subprogram is copied per caller). */
    static final int MAX_LINKED_SLOTS = 4 << 20;
    private static final int OP_LDDW = 0x18;
    private static final int OP_CALL = 0x85;
    private static final int PSEUDO_MAP_FD = 1;
    private static final int PSEUDO_MAP_VALUE = 2;
    private static final int PSEUDO_FUNC = 4;
    private static final int PSEUDO_CALL = 1;
    private static final int PSEUDO_KFUNC_CALL = 2;

    /** A program entry: a function (or a whole section) of an executable section, in slots. */
    record Entry(ElfSection section, String name, int start, int end) {}

    private record Unit(ElfSection section, String name, int start, int end) {}

    private final ElfFile elf;
    private final Btf btf;
    private final BtfExt btfExt;
    private final List<DeclaredMap> maps;
    private final Map<Integer, List<Unit>> functions = new HashMap<>();
    private final Map<Integer, Map<Integer, ElfRelocation>> relocations = new HashMap<>();
    private final Map<String, List<LineInfo>> sortedLines = new HashMap<>();
    private final Map<String, Map<Integer, FuncInfo>> funcStarts = new HashMap<>();
    /** Map indexes by section: global data sections map to one index, map sections by declaration offset. */
    private final Map<Integer, Integer> globalDataBySection = new HashMap<>();
    private final Map<Integer, Map<Long, Integer>> mapsByOffset = new HashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    private long linkedSlots;

    ProgramLinker(ElfFile elf, Btf btf, BtfExt btfExt, List<DeclaredMap> maps) throws ObjectFormatException {
        this.elf = elf;
        this.btf = btf;
        this.btfExt = btfExt;
        this.maps = maps;
        for (int i = 0; i < maps.size(); i++) {
            DeclaredMap m = maps.get(i);
            if (m.initialValue() != null || m.zeroFilled()) {
                globalDataBySection.put(m.section(), i);
            } else {
                mapsByOffset.computeIfAbsent(m.section(), k -> new HashMap<>()).putIfAbsent(m.offset(), i);
            }
        }
        List<Entry> textEntries = new ArrayList<>();
        for (ElfSection s : elf.sections()) {
            if (!s.isExecutable() || s.size() == 0) {
                continue;
            }
            if (s.size() % 8 != 0) {
                throw new ObjectFormatException("code section '" + s.name() + "' has " + s.size() + " bytes, not a multiple of 8");
            }
            if (s.data() == null) {
                throw new ObjectFormatException("code section '" + s.name() + "' has no contents");
            }
            List<Unit> units = functionsOf(s);
            functions.put(s.index(), units);
            List<Entry> target = s.name().equals(".text") ? textEntries : entries;
            if (units.isEmpty()) {
                target.add(new Entry(s, s.name(), 0, (int) (s.size() / 8)));
            } else {
                for (Unit u : units) {
                    target.add(new Entry(s, u.name(), u.start(), u.end()));
                }
            }
        }
        if (entries.isEmpty()) {
            entries.addAll(textEntries);
        }
    }

    List<Entry> entries() { return entries; }

    private List<Unit> functionsOf(ElfSection s) throws ObjectFormatException {
        List<ElfSymbol> symbols = new ArrayList<>();
        for (ElfSymbol sym : elf.symbolsIn(s.index())) {
            if (ObjectLoader.isFunction(sym)) {
                if (sym.value() % 8 != 0 || sym.size() % 8 != 0 || !s.data().contains(sym.value(), sym.size())) {
                    throw new ObjectFormatException("function '" + sym.name() + "' (offset " + sym.value() + ", size " + sym.size()
                            + ") is not a whole number of instructions inside section '" + s.name() + "' (" + s.size() + " bytes)");
                }
                symbols.add(sym);
            }
        }
        symbols.sort(Comparator.comparingLong(ElfSymbol::value));
        List<Unit> units = new ArrayList<>(symbols.size());
        long sectionSlots = s.size() / 8;
        for (int i = 0; i < symbols.size(); i++) {
            ElfSymbol sym = symbols.get(i);
            long start = sym.value() / 8;
            // A function without a size runs to the next one (or the section's end).
            long end = sym.size() > 0 ? start + sym.size() / 8 : (i + 1 < symbols.size() ? symbols.get(i + 1).value() / 8 : sectionSlots);
            if (end > start) {
                units.add(new Unit(s, sym.name().isEmpty() ? s.name() : sym.name(), (int) start, (int) end));
            }
        }
        return units;
    }

    private Map<Integer, ElfRelocation> relocationsOf(ElfSection s) throws ObjectFormatException {
        Map<Integer, ElfRelocation> bySlot = relocations.get(s.index());
        if (bySlot != null) {
            return bySlot;
        }
        bySlot = new HashMap<>();
        for (ElfRelocation r : elf.relocations(s.index())) {
            if (r.type() == ElfRelocation.R_BPF_NONE) {
                continue;
            }
            if (r.offset() % 8 != 0 || Long.compareUnsigned(r.offset(), s.size()) >= 0) {
                throw new ObjectFormatException("relocation at offset " + Long.toUnsignedString(r.offset()) + " of section '" + s.name()
                        + "' is not on an instruction of its " + s.size() / 8);
            }
            if (bySlot.put((int) (r.offset() / 8), r) != null) {
                throw new ObjectFormatException("two relocations apply to offset " + r.offset() + " of section '" + s.name() + "'");
            }
        }
        relocations.put(s.index(), bySlot);
        return bySlot;
    }

    /** The state of linking one program. */
    private final class Link {
        final Entry entry;
        long[] code = new long[16];
        int length;
        final List<Unit> units = new ArrayList<>();
        final List<Integer> bases = new ArrayList<>();
        final Map<String, Integer> placed = new HashMap<>();
        final List<String> helperNames = new ArrayList<>();
        final Map<String, Integer> helperIndex = new HashMap<>();

        Link(Entry entry) {
            this.entry = entry;
        }

        int place(Unit u) throws ObjectFormatException {
            String key = u.section().index() + ":" + u.start() + ":" + u.end();
            Integer base = placed.get(key);
            if (base != null) {
                return base;
            }
            int slots = u.end() - u.start();
            linkedSlots += slots;
            if (linkedSlots > MAX_LINKED_SLOTS) {
                throw new ObjectFormatException("linking program '" + entry.name() + "' exceeds " + MAX_LINKED_SLOTS
                        + " instruction slots for the object (subprograms are copied into every caller)");
            }
            if (length + slots > code.length) {
                code = Arrays.copyOf(code, Math.max(code.length * 2, length + slots));
            }
            int newBase = length;
            for (int i = 0; i < slots; i++) {
                code[length++] = u.section().data().s64((long) (u.start() + i) * 8, "instruction " + (u.start() + i));
            }
            placed.put(key, newBase);
            units.add(u);
            bases.add(newBase);
            return newBase;
        }

        String where(Unit u, int slot) {
            return "program '" + entry.name() + "': section '" + u.section().name() + "' instruction " + slot + " (offset " + slot * 8L + ")";
        }
    }

    ParsedProgram link(Entry entry, String programType) throws ObjectFormatException {
        Link link = new Link(entry);
        link.place(new Unit(entry.section(), entry.name(), entry.start(), entry.end()));
        for (int n = 0; n < link.units.size(); n++) {
            relocate(link, link.units.get(n), link.bases.get(n));
        }
        List<LineInfo> lines = new ArrayList<>();
        List<FuncInfo> funcs = new ArrayList<>();
        for (int n = 0; n < link.units.size(); n++) {
            Unit u = link.units.get(n);
            int base = link.bases.get(n);
            int typeId = 0;
            if (btfExt != null) {
                FuncInfo f = funcStartsOf(u.section().name()).get(u.start());
                typeId = f == null ? 0 : f.typeId();
                List<LineInfo> sectionLines = linesOf(u.section().name());
                int from = firstAtOrAfter(sectionLines, u.start());
                int i = from;
                for (; i < sectionLines.size() && sectionLines.get(i).instruction() < u.end(); i++) {
                    LineInfo l = sectionLines.get(i);
                    lines.add(l.at(base + l.instruction() - u.start()));
                }
                linkedSlots += i - from; // line records are copied per caller too
                if (linkedSlots > MAX_LINKED_SLOTS) {
                    throw new ObjectFormatException("program '" + entry.name() + "': linking copies more than " + MAX_LINKED_SLOTS
                            + " instructions and line records for the object");
                }
            }
            funcs.add(new FuncInfo(base, typeId, u.name()));
        }
        lines.sort(Comparator.comparingInt(LineInfo::instruction));
        return new ParsedProgram(entry.name(), entry.section().name(), programType, entry.start(), Arrays.copyOf(link.code, link.length),
                link.helperNames, funcs, lines);
    }

    private Map<Integer, FuncInfo> funcStartsOf(String section) {
        return funcStarts.computeIfAbsent(section, s -> {
            Map<Integer, FuncInfo> byStart = new HashMap<>();
            for (FuncInfo f : btfExt.funcInfo(s)) {
                byStart.put(f.instruction(), f);
            }
            return byStart;
        });
    }

    private List<LineInfo> linesOf(String section) {
        return sortedLines.computeIfAbsent(section, s -> {
            List<LineInfo> l = new ArrayList<>(btfExt.lineInfo(s));
            l.sort(Comparator.comparingInt(LineInfo::instruction));
            return l;
        });
    }

    private static int firstAtOrAfter(List<LineInfo> lines, int instruction) {
        int lo = 0;
        int hi = lines.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (lines.get(mid).instruction() < instruction) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void relocate(Link link, Unit u, int base) throws ObjectFormatException {
        Map<Integer, ElfRelocation> relocs = relocationsOf(u.section());
        for (int slot = u.start(); slot < u.end(); slot++) {
            int at = base + slot - u.start();
            long word = link.code[at];
            int opcode = (int) (word & 0xff);
            ElfRelocation r = relocs.get(slot);
            if (r != null) {
                applyRelocation(link, u, slot, at, r);
            } else if (opcode == OP_CALL && src(word) == PSEUDO_CALL) {
                // A call to a static function of the same section carries no relocation: imm is section-relative.
                long target = (long) slot + imm(word) + 1;
                if (target < u.start() || target >= u.end()) {
                    int linked = placeTarget(link, u, u.section(), target, slot);
                    link.code[at] = withImm(word, linked - at - 1);
                }
            }
            if (opcode == OP_LDDW) {
                if (slot + 1 >= u.end()) {
                    throw new ObjectFormatException(link.where(u, slot) + ": lddw is cut off by the end of function '" + u.name()
                            + "' (its second half is missing)");
                }
                if (relocs.containsKey(slot + 1)) {
                    throw new ObjectFormatException(link.where(u, slot + 1) + ": a relocation applies to the second half of a lddw");
                }
                slot++; // the second half of a 64-bit load is no instruction of its own
            }
        }
    }

    private void applyRelocation(Link link, Unit u, int slot, int at, ElfRelocation r) throws ObjectFormatException {
        long word = link.code[at];
        int opcode = (int) (word & 0xff);
        ElfSymbol sym = elf.symbols().get(r.symbol());
        String where = link.where(u, slot);
        switch (r.type()) {
            case ElfRelocation.R_BPF_64_64 -> {
                if (opcode != OP_LDDW || slot + 1 >= u.end()) {
                    throw new ObjectFormatException(where + ": R_BPF_64_64 relocation against '" + sym.name()
                            + "' is not on a complete lddw instruction (opcode 0x" + Integer.toHexString(opcode) + ")");
                }
                if (sym.isUndefined()) {
                    throw new ObjectFormatException(where + ": " + externDescription(sym.name()) + " is not supported");
                }
                if (!sym.isInSection()) {
                    throw new ObjectFormatException(where + ": lddw refers to '" + sym.name() + "', which is in no section");
                }
                ElfSection target = elf.section(sym.section());
                long offset = sym.value() + imm(word);
                if (target.isExecutable()) {
                    if (offset % 8 != 0) {
                        throw new ObjectFormatException(where + ": function address of '" + sym.name() + "' + " + imm(word)
                                + " is not an instruction boundary");
                    }
                    checkCallableSection(where, u, target, sym);
                    int linked = placeTarget(link, u, target, offset / 8, slot);
                    link.code[at] = withSrc(withImm(word, linked - at - 1), PSEUDO_FUNC);
                    link.code[at + 1] = withImm(link.code[at + 1], 0);
                    return;
                }
                applyMapRelocation(link, at, where, sym, target, word);
            }
            case ElfRelocation.R_BPF_64_32 -> {
                if (opcode != OP_CALL) {
                    throw new ObjectFormatException(where + ": R_BPF_64_32 relocation against '" + sym.name()
                            + "' is not on a call (opcode 0x" + Integer.toHexString(opcode) + ")");
                }
                if (sym.isUndefined()) {
                    if (sym.name().isEmpty()) {
                        throw new ObjectFormatException(where + ": call to an undefined symbol without a name");
                    }
                    Integer index = link.helperIndex.get(sym.name());
                    if (index == null) {
                        index = link.helperNames.size();
                        link.helperNames.add(sym.name());
                        link.helperIndex.put(sym.name(), index);
                    }
                    link.code[at] = withSrc(withImm(word, index), PSEUDO_KFUNC_CALL);
                    return;
                }
                if (!sym.isInSection() || !elf.section(sym.section()).isExecutable()) {
                    throw new ObjectFormatException(where + ": call relocation against '" + sym.name() + "', which is not code");
                }
                if (src(word) != PSEUDO_CALL) {
                    throw new ObjectFormatException(where + ": call relocation against function '" + sym.name()
                            + "' on a call with src " + src(word) + " (expected 1, a local call)");
                }
                ElfSection target = elf.section(sym.section());
                checkCallableSection(where, u, target, sym);
                if (sym.value() % 8 != 0) {
                    throw new ObjectFormatException(where + ": call target '" + sym.name() + "' at offset " + sym.value()
                            + " is not an instruction boundary");
                }
                long targetSlot = sym.value() / 8 + imm(word) + 1;
                int linked = placeTarget(link, u, target, targetSlot, slot);
                link.code[at] = withImm(word, linked - at - 1);
            }
            default -> throw new ObjectFormatException(where + ": unsupported relocation type " + r.type() + " against '"
                    + sym.name() + "' in a code section");
        }
    }

    private void applyMapRelocation(Link link, int at, String where, ElfSymbol sym, ElfSection target, long word)
            throws ObjectFormatException {
        int imm = imm(word);
        Integer global = globalDataBySection.get(target.index());
        if (global != null) {
            DeclaredMap m = maps.get(global);
            long offset = sym.value() + imm;
            if (offset < 0 || offset > m.definition().valueSize()) {
                throw new ObjectFormatException(where + ": offset " + offset + " into global data '" + target.name()
                        + "' lies outside its " + m.definition().valueSize() + " bytes");
            }
            link.code[at] = withSrc(withImm(word, global), PSEUDO_MAP_VALUE);
            link.code[at + 1] = withImm(link.code[at + 1], (int) offset);
            return;
        }
        long offset = sym.value() + (sym.type() == ElfSymbol.STT_SECTION ? imm : 0);
        Integer index = mapsByOffset.getOrDefault(target.index(), Map.of()).get(offset);
        if (index != null) {
            link.code[at] = withSrc(withImm(word, index), PSEUDO_MAP_FD);
            link.code[at + 1] = withImm(link.code[at + 1], 0);
            return;
        }
        throw new ObjectFormatException(where + ": lddw refers to '" + sym.name() + "' (section '" + target.name() + "', offset "
                + sym.value() + "), which is no map and no global data");
    }

    private void checkCallableSection(String where, Unit u, ElfSection target, ElfSymbol sym) throws ObjectFormatException {
        if (target.index() != u.section().index() && !target.name().equals(".text")) {
            throw new ObjectFormatException(where + ": refers to function '" + sym.name() + "' in section '" + target.name()
                    + "'; subprograms must be in .text or the caller's own section");
        }
    }

    /** Places the function holding {@code targetSlot} of {@code section} (if not yet) and returns the target's linked index. */
    private int placeTarget(Link link, Unit from, ElfSection section, long targetSlot, int slot) throws ObjectFormatException {
        long slots = section.size() / 8;
        if (targetSlot < 0 || targetSlot >= slots) {
            throw new ObjectFormatException(link.where(from, slot) + ": call target " + targetSlot + " lies outside section '"
                    + section.name() + "' (" + slots + " instructions)");
        }
        Unit unit = null;
        List<Unit> candidates = functions.getOrDefault(section.index(), List.of());
        int lo = 0;
        int hi = candidates.size() - 1;
        while (lo <= hi) { // the last function starting at or before the target (functions are sorted by start)
            int mid = (lo + hi) >>> 1;
            if (candidates.get(mid).start() <= targetSlot) {
                unit = candidates.get(mid);
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (unit != null && targetSlot >= unit.end()) {
            unit = null;
        }
        if (unit == null) {
            unit = new Unit(section, section.name(), 0, (int) slots);
        }
        int base = link.place(unit);
        return base + (int) targetSlot - unit.start();
    }

    private String externDescription(String name) {
        String kind = "extern variable";
        if (btf != null) {
            for (String section : List.of(".kconfig", ".ksyms")) {
                BtfType datasec = btf.dataSection(section);
                if (datasec == null) {
                    continue;
                }
                for (BtfType.Member m : datasec.members()) {
                    BtfType var = btf.types().get(m.type());
                    if (var.name().equals(name)) {
                        kind = section + " extern";
                    }
                }
            }
        }
        return kind + " '" + name + "'";
    }

    private static int src(long word) { return (int) (word >>> 12) & 0xf; }

    private static int imm(long word) { return (int) (word >>> 32); }

    private static long withImm(long word, int imm) { return (word & 0xffffffffL) | ((long) imm << 32); }

    private static long withSrc(long word, int src) { return (word & ~0xf000L) | ((long) src << 12); }
}

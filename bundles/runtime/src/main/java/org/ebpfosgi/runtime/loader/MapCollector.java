package org.ebpfosgi.runtime.loader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.runtime.ObjectFormatException;
import org.ebpfosgi.runtime.btf.Btf;
import org.ebpfosgi.runtime.btf.BtfType;
import org.ebpfosgi.runtime.elf.ElfFile;
import org.ebpfosgi.runtime.elf.ElfRelocation;
import org.ebpfosgi.runtime.elf.ElfSection;
import org.ebpfosgi.runtime.elf.ElfSymbol;

/** Finds an object's maps: legacy {@code maps} sections, BTF-defined {@code .maps}, global data. */
final class MapCollector {
    static final int BPF_MAP_TYPE_ARRAY = 2;
    static final int BPF_MAP_TYPE_PROG_ARRAY = 3;
    static final int BPF_MAP_TYPE_ARRAY_OF_MAPS = 12;
    static final int BPF_MAP_TYPE_HASH_OF_MAPS = 13;
    static final int BPF_F_RDONLY_PROG = 1 << 7;
    static final int BPF_F_MMAPABLE = 1 << 10;
    /** Global data beyond this is refused: .bss is not backed by the file, so its size is unchecked otherwise. */
    static final long MAX_GLOBAL_DATA = 64L << 20;
    private static final int LEGACY_MIN_SIZE = 16;

    private final ElfFile elf;
    private final Btf btf;
    private final String objectName;
    private final List<DeclaredMap> maps = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    private MapCollector(ElfFile elf, Btf btf, String objectName) {
        this.elf = elf;
        this.btf = btf;
        this.objectName = objectName;
    }

    static List<DeclaredMap> collect(ElfFile elf, Btf btf, String objectName) throws ObjectFormatException {
        MapCollector c = new MapCollector(elf, btf, objectName);
        c.legacyMaps();
        c.btfMaps();
        c.globalData();
        return c.maps;
    }

    static boolean isLegacyMapSection(ElfSection s) {
        return s.name().equals("maps") || s.name().startsWith("maps/");
    }

    static boolean isBtfMapSection(ElfSection s) {
        return s.name().equals(".maps");
    }

    static boolean isGlobalDataSection(ElfSection s) {
        String n = s.name();
        if (s.type() == ElfSection.SHT_PROGBITS && !s.isExecutable()) {
            return n.equals(".data") || n.startsWith(".data.") || n.equals(".rodata") || n.startsWith(".rodata.");
        }
        return s.isNoBits() && (n.equals(".bss") || n.startsWith(".bss."));
    }

    private void add(DeclaredMap map) throws ObjectFormatException {
        if (!names.add(map.definition().name())) {
            throw new ObjectFormatException("map '" + map.definition().name() + "' (section " + map.sectionName()
                    + ") is declared twice");
        }
        maps.add(map);
    }

    private List<ElfSymbol> symbolsIn(ElfSection s) {
        List<ElfSymbol> list = new ArrayList<>();
        for (ElfSymbol sym : elf.symbolsIn(s.index())) {
            if (sym.type() != ElfSymbol.STT_SECTION && !sym.name().isEmpty()) {
                list.add(sym);
            }
        }
        list.sort((a, b) -> Long.compareUnsigned(a.value(), b.value()));
        return list;
    }

    // struct bpf_map_def { type, key_size, value_size, max_entries, map_flags, [inner_map_idx, numa_node | id, pinning, ...] }
    private void legacyMaps() throws ObjectFormatException {
        List<DeclaredMap> legacy = new ArrayList<>();
        List<Integer> innerIndexes = new ArrayList<>();
        for (ElfSection s : elf.sections()) {
            if (!isLegacyMapSection(s) || s.data() == null || s.size() == 0) {
                continue;
            }
            List<ElfSymbol> symbols = symbolsIn(s);
            if (symbols.isEmpty()) {
                throw new ObjectFormatException("legacy map section '" + s.name() + "' (" + s.size() + " bytes) has no map symbols");
            }
            long sharedSize = 0;
            if (symbols.stream().anyMatch(sym -> sym.size() == 0)) {
                // Old objects give map symbols no size: libbpf divides the section evenly.
                if (s.size() % symbols.size() != 0) {
                    throw new ObjectFormatException("legacy map section '" + s.name() + "': its " + s.size()
                            + " bytes are not a multiple of its " + symbols.size() + " map symbols");
                }
                sharedSize = s.size() / symbols.size();
            }
            for (ElfSymbol sym : symbols) {
                long size = sharedSize != 0 ? sharedSize : sym.size();
                String where = "legacy map '" + sym.name() + "' (section '" + s.name() + "', offset " + sym.value() + ")";
                if (size < LEGACY_MIN_SIZE || !s.data().contains(sym.value(), size)) {
                    throw new ObjectFormatException(where + ": definition of " + size
                            + " bytes does not fit (needs at least 16 bytes inside the " + s.size() + "-byte section)");
                }
                long p = sym.value();
                int type = s.data().s32(p, where + " type");
                int keySize = s.data().s32(p + 4, where + " key_size");
                int valueSize = s.data().s32(p + 8, where + " value_size");
                int maxEntries = s.data().s32(p + 12, where + " max_entries");
                int flags = size >= 20 ? s.data().s32(p + 16, where + " map_flags") : 0;
                boolean mapInMap = type == BPF_MAP_TYPE_ARRAY_OF_MAPS || type == BPF_MAP_TYPE_HASH_OF_MAPS;
                innerIndexes.add(mapInMap && size >= 24 ? s.data().s32(p + 20, where + " inner_map_idx") : -1);
                legacy.add(new DeclaredMap(new MapDefinition(sym.name(), type, keySize, valueSize, maxEntries, flags,
                        MapDefinition.Pinning.NONE, null), s.index(), s.name(), sym.value(), sym.name(), null, false, Map.of()));
            }
        }
        for (int i = 0; i < legacy.size(); i++) {
            DeclaredMap m = legacy.get(i);
            int inner = innerIndexes.get(i);
            // Only bpf_load.c's layout has inner_map_idx there (iproute2's has an id): link only a plausible index.
            if (inner >= 0 && inner < legacy.size() && inner != i) {
                MapDefinition d = m.definition();
                m = new DeclaredMap(new MapDefinition(d.name(), d.type(), d.keySize(), d.valueSize(), d.maxEntries(), d.flags(),
                        d.pinning(), legacy.get(inner).definition()), m.section(), m.sectionName(), m.offset(), m.symbol(),
                        null, false, Map.of());
            }
            add(m);
        }
    }

    private void btfMaps() throws ObjectFormatException {
        ElfSection section = null;
        for (ElfSection s : elf.sections()) {
            if (isBtfMapSection(s)) {
                section = s;
            }
        }
        if (section == null) {
            return;
        }
        List<ElfSymbol> symbols = symbolsIn(section);
        if (btf == null) {
            if (symbols.isEmpty()) {
                return;
            }
            throw new ObjectFormatException("section '.maps' declares map '" + symbols.get(0).name()
                    + "' but the object has no .BTF section to describe it");
        }
        BtfType datasec = btf.dataSection(".maps");
        if (datasec == null) {
            if (symbols.isEmpty()) {
                return;
            }
            throw new ObjectFormatException("section '.maps' declares map '" + symbols.get(0).name()
                    + "' but .BTF has no DATASEC '.maps'");
        }
        Map<String, ElfSymbol> byName = new LinkedHashMap<>();
        for (ElfSymbol sym : symbols) {
            byName.putIfAbsent(sym.name(), sym);
        }
        TreeMap<Long, ElfRelocation> relocations = new TreeMap<>(Long::compareUnsigned);
        for (ElfRelocation r : elf.relocations(section.index())) {
            relocations.put(r.offset(), r);
        }
        java.util.TreeSet<Long> symbolOffsets = new java.util.TreeSet<>(Long::compareUnsigned);
        for (ElfSymbol sym : symbols) {
            symbolOffsets.add(sym.value());
        }
        for (BtfType.Member secinfo : datasec.members()) {
            BtfType var = btf.type(secinfo.type());
            if (!var.is(BtfType.KIND_VAR)) {
                throw new ObjectFormatException(".BTF DATASEC '.maps' entry " + var + " is not a VAR");
            }
            String name = var.name();
            ElfSymbol sym = byName.get(name);
            // clang leaves DATASEC offsets to be fixed from the symbol table, as libbpf does.
            long offset = sym != null ? sym.value() : secinfo.offset();
            long size = btf.resolveSize(var.type());
            if (section.data() != null && !section.data().contains(offset, size)) {
                throw new ObjectFormatException("map '" + name + "' at offset " + offset + " (" + size
                        + " bytes) lies outside section '.maps' (" + section.size() + " bytes)");
            }
            BtfMapParser.Parsed parsed = new BtfMapParser(btf).parse(name, var.type(), false);
            Map<Integer, String> slots = Map.of();
            if (parsed.valuesOffset() >= 0) {
                // the initialiser of the flexible 'values' array runs past the struct, up to the next map
                Long next = symbolOffsets.higher(offset);
                long end = next == null ? section.size() : Math.min(next, section.size());
                slots = slots(relocations, offset, end - offset, offset + parsed.valuesOffset(), name);
            }
            add(new DeclaredMap(parsed.definition(), section.index(), section.name(), offset, name, null, false, slots));
        }
    }

    private Map<Integer, String> slots(TreeMap<Long, ElfRelocation> relocations, long mapOffset, long mapSize, long valuesStart,
                                       String mapName) throws ObjectFormatException {
        Map<Integer, String> slots = new TreeMap<>();
        if (mapSize <= 0 || Long.compareUnsigned(mapOffset, mapOffset + mapSize) > 0) {
            return slots;
        }
        for (ElfRelocation r : relocations.subMap(mapOffset, true, mapOffset + mapSize, false).values()) {
            long delta = r.offset() - valuesStart;
            if (delta < 0 || delta % 8 != 0) {
                throw new ObjectFormatException("map '" + mapName + "': relocation at .maps offset " + r.offset()
                        + " is not a slot of its 'values' array");
            }
            ElfSymbol target = elf.symbols().get(r.symbol());
            slots.put((int) (delta / 8), target.name());
        }
        return Collections.unmodifiableMap(slots);
    }

    private void globalData() throws ObjectFormatException {
        for (ElfSection s : elf.sections()) {
            if (!isGlobalDataSection(s) || s.size() == 0) {
                continue;
            }
            if (s.size() > MAX_GLOBAL_DATA) {
                throw new ObjectFormatException("global data section '" + s.name() + "' has " + Long.toUnsignedString(s.size())
                        + " bytes, more than the " + MAX_GLOBAL_DATA + " the loader accepts");
            }
            boolean readOnly = s.name().startsWith(".rodata");
            int flags = BPF_F_MMAPABLE | (readOnly ? BPF_F_RDONLY_PROG : 0);
            MapDefinition def = new MapDefinition(globalDataMapName(objectName, s.name()), BPF_MAP_TYPE_ARRAY, 4, (int) s.size(), 1,
                    flags, MapDefinition.Pinning.NONE, null);
            byte[] initial = s.isNoBits() ? null : s.data().bytes(0, s.size(), "contents");
            add(new DeclaredMap(def, s.index(), s.name(), 0, s.name(), initial, s.isNoBits(), Map.of()));
        }
    }

    /** libbpf's internal_map_name(): see {@link ParsedObject}. */
    static String globalDataMapName(String objectName, String section) {
        final int objNameLength = 16; // BPF_OBJ_NAME_LEN, NUL included
        String obj = objectName;
        int slash = obj.lastIndexOf('/');
        if (slash >= 0) {
            obj = obj.substring(slash + 1);
        }
        int dot = obj.indexOf('.');
        if (dot >= 0) {
            obj = obj.substring(0, dot);
        }
        int suffixLength = Math.max(7, section.length());
        int prefixLength = section.indexOf('.', 1) >= 0 ? 0 : Math.max(0, Math.min(objNameLength - suffixLength - 1, obj.length()));
        String name = obj.substring(0, prefixLength) + section;
        if (name.length() > objNameLength - 1) {
            name = name.substring(0, objNameLength - 1);
        }
        StringBuilder b = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            b.append(Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '.' ? c : '_');
        }
        return b.toString();
    }
}

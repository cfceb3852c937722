package org.ebpfosgi.runtime.loader;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.runtime.EbpfObject;
import org.ebpfosgi.api.runtime.ProgramSpec;

/**
 * A parsed object: license, programs (linked, relocated) and maps, in libbpf's order: legacy
 * {@code maps} section(s), then BTF-defined {@code .maps}, then global data sections in section order.
 * <p>
 * Global data maps are named as libbpf's {@code bpf_map__name()} names them: for {@code .data},
 * {@code .rodata}, {@code .bss} (and {@code .kconfig}), the object name up to its first '.' cut to
 * leave room for the suffix within 15 characters, plus the section name ({@code global_v.rodata} for
 * {@code global_variable.o}); for other sections with a second '.' ({@code .rodata.str1.1},
 * {@code .data.custom}), the section name alone. Characters other than letters, digits, '_' and '.'
 * become '_'. {@link #mapIndex(String)} also accepts the section name, as
 * {@code bpf_object__find_map_by_name} does.
 */
public final class ParsedObject implements EbpfObject {
    private final String name;
    private final String license;
    private final int kernelVersion;
    private final List<ParsedProgram> programs;
    private final List<DeclaredMap> maps;
    private final List<MapDefinition> definitions;

    ParsedObject(String name, String license, int kernelVersion, List<ParsedProgram> programs, List<DeclaredMap> maps) {
        this.name = name;
        this.license = license;
        this.kernelVersion = kernelVersion;
        this.programs = List.copyOf(programs);
        this.maps = List.copyOf(maps);
        this.definitions = maps.stream().map(DeclaredMap::definition).toList();
    }

    @Override
    public String name() { return name; }

    /** The {@code license} section's string, or "" when there is none. */
    @Override
    public String license() { return license; }

    /** The {@code version} section's value (old kprobe objects), or 0. */
    public int kernelVersion() { return kernelVersion; }

    @Override
    public List<ProgramSpec> programs() { return programs.stream().map(ParsedProgram::spec).toList(); }

    public List<ParsedProgram> parsedPrograms() { return programs; }

    public Optional<ParsedProgram> program(String programName) {
        return programs.stream().filter(p -> p.name().equals(programName)).findFirst();
    }

    @Override
    public List<MapDefinition> maps() { return definitions; }

    /** The index of a map by name (for global data also by section name), or -1. */
    public int mapIndex(String mapName) {
        for (int i = 0; i < maps.size(); i++) {
            DeclaredMap m = maps.get(i);
            if (m.definition().name().equals(mapName) || (m.initialValue() != null || m.zeroFilled()) && m.sectionName().equals(mapName)) {
                return i;
            }
        }
        return -1;
    }

    /** The section a map was declared in ({@code maps}, {@code .maps}, {@code .rodata}, ...). */
    public String mapSection(int mapIndex) { return map(mapIndex).sectionName(); }

    /** Whether a map holds global data (one entry, key 0, value = the section's contents). */
    public boolean isGlobalData(int mapIndex) {
        DeclaredMap m = map(mapIndex);
        return m.initialValue() != null || m.zeroFilled();
    }

    /** The initial value of a global data map's only entry (a copy; zeros for .bss), else null. */
    public byte[] initialValue(int mapIndex) {
        DeclaredMap m = map(mapIndex);
        if (m.zeroFilled()) {
            return new byte[m.definition().valueSize()];
        }
        return m.initialValue() == null ? null : m.initialValue().clone();
    }

    /**
     * Statically initialised slots of an array/hash of maps ({@code .values = { [0] = &inner }}: slot to
     * map name) or of a program array (slot to program name); empty for other maps.
     */
    public Map<Integer, String> initialSlots(int mapIndex) { return map(mapIndex).slots(); }

    private DeclaredMap map(int index) {
        if (index < 0 || index >= maps.size()) {
            throw new IndexOutOfBoundsException("map index " + index + " of " + maps.size());
        }
        return maps.get(index);
    }

    @Override
    public String toString() { return name + ": " + programs.size() + " programs, " + maps.size() + " maps"; }
}

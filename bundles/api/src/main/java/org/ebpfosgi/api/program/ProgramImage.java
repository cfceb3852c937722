package org.ebpfosgi.api.program;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.map.EbpfMap;

/**
 * A program ready for the verifier and the engines: relocated instructions plus everything they
 * refer to. Conventions after relocation:
 * <ul>
 * <li>{@code lddw src=1} (map fd): imm is an index into {@link #maps()};</li>
 * <li>{@code lddw src=2} (map value): imm indexes {@link #maps()}, the second word's imm is the offset
 *     into its value (global data);</li>
 * <li>{@code call src=0}: imm is a helper id of {@link #helpers()}; {@code call src=2} (kfunc): imm
 *     indexes {@link #namedHelpers()}; {@code call src=1}: a local call, pc-relative.</li>
 * </ul>
 */
public final class ProgramImage {
    private final String name;
    private final String programType;
    private final ContextDescriptor context;
    private final long[] instructions;
    private final List<EbpfMap> maps;
    private final Map<Integer, Helper> helpers;
    private final List<Helper> namedHelpers;

    public ProgramImage(String name, String programType, ContextDescriptor context, long[] instructions,
                        List<EbpfMap> maps, Map<Integer, Helper> helpers, List<Helper> namedHelpers) {
        this.name = Objects.requireNonNull(name);
        this.programType = Objects.requireNonNull(programType);
        this.context = Objects.requireNonNull(context);
        this.instructions = instructions.clone();
        this.maps = List.copyOf(maps);
        this.helpers = Map.copyOf(helpers);
        this.namedHelpers = List.copyOf(namedHelpers);
    }

    /** A program with no maps and no helpers (conformance tests, benchmarks). */
    public static ProgramImage of(String name, long[] instructions) {
        return new ProgramImage(name, "raw", ContextDescriptor.plain(0), instructions, List.of(), Map.of(), List.of());
    }

    public String name() { return name; }
    public String programType() { return programType; }
    public ContextDescriptor context() { return context; }
    /** The raw 64-bit little-endian instruction words (lddw takes two). A copy. */
    public long[] instructions() { return instructions.clone(); }
    public int length() { return instructions.length; }
    public long instruction(int index) { return instructions[index]; }
    public List<EbpfMap> maps() { return maps; }
    public Map<Integer, Helper> helpers() { return helpers; }
    public List<Helper> namedHelpers() { return namedHelpers; }

    /** This image with other helpers (a helper bundle came or went). */
    public ProgramImage withHelpers(Map<Integer, Helper> byId, List<Helper> byName) {
        return new ProgramImage(name, programType, context, instructions, maps, byId, byName);
    }
}

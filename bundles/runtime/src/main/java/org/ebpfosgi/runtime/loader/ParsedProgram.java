package org.ebpfosgi.runtime.loader;

import java.util.List;
import org.ebpfosgi.api.runtime.ProgramSpec;
import org.ebpfosgi.runtime.btf.FuncInfo;
import org.ebpfosgi.runtime.btf.LineInfo;

/**
 * One program of an object, linked and relocated by the conventions of
 * {@code org.ebpfosgi.api.program.ProgramImage}: its own code first, then every subprogram it calls
 * (transitively), each once, with local calls and function-pointer loads made pc-relative to the
 * linked image; {@code lddw src=1/2} carry indexes into the object's map list; calls to undefined
 * (extern) functions are {@code call src=2} with imm indexing {@link #helperNames()}.
 */
public final class ParsedProgram {
    private final String name;
    private final String section;
    private final String programType;
    private final int sectionStart;
    private final long[] instructions;
    private final List<String> helperNames;
    private final List<FuncInfo> functions;
    private final List<LineInfo> lineInfo;

    ParsedProgram(String name, String section, String programType, int sectionStart, long[] instructions, List<String> helperNames,
                  List<FuncInfo> functions, List<LineInfo> lineInfo) {
        this.name = name;
        this.section = section;
        this.programType = programType;
        this.sectionStart = sectionStart;
        this.instructions = instructions;
        this.helperNames = List.copyOf(helperNames);
        this.functions = List.copyOf(functions);
        this.lineInfo = List.copyOf(lineInfo);
    }

    /** The function symbol's name, or the section name for a section without function symbols. */
    public String name() { return name; }

    public String section() { return section; }

    /** The program type the section selects, or null if the resolver knows none. */
    public String programType() { return programType; }

    /** Where the program starts in its section, in instruction slots (to relate it to a disassembly). */
    public int sectionStart() { return sectionStart; }

    /** The linked 64-bit instruction words (lddw takes two). A copy. */
    public long[] instructions() { return instructions.clone(); }

    /** Instruction slots, subprograms included. */
    public int instructionCount() { return instructions.length; }

    /** The names of the extern functions it calls (kfunc style), indexed by {@code call src=2} imm. */
    public List<String> helperNames() { return helperNames; }

    /**
     * Where each linked function starts: the program itself at 0, then its subprograms, with the BTF
     * FUNC type id when {@code .BTF.ext} names one (else 0).
     */
    public List<FuncInfo> functions() { return functions; }

    /** Source lines from {@code .BTF.ext}, by linked instruction index, sorted; empty without BTF. */
    public List<LineInfo> lineInfo() { return lineInfo; }

    /** The source line that covers instruction {@code index}: the last record at or before it, or null. */
    public LineInfo lineAt(int index) {
        LineInfo best = null;
        for (LineInfo l : lineInfo) {
            if (l.instruction() > index) {
                break;
            }
            best = l;
        }
        return best;
    }

    public ProgramSpec spec() { return new ProgramSpec(name, section, programType, instructions.length); }

    @Override
    public String toString() { return spec().toString(); }
}

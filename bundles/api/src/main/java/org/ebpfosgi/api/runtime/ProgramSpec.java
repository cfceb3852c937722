package org.ebpfosgi.api.runtime;

/** A program as an object file declares it, before loading. */
public final class ProgramSpec {
    private final String name;
    private final String section;
    private final String programType;
    private final int instructionCount;

    public ProgramSpec(String name, String section, String programType, int instructionCount) {
        this.name = name;
        this.section = section;
        this.programType = programType;
        this.instructionCount = instructionCount;
    }

    public String name() { return name; }
    public String section() { return section; }
    /** The program type the section selects, or null if no registered program type claims it. */
    public String programType() { return programType; }
    /** Instruction slots (lddw counts two), subprograms it calls included. */
    public int instructionCount() { return instructionCount; }

    @Override
    public String toString() {
        return name + " (" + section + ", " + (programType == null ? "unknown type" : programType) + ", " + instructionCount + " insns)";
    }
}

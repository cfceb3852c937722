package org.ebpfosgi.runtime.btf;

/**
 * Where an instruction came from: {@code instruction} is an instruction-slot index (in its ELF section
 * as read from {@code .BTF.ext}, in the linked program once the loader has placed it).
 */
public record LineInfo(int instruction, String file, int line, int column, String sourceLine) {
    public LineInfo at(int newInstruction) {
        return new LineInfo(newInstruction, file, line, column, sourceLine);
    }

    @Override
    public String toString() { return file + ":" + line + ":" + column + ": " + sourceLine.strip(); }
}

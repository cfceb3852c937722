package org.ebpfosgi.runtime.btf;

/** A function start: instruction-slot index, the BTF id of its FUNC type, and its name. */
public record FuncInfo(int instruction, int typeId, String name) {
    public FuncInfo at(int newInstruction) {
        return new FuncInfo(newInstruction, typeId, name);
    }
}

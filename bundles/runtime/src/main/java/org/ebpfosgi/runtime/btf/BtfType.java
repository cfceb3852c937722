package org.ebpfosgi.runtime.btf;

import java.util.List;

/**
 * One BTF type. {@code sizeOrType} is the byte size for sized kinds (int, struct, union, enum,
 * datasec, float) and the referenced type id for the others (ptr, typedef, modifiers, func, var).
 * {@code members} holds struct/union members (offset in bits), enum values (value in offset),
 * function prototype parameters and datasec variables (offset and size in bytes).
 */
public record BtfType(int id, int kind, String name, boolean kindFlag, long sizeOrType, List<Member> members,
                      int arrayElementType, long arrayLength, int linkage) {
    public static final int KIND_INT = 1;
    public static final int KIND_PTR = 2;
    public static final int KIND_ARRAY = 3;
    public static final int KIND_STRUCT = 4;
    public static final int KIND_UNION = 5;
    public static final int KIND_ENUM = 6;
    public static final int KIND_FWD = 7;
    public static final int KIND_TYPEDEF = 8;
    public static final int KIND_VOLATILE = 9;
    public static final int KIND_CONST = 10;
    public static final int KIND_RESTRICT = 11;
    public static final int KIND_FUNC = 12;
    public static final int KIND_FUNC_PROTO = 13;
    public static final int KIND_VAR = 14;
    public static final int KIND_DATASEC = 15;
    public static final int KIND_FLOAT = 16;
    public static final int KIND_DECL_TAG = 17;
    public static final int KIND_TYPE_TAG = 18;
    public static final int KIND_ENUM64 = 19;

    /** A struct member, enum value, parameter or datasec variable. */
    public record Member(String name, int type, long offset, long size) {}

    /** The referenced type id (kinds that refer to another type). */
    public int type() { return (int) sizeOrType; }

    public boolean is(int k) { return kind == k; }

    public String kindName() {
        String[] names = {"VOID", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD", "TYPEDEF", "VOLATILE",
                "CONST", "RESTRICT", "FUNC", "FUNC_PROTO", "VAR", "DATASEC", "FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64"};
        return kind >= 0 && kind < names.length ? names[kind] : "KIND_" + kind;
    }

    @Override
    public String toString() { return "[" + id + "] " + kindName() + " '" + name + "'"; }
}

package org.ebpfosgi.runtime.btf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ebpfosgi.api.runtime.ObjectFormatException;
import org.ebpfosgi.runtime.elf.ByteView;

/**
 * The BPF Type Format of an object ({@code .BTF}): its types, indexed by id (0 is void), and its
 * string table. Parsing checks every offset and length against the section.
 */
public final class Btf {
    public static final int MAGIC = 0xeB9F;
    private static final int MAX_RESOLVE_DEPTH = 32;
    private static final int TYPE_HEADER_SIZE = 12;

    private final List<BtfType> types;
    private final ByteView strings;

    private Btf(List<BtfType> types, ByteView strings) {
        this.types = types;
        this.strings = strings;
    }

    public static Btf parse(ByteView section) throws ObjectFormatException {
        if (section.length() < 24) {
            throw new ObjectFormatException(".BTF: " + section.length() + " bytes is shorter than the 24-byte header");
        }
        int magic = section.u16(0, "magic");
        if (magic != MAGIC) {
            throw new ObjectFormatException(".BTF: bad magic 0x" + Integer.toHexString(magic) + " at offset 0 (expected 0xeb9f)");
        }
        int version = section.u8(2, "version");
        if (version != 1) {
            throw new ObjectFormatException(".BTF: unsupported version " + version + " at offset 2");
        }
        long headerLength = section.u32(4, "hdr_len");
        long typeOff = section.u32(8, "type_off");
        long typeLen = section.u32(12, "type_len");
        long strOff = section.u32(16, "str_off");
        long strLen = section.u32(20, "str_len");
        if (headerLength < 24 || headerLength > section.length()) {
            throw new ObjectFormatException(".BTF: hdr_len " + headerLength + " at offset 4 is outside 24.." + section.length());
        }
        ByteView body = section.slice(headerLength, section.length() - headerLength, ".BTF data");
        ByteView typeData = body.slice(typeOff, typeLen, ".BTF types");
        ByteView strings = body.slice(strOff, strLen, ".BTF strings");
        if (strLen == 0 || strings.u8(0, "first string") != 0) {
            throw new ObjectFormatException(".BTF: the string table must start with an empty string");
        }
        List<BtfType> types = new ArrayList<>();
        types.add(new BtfType(0, 0, "", false, 0, List.of(), 0, 0, 0));
        long p = 0;
        while (p < typeLen) {
            int id = types.size();
            String where = "type " + id + " at offset " + (headerLength + typeOff + p);
            long nameOff = typeData.u32(p, where + " name_off");
            int info = typeData.s32(p + 4, where + " info");
            long sizeOrType = typeData.u32(p + 8, where + " size/type");
            int vlen = info & 0xffff;
            int kind = (info >>> 24) & 0x1f;
            boolean kindFlag = info < 0;
            String name = string(strings, nameOff, where + " name");
            p += TYPE_HEADER_SIZE;
            List<BtfType.Member> members = List.of();
            int elementType = 0;
            long length = 0;
            int linkage = 0;
            switch (kind) {
                case BtfType.KIND_INT -> p += 4;
                case BtfType.KIND_PTR, BtfType.KIND_FWD, BtfType.KIND_TYPEDEF, BtfType.KIND_VOLATILE, BtfType.KIND_CONST,
                     BtfType.KIND_RESTRICT, BtfType.KIND_FLOAT, BtfType.KIND_TYPE_TAG -> { }
                case BtfType.KIND_FUNC -> linkage = vlen;
                case BtfType.KIND_ARRAY -> {
                    elementType = typeData.s32(p, where + " array type");
                    length = typeData.u32(p + 8, where + " array nelems");
                    p += 12;
                }
                case BtfType.KIND_STRUCT, BtfType.KIND_UNION, BtfType.KIND_ENUM, BtfType.KIND_FUNC_PROTO,
                     BtfType.KIND_DATASEC, BtfType.KIND_ENUM64 -> {
                    int recordSize = kind == BtfType.KIND_FUNC_PROTO || kind == BtfType.KIND_ENUM ? 8 : 12;
                    if (!typeData.contains(p, (long) vlen * recordSize)) {
                        throw new ObjectFormatException(".BTF: " + where + " (" + kindNameOf(kind) + ") has " + vlen
                                + " members that run past the type section");
                    }
                    members = new ArrayList<>(vlen);
                    for (int i = 0; i < vlen; i++, p += recordSize) {
                        members.add(member(kind, typeData, strings, p, where + " member " + i));
                    }
                    members = Collections.unmodifiableList(members);
                }
                case BtfType.KIND_VAR -> {
                    linkage = typeData.s32(p, where + " var linkage");
                    p += 4;
                }
                case BtfType.KIND_DECL_TAG -> p += 4;
                default -> throw new ObjectFormatException(".BTF: " + where + " has unknown kind " + kind);
            }
            if (p > typeLen) {
                throw new ObjectFormatException(".BTF: " + where + " (" + kindNameOf(kind) + ") runs past the type section");
            }
            types.add(new BtfType(id, kind, name, kindFlag, sizeOrType, members, elementType, length, linkage));
        }
        Btf btf = new Btf(Collections.unmodifiableList(types), strings);
        for (BtfType t : types) {
            btf.checkReferences(t);
        }
        return btf;
    }

    private static BtfType.Member member(int kind, ByteView types, ByteView strings, long p, String where)
            throws ObjectFormatException {
        switch (kind) {
            case BtfType.KIND_ENUM:
                return new BtfType.Member(string(strings, types.u32(p, where), where + " name"), 0, types.s32(p + 4, where), 0);
            case BtfType.KIND_FUNC_PROTO:
                return new BtfType.Member(string(strings, types.u32(p, where), where + " name"), types.s32(p + 4, where), 0, 0);
            case BtfType.KIND_ENUM64:
                return new BtfType.Member(string(strings, types.u32(p, where), where + " name"), 0,
                        types.u32(p + 4, where) | types.u32(p + 8, where) << 32, 0);
            case BtfType.KIND_DATASEC:
                return new BtfType.Member("", types.s32(p, where), types.u32(p + 4, where), types.u32(p + 8, where));
            default: // struct, union: the offset is in bits (bitfield size in the top byte when kind_flag is set)
                return new BtfType.Member(string(strings, types.u32(p, where), where + " name"), types.s32(p + 4, where),
                        types.u32(p + 8, where), 0);
        }
    }

    private static String string(ByteView strings, long offset, String what) throws ObjectFormatException {
        return strings.cString(offset, what + " (string offset " + offset + ")");
    }

    private static String kindNameOf(int kind) {
        return new BtfType(0, kind, "", false, 0, List.of(), 0, 0, 0).kindName();
    }

    private void checkReferences(BtfType t) throws ObjectFormatException {
        switch (t.kind()) {
            case BtfType.KIND_PTR, BtfType.KIND_TYPEDEF, BtfType.KIND_VOLATILE, BtfType.KIND_CONST, BtfType.KIND_RESTRICT,
                 BtfType.KIND_FUNC, BtfType.KIND_VAR, BtfType.KIND_DECL_TAG, BtfType.KIND_TYPE_TAG, BtfType.KIND_FUNC_PROTO ->
                    checkId(t.sizeOrType(), t);
            case BtfType.KIND_ARRAY -> checkId(t.arrayElementType() & 0xffffffffL, t);
            default -> { }
        }
        if (t.is(BtfType.KIND_STRUCT) || t.is(BtfType.KIND_UNION) || t.is(BtfType.KIND_FUNC_PROTO) || t.is(BtfType.KIND_DATASEC)) {
            for (BtfType.Member m : t.members()) {
                checkId(m.type() & 0xffffffffL, t);
            }
        }
    }

    private void checkId(long id, BtfType from) throws ObjectFormatException {
        if (id >= types.size()) {
            throw new ObjectFormatException(".BTF: " + from + " refers to type " + id + ", but there are " + types.size() + " types");
        }
    }

    /** Number of type ids, void included. */
    public int size() { return types.size(); }

    public BtfType type(int id) throws ObjectFormatException {
        if (id < 0 || id >= types.size()) {
            throw new ObjectFormatException(".BTF: no type " + Integer.toUnsignedString(id));
        }
        return types.get(id);
    }

    public List<BtfType> types() { return types; }

    /** A string of the string table (names of BTF.ext sections and files, source lines). */
    public String string(long offset, String what) throws ObjectFormatException {
        return string(strings, offset, ".BTF " + what);
    }

    /** The DATASEC named {@code name}, or null. */
    public BtfType dataSection(String name) {
        for (BtfType t : types) {
            if (t.is(BtfType.KIND_DATASEC) && t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Follows typedefs, modifiers and type tags to the underlying type (libbpf's skip_mods_and_typedefs). */
    public BtfType skipModifiersAndTypedefs(int id) throws ObjectFormatException {
        BtfType t = type(id);
        for (int depth = 0; ; depth++) {
            if (depth > MAX_RESOLVE_DEPTH) {
                throw new ObjectFormatException(".BTF: type " + id + " nests typedefs/modifiers deeper than " + MAX_RESOLVE_DEPTH);
            }
            switch (t.kind()) {
                case BtfType.KIND_TYPEDEF, BtfType.KIND_VOLATILE, BtfType.KIND_CONST, BtfType.KIND_RESTRICT,
                     BtfType.KIND_TYPE_TAG -> t = type(t.type());
                default -> {
                    return t;
                }
            }
        }
    }

    /** The byte size of a type, as {@code btf__resolve_size} computes it. */
    public long resolveSize(int id) throws ObjectFormatException {
        long multiplier = 1;
        BtfType t = type(id);
        for (int depth = 0; depth <= MAX_RESOLVE_DEPTH; depth++) {
            switch (t.kind()) {
                case BtfType.KIND_INT, BtfType.KIND_STRUCT, BtfType.KIND_UNION, BtfType.KIND_ENUM, BtfType.KIND_ENUM64,
                     BtfType.KIND_DATASEC, BtfType.KIND_FLOAT -> {
                    return checkedSize(multiplier, t.sizeOrType(), id);
                }
                case BtfType.KIND_PTR -> {
                    return checkedSize(multiplier, 8, id);
                }
                case BtfType.KIND_TYPEDEF, BtfType.KIND_VOLATILE, BtfType.KIND_CONST, BtfType.KIND_RESTRICT,
                     BtfType.KIND_VAR, BtfType.KIND_DECL_TAG, BtfType.KIND_TYPE_TAG -> t = type(t.type());
                case BtfType.KIND_ARRAY -> {
                    multiplier = checkedSize(multiplier, t.arrayLength(), id);
                    t = type(t.arrayElementType());
                }
                default -> throw new ObjectFormatException(".BTF: type " + id + " (" + t.kindName() + ") has no size");
            }
        }
        throw new ObjectFormatException(".BTF: type " + id + " nests deeper than " + MAX_RESOLVE_DEPTH + " levels");
    }

    private static long checkedSize(long a, long b, int id) throws ObjectFormatException {
        long product = a * b;
        if (a != 0 && (product / a != b || product > 0xffffffffL)) {
            throw new ObjectFormatException(".BTF: the size of type " + id + " exceeds 32 bits");
        }
        return product;
    }
}

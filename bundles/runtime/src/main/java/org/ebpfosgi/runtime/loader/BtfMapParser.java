package org.ebpfosgi.runtime.loader;

import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.runtime.ObjectFormatException;
import org.ebpfosgi.runtime.btf.Btf;
import org.ebpfosgi.runtime.btf.BtfType;

/**
 * Decodes a BTF-defined map ({@code bpf_helpers.h}): {@code __uint(name, n)} is a pointer to an array
 * of n elements, {@code __type(name, T)} a pointer to T, {@code __array(values, struct inner)} an
 * array of pointers to the inner map's definition. Unknown fields are ignored, as libbpf does.
 */
final class BtfMapParser {
    private static final int MAX_NESTING = 2;

    /** The definition, and the byte offset of its {@code values} member (-1 if none). */
    record Parsed(MapDefinition definition, long valuesOffset) {}

    private final Btf btf;

    BtfMapParser(Btf btf) {
        this.btf = btf;
    }

    Parsed parse(String name, int typeId, boolean inner) throws ObjectFormatException {
        return parse(name, typeId, inner ? 1 : 0);
    }

    private Parsed parse(String name, int typeId, int depth) throws ObjectFormatException {
        String where = "map '" + name + "'";
        BtfType def = btf.skipModifiersAndTypedefs(typeId);
        if (!def.is(BtfType.KIND_STRUCT)) {
            throw new ObjectFormatException(where + ": its BTF type " + def + " is not a struct");
        }
        Integer type = null;
        long keySize = -1;
        long valueSize = -1;
        long maxEntries = 0;
        long flags = 0;
        long pinning = 0;
        MapDefinition innerMap = null;
        long valuesOffset = -1;
        boolean valuesAreFunctions = false;
        for (BtfType.Member m : def.members()) {
            String field = m.name();
            switch (field) {
                case "type" -> type = (int) intField(where, m);
                case "max_entries" -> maxEntries = intField(where, m);
                case "map_flags" -> flags = intField(where, m);
                case "pinning" -> pinning = intField(where, m);
                case "key_size" -> keySize = agree(where, "key_size", keySize, intField(where, m));
                case "value_size" -> valueSize = agree(where, "value_size", valueSize, intField(where, m));
                case "key" -> keySize = agree(where, "key", keySize, pointeeSize(where, m));
                case "value" -> valueSize = agree(where, "value", valueSize, pointeeSize(where, m));
                case "values" -> {
                    if (depth >= MAX_NESTING - 1) {
                        throw new ObjectFormatException(where + ": an inner map may not have inner maps itself");
                    }
                    BtfType array = btf.skipModifiersAndTypedefs(m.type());
                    if (!array.is(BtfType.KIND_ARRAY)) {
                        throw new ObjectFormatException(where + ": field 'values' is " + array + ", expected an array of pointers");
                    }
                    BtfType pointer = btf.skipModifiersAndTypedefs(array.arrayElementType());
                    if (!pointer.is(BtfType.KIND_PTR)) {
                        throw new ObjectFormatException(where + ": field 'values' holds " + pointer + ", expected pointers");
                    }
                    BtfType target = btf.skipModifiersAndTypedefs(pointer.type());
                    if (target.is(BtfType.KIND_FUNC_PROTO)) {
                        valuesAreFunctions = true;
                    } else {
                        innerMap = parse(name + ".inner", pointer.type(), depth + 1).definition();
                    }
                    valuesOffset = (def.kindFlag() ? m.offset() & 0xffffff : m.offset()) / 8;
                    // The outer map's values are map fds or program fds: 4 bytes, as libbpf sets them.
                    valueSize = agree(where, "values", valueSize, 4);
                }
                default -> { }
            }
        }
        if (type == null) {
            throw new ObjectFormatException(where + ": its definition has no 'type' field");
        }
        if (innerMap != null && type != MapCollector.BPF_MAP_TYPE_ARRAY_OF_MAPS && type != MapCollector.BPF_MAP_TYPE_HASH_OF_MAPS) {
            throw new ObjectFormatException(where + ": 'values' names an inner map, but type " + type + " is not a map-in-map type");
        }
        if (valuesAreFunctions && type != MapCollector.BPF_MAP_TYPE_PROG_ARRAY) {
            throw new ObjectFormatException(where + ": 'values' holds programs, but type " + type + " is not a program array");
        }
        if (pinning != 0 && pinning != 1) {
            throw new ObjectFormatException(where + ": unsupported pinning " + pinning + " (0 none, 1 by name)");
        }
        MapDefinition d = new MapDefinition(name, type, (int) Math.max(keySize, 0), (int) Math.max(valueSize, 0), (int) maxEntries,
                (int) flags, pinning == 1 ? MapDefinition.Pinning.BY_NAME : MapDefinition.Pinning.NONE, innerMap);
        return new Parsed(d, valuesOffset);
    }

    private long intField(String where, BtfType.Member m) throws ObjectFormatException {
        BtfType pointer = btf.skipModifiersAndTypedefs(m.type());
        if (!pointer.is(BtfType.KIND_PTR)) {
            throw new ObjectFormatException(where + ": field '" + m.name() + "' is " + pointer + ", expected __uint (a pointer to an array)");
        }
        BtfType array = btf.skipModifiersAndTypedefs(pointer.type());
        if (!array.is(BtfType.KIND_ARRAY)) {
            throw new ObjectFormatException(where + ": field '" + m.name() + "' points to " + array + ", expected an array");
        }
        return array.arrayLength();
    }

    private long pointeeSize(String where, BtfType.Member m) throws ObjectFormatException {
        BtfType pointer = btf.skipModifiersAndTypedefs(m.type());
        if (!pointer.is(BtfType.KIND_PTR)) {
            throw new ObjectFormatException(where + ": field '" + m.name() + "' is " + pointer + ", expected __type (a pointer)");
        }
        return btf.resolveSize(pointer.type());
    }

    private static long agree(String where, String field, long previous, long value) throws ObjectFormatException {
        if (previous >= 0 && previous != value) {
            throw new ObjectFormatException(where + ": '" + field + "' gives size " + value + ", but an earlier field gave " + previous);
        }
        return value;
    }
}

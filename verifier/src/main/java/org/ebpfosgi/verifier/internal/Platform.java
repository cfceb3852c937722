package org.ebpfosgi.verifier.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.ebpfosgi.api.helper.ArgKind;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.program.ContextDescriptor;
import org.ebpfosgi.api.program.ProgramImage;

/**
 * Everything the analysis knows about the world around a program: the context layout of its program
 * type, the maps its lddw instructions name, and the prototypes of the helpers it may call.
 */
public final class Platform {
    /** Linux's BPF_MAP_TYPE_PROG_ARRAY: the maps a tail call takes. */
    static final int PROG_ARRAY = 3;
    /** Linux's BPF_MAP_TYPE_ARRAY: global data, whose value an lddw can address. */
    static final int ARRAY = 2;

    /** A helper as the analysis sees it: a name for messages and the prototype to check. */
    record HelperSignature(String name, HelperPrototype prototype) {
    }

    /** A map as the analysis sees it. */
    record MapShape(String name, int type, int keySize, int valueSize, int inner) {
        boolean ofMaps() {
            return type == ARRAY_OF_MAPS || type == HASH_OF_MAPS;
        }
    }

    static final int ARRAY_OF_MAPS = 12;
    static final int HASH_OF_MAPS = 13;

    final ContextDescriptor context;
    final List<MapShape> maps;
    final Map<Integer, HelperSignature> helpers;
    final List<HelperSignature> namedHelpers;
    /** The shape of any map index beyond the list (PREVAIL's test platform answers every map fd), or null. */
    private MapShape anyMap;
    private MapShape anyProgramArray;

    Platform(ContextDescriptor context, List<MapShape> maps, Map<Integer, HelperSignature> helpers,
             List<HelperSignature> namedHelpers) {
        this.context = context;
        this.maps = List.copyOf(maps);
        this.helpers = Map.copyOf(helpers);
        this.namedHelpers = List.copyOf(namedHelpers);
    }

    /** The world of a program image: its context, maps and the helpers registered for it. */
    public static Platform of(ProgramImage image) {
        List<MapShape> maps = new ArrayList<>();
        List<MapDefinition> inners = new ArrayList<>();
        for (EbpfMap m : image.maps()) {
            maps.add(null);
        }
        for (int i = 0; i < image.maps().size(); i++) {
            MapDefinition d = image.maps().get(i).definition();
            int inner = -1;
            if (d.innerMap() != null) {
                // Inner maps get indices after the object's own: handles found in an outer map point there.
                inner = maps.size();
                MapDefinition in = d.innerMap();
                maps.add(new MapShape(in.name(), in.type(), in.keySize(), in.valueSize(), -1));
            }
            maps.set(i, new MapShape(d.name(), d.type(), d.keySize(), d.valueSize(), inner));
        }
        Map<Integer, HelperSignature> helpers = new HashMap<>();
        for (Map.Entry<Integer, Helper> e : image.helpers().entrySet()) {
            helpers.put(e.getKey(), new HelperSignature(e.getValue().name(), e.getValue().prototype()));
        }
        List<HelperSignature> named = new ArrayList<>();
        for (Helper h : image.namedHelpers()) {
            named.add(new HelperSignature(h.name(), h.prototype()));
        }
        return new Platform(image.context(), maps, helpers, named);
    }

    /**
     * The platform of PREVAIL's YAML tests: a 64-byte context with the packet's start at 0 and end at 4,
     * map handles described by the test's own preconditions, and a few Linux helpers with their ids.
     */
    public static Platform prevailTest() {
        Map<Integer, HelperSignature> helpers = new HashMap<>();
        helpers.put(1, new HelperSignature("bpf_map_lookup_elem",
                HelperPrototype.of(ReturnKind.PTR_TO_MAP_VALUE_OR_NULL, ArgKind.PTR_TO_MAP, ArgKind.PTR_TO_MAP_KEY)));
        helpers.put(2, new HelperSignature("bpf_map_update_elem", HelperPrototype.of(ReturnKind.INTEGER,
                ArgKind.PTR_TO_MAP, ArgKind.PTR_TO_MAP_KEY, ArgKind.PTR_TO_MAP_VALUE, ArgKind.ANYTHING)));
        helpers.put(3, new HelperSignature("bpf_map_delete_elem",
                HelperPrototype.of(ReturnKind.INTEGER, ArgKind.PTR_TO_MAP, ArgKind.PTR_TO_MAP_KEY)));
        helpers.put(5, new HelperSignature("bpf_ktime_get_ns", HelperPrototype.of(ReturnKind.INTEGER)));
        helpers.put(7, new HelperSignature("bpf_get_prandom_u32", HelperPrototype.of(ReturnKind.INTEGER)));
        helpers.put(12, new HelperSignature("bpf_tail_call", HelperPrototype.of(ReturnKind.INTEGER,
                ArgKind.PTR_TO_CTX, ArgKind.PTR_TO_MAP_OF_PROGRAMS, ArgKind.ANYTHING)));
        helpers.put(44, new HelperSignature("bpf_xdp_adjust_head",
                HelperPrototype.of(ReturnKind.INTEGER, ArgKind.PTR_TO_CTX, ArgKind.ANYTHING).reallocatingPacket()));
        Platform p = new Platform(new ContextDescriptor(64, 0, 4, -1), List.of(), helpers, List.of());
        // Every map fd of a test case is a map of 4-byte keys and values, as PREVAIL's test platform describes them.
        p.anyMap = new MapShape("test map", ARRAY, 4, 4, -1);
        p.anyProgramArray = new MapShape("test program array", PROG_ARRAY, 4, 4, -1);
        return p;
    }

    MapShape map(int index) {
        return index >= 0 && index < maps.size() ? maps.get(index) : index >= 0 ? anyMap : null;
    }

    MapShape programArray(int index) {
        return index >= 0 && index < maps.size() ? maps.get(index) : index >= 0 ? anyProgramArray : null;
    }
}

package org.ebpfosgi.runtime.loader;

import java.util.Map;
import org.ebpfosgi.api.map.MapDefinition;

/**
 * A map as found in the file: its definition, where it was declared (section index and byte offset,
 * so relocations can find it), the name relocations and BTF know it by, the initial contents of
 * global data ({@code null} otherwise, {@code zeroFilled} for {@code .bss}), and statically
 * initialised slots of map-in-map and program arrays (slot to map or function name).
 */
record DeclaredMap(MapDefinition definition, int section, String sectionName, long offset, String symbol,
                   byte[] initialValue, boolean zeroFilled, Map<Integer, String> slots) {}

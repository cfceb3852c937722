package org.ebpfosgi.api.runtime;

import java.util.List;
import org.ebpfosgi.api.map.MapDefinition;

/** A parsed object file: its programs and maps, nothing loaded yet. */
public interface EbpfObject {
    String name();
    String license();
    List<ProgramSpec> programs();
    List<MapDefinition> maps();
}

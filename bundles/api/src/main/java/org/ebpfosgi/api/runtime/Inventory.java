package org.ebpfosgi.api.runtime;

import java.util.List;

/** What is registered right now: names of engines, verifiers, program types, helpers and map types. */
public interface Inventory {
    List<String> engines();
    List<String> verifiers();
    List<String> programTypes();
    /** {@code name(id)} for each helper. */
    List<String> helpers();
    List<String> mapTypes();
}

package org.ebpfosgi.api.program;

import java.util.List;
import org.ebpfosgi.api.memory.Memory;

/**
 * A program type, registered by its hook bundle as a service: the name, the ELF section prefixes
 * that select it, the context layout, the attach points it offers, and how to build a test context.
 */
public interface ProgramTypeProvider {
    /** The program type name, e.g. {@code xdp}, {@code bind}. */
    String name();

    /** ELF section names or prefixes (ending in '/') that mean this type, e.g. {@code xdp}, {@code xdp/}. */
    List<String> sectionPrefixes();

    /** The context layout the verifier checks accesses against. */
    ContextDescriptor context();

    /** The attach points offered now (interface names, attach scopes); may change as the host changes. */
    List<String> attachPoints();

    /** Attaches {@code slot} at {@code attachPoint}; closing the result detaches it. */
    AutoCloseable attach(String attachPoint, ProgramSlot slot) throws Exception;

    /** Builds a context in {@code memory} from test input (either may be empty), for a test run. */
    TestContext testContext(Memory memory, byte[] dataIn, byte[] contextIn);

    /** Whether a section name selects this type. */
    default boolean matchesSection(String section) {
        for (String prefix : sectionPrefixes()) {
            if (prefix.endsWith("/") ? section.startsWith(prefix) : section.equals(prefix) || section.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }
}

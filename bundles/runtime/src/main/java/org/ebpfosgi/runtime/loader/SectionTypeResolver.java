package org.ebpfosgi.runtime.loader;

/**
 * Maps an ELF section name to a program type name. The runtime backs it with the registered
 * {@code ProgramTypeProvider} services; {@link LinuxSectionTypes} is the built-in table.
 */
@FunctionalInterface
public interface SectionTypeResolver {
    /** The program type a section selects, or null if none claims it. */
    String programType(String section);

    /** This resolver, falling back to {@code other} where it has no answer. */
    default SectionTypeResolver orElse(SectionTypeResolver other) {
        return section -> {
            String type = programType(section);
            return type != null ? type : other.programType(section);
        };
    }
}

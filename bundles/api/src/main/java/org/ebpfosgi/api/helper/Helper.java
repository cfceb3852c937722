package org.ebpfosgi.api.helper;

/**
 * A helper function, registered as an OSGi service (whiteboard). Linux helpers use Linux ids
 * ({@code bpf_helper_defs.h}) so objects built against stock libbpf headers run unmodified; a
 * third-party helper returns {@link #UNNUMBERED} and is resolved by {@link #name()} (kfunc style).
 *
 * <p>Service property {@value #PROGRAM_TYPES}: if set, the program type names the helper is
 * offered to; if absent, every program type.
 */
public interface Helper {
    /** Service property listing the program types this helper is restricted to. */
    String PROGRAM_TYPES = "ebpf.helper.program.types";

    /** The id of a helper resolved by name only. */
    int UNNUMBERED = -1;

    /** Linux helper id, or {@link #UNNUMBERED}. */
    int id();

    /** The C name, e.g. {@code bpf_map_lookup_elem}. */
    String name();

    /** What the verifier checks each call against. */
    HelperPrototype prototype();

    /**
     * Runs the helper on registers r1..r5 and returns r0. Pointers among the arguments are resolved
     * through {@link HelperContext#memory()}; a bad pointer throws and aborts the run.
     */
    long call(HelperContext context, long r1, long r2, long r3, long r4, long r5);
}

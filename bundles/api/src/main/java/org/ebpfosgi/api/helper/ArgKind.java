package org.ebpfosgi.api.helper;

/** What a helper argument must be; the verifier checks each call against these. */
public enum ArgKind {
    /** Any initialized value, number or pointer the helper does not dereference. */
    ANYTHING,
    /** A number known at verification time, the size of the preceding memory argument (> 0). */
    CONST_SIZE,
    /** As {@link #CONST_SIZE}, zero allowed. */
    CONST_SIZE_OR_ZERO,
    /** The program's context pointer, unmodified. */
    PTR_TO_CTX,
    /** A map handle (lddw with a map pseudo source). */
    PTR_TO_MAP,
    /** A handle of a program array map (tail calls). */
    PTR_TO_MAP_OF_PROGRAMS,
    /** Readable memory of the preceding map argument's key size. */
    PTR_TO_MAP_KEY,
    /** Readable memory of the preceding map argument's value size. */
    PTR_TO_MAP_VALUE,
    /** Readable initialized memory; its size is the next argument. */
    PTR_TO_READABLE_MEM,
    /** As {@link #PTR_TO_READABLE_MEM}, or NULL. */
    PTR_TO_READABLE_MEM_OR_NULL,
    /** Writable memory, possibly uninitialized; its size is the next argument. */
    PTR_TO_WRITABLE_MEM,
    /** A callback: a code address (lddw src 4) of a subprogram. */
    PTR_TO_FUNC,
    /** A pointer returned by a ring buffer reserve. */
    PTR_TO_ALLOC_MEM
}

package org.ebpfosgi.api.helper;

/** What a helper returns in r0. */
public enum ReturnKind {
    INTEGER,
    /** A map value of the map argument's value size, or NULL. */
    PTR_TO_MAP_VALUE_OR_NULL,
    /** Memory of the size given by the (constant) size argument, or NULL (ringbuf reserve). */
    PTR_TO_ALLOC_MEM_OR_NULL,
    /** Nothing usable; r0 is unknown after the call. */
    VOID
}

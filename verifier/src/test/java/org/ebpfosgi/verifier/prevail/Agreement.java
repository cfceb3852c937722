package org.ebpfosgi.verifier.prevail;

/** How closely our verifier matched PREVAIL on one case, worst first (so {@code compareTo} orders by quality). */
enum Agreement {
    /** The case could not be run: the code did not assemble, or a precondition is not understood. */
    ERROR,
    /** It ran, but accepts where PREVAIL rejects or the other way round. */
    NONE,
    /** Same verdict (accept or reject), different exit state or diagnostics. */
    VERDICT,
    /** Same verdict, same exit constraints (or both unreachable), same diagnostics. */
    EXACT
}

package org.ebpfosgi.verifier.prevail;

/**
 * The result of running one PREVAIL case through our verifier.
 *
 * @param prevailCase    the case
 * @param agreement      the level reached
 * @param prevailRejects whether PREVAIL reports at least one error for it
 * @param weReject       whether we reported at least one error (false when the case could not be run)
 * @param errorKind      for {@link Agreement#ERROR}: why it could not be run; otherwise null
 * @param detail         what differs (empty for {@link Agreement#EXACT}), or the error message
 */
record CaseOutcome(PrevailCase prevailCase, Agreement agreement, boolean prevailRejects, boolean weReject,
        ErrorKind errorKind, String detail) {

    enum ErrorKind {
        /** The project's assembler rejected a line of the case's code. */
        ASSEMBLY,
        /** Analysis.analyze threw IllegalArgumentException: a precondition it does not understand. */
        UNSUPPORTED_PRECONDITION,
        /** The verifier threw anything else or did not finish: always a test failure. */
        VERIFIER_FAILURE
    }

    static CaseOutcome error(PrevailCase prevailCase, ErrorKind kind, String detail) {
        return new CaseOutcome(prevailCase, Agreement.ERROR, PrevailComparison.expectsRejection(prevailCase), false,
                kind, detail);
    }

    /** The soundness signal: the case ran, PREVAIL finds an error and we find none. */
    boolean acceptedButPrevailRejects() {
        return agreement != Agreement.ERROR && prevailRejects && !weReject;
    }

    /** The precision signal: the case ran, we find an error and PREVAIL finds none. */
    boolean rejectedButPrevailAccepts() {
        return agreement != Agreement.ERROR && !prevailRejects && weReject;
    }
}

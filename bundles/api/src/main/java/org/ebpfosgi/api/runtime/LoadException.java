package org.ebpfosgi.api.runtime;

import org.ebpfosgi.api.verifier.VerificationResult;

/** A program that could not be loaded: the verifier's report, or a missing helper, map type, engine. */
public final class LoadException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient VerificationResult verification;

    public LoadException(String message) {
        this(message, null);
    }

    public LoadException(String message, VerificationResult verification) {
        super(message);
        this.verification = verification;
    }

    /** The verifier's result when it refused the program, else null. */
    public VerificationResult verification() { return verification; }
}

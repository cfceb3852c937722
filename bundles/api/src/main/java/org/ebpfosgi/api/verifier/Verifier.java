package org.ebpfosgi.api.verifier;

import org.ebpfosgi.api.program.ProgramImage;

/**
 * Proves a program safe for its program type (context layout, helper prototypes), or explains why
 * not. Registered as a service; the runtime uses the highest-ranked one.
 */
public interface Verifier {
    String name();

    VerificationResult verify(ProgramImage image);
}

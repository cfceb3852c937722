package org.ebpfosgi.api.engine;

import org.ebpfosgi.api.program.ProgramImage;

/**
 * Turns a program image into a runnable program; the interpreter (the reference semantics) and the
 * JIT are both engines, registered as services. Service property {@value #RANKING_HINT}: the runtime
 * prefers the highest ranking (service.ranking).
 */
public interface ExecutionEngine {
    String RANKING_HINT = "service.ranking";

    /** e.g. {@code interpreter}, {@code jit}. */
    String name();

    /**
     * Prepares {@code image}. {@code verified} tells whether a verifier proved it safe; an engine may
     * then drop checks the proof covers, but never memory bounds, which keep the host safe regardless.
     * Unverified images run under an instruction budget.
     */
    ExecutableProgram load(ProgramImage image, boolean verified);
}

/**
 * The analysis behind {@link org.ebpfosgi.verifier.IntervalVerifier}, in the order it runs:
 * <ul>
 * <li>{@link org.ebpfosgi.verifier.internal.ControlFlow}: the graph with every local call inlined per call site,
 *     numbered in reverse post-order, loop heads marked;</li>
 * <li>the abstract domain: {@link org.ebpfosgi.verifier.internal.Num} (a signed and an unsigned interval),
 *     {@link org.ebpfosgi.verifier.internal.Value} (the kinds a register may hold and what is known of each),
 *     {@link org.ebpfosgi.verifier.internal.StackContents} and {@link org.ebpfosgi.verifier.internal.State}
 *     (registers, stack, packet facts "packet_size &gt;= symbol + k");</li>
 * <li>{@link org.ebpfosgi.verifier.internal.Analyzer}: the fixpoint (joins, widening at loop heads), then one
 *     checking pass in which each instruction's safety conditions are asserted on the stable states;
 *     {@link org.ebpfosgi.verifier.internal.Conditions} is what a branch teaches on each edge;</li>
 * <li>{@link org.ebpfosgi.verifier.internal.Termination}: a bound on each loop's iterations from an induction
 *     variable, or the reason there is none;</li>
 * <li>{@link org.ebpfosgi.verifier.internal.Analysis}: the entry point, and PREVAIL's constraint language for the
 *     YAML test cases.</li>
 * </ul>
 */
package org.ebpfosgi.verifier.internal;

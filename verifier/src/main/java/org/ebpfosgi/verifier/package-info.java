/**
 * The verifier service ({@link org.ebpfosgi.verifier.IntervalVerifier}): abstract interpretation over eBPF
 * (register types, signed and unsigned intervals, packet bounds relative to pointer variables, stack contents,
 * local calls analysed per call site), parameterised by the program type's context and the registered helpers'
 * prototypes. The analysis itself is internal.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.ebpfosgi.verifier;

/**
 * The verifier: PREVAIL-class abstract interpretation over eBPF (register types, signed and unsigned intervals, relational packet offsets, stack contents, bounded loops), parameterised by the program types and helper prototypes registered as services.
 *
 * <p>Not built yet: a later issue adds it and registers it as an org.ebpfosgi.api.verifier.Verifier service. This package is here so the layout shows where that code goes; it holds no
 * implementation, fake or otherwise.
 */
@org.osgi.annotation.versioning.Version("0.0.0")
package org.ebpfosgi.verifier;

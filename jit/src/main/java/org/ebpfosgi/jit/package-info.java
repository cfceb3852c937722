/**
 * The JIT: eBPF to JVM bytecode with ASM, one static method per function, registers as {@code long}
 * locals, helpers as constants of the generated class, which is a hidden class unloaded with its
 * program. It runs on the interpreter's machine ({@code org.ebpfosgi.interpreter.machine}), so the
 * conventions of the interpreter's package documentation hold unchanged, with one difference: a
 * {@code callx} or helper callback must target a function entry (instruction 0, a local-call target or
 * a {@code lddw src=4} code address), not any instruction.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.ebpfosgi.jit;

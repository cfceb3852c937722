/**
 * The JIT: eBPF to JVM bytecode with ASM, one static method per function, registers as {@code long}
 * locals, helpers and maps as constants of the generated class, which is a hidden class unloaded with
 * its program. It runs on the interpreter's machine ({@code org.ebpfosgi.interpreter.machine}), so the
 * conventions of the interpreter's package documentation hold unchanged, with these differences:
 * <ul>
 * <li>a {@code callx} or helper callback must target a function entry (instruction 0, a local-call
 *     target or a {@code lddw src=4} code address), not any instruction;</li>
 * <li>registers a verifier never lets a program read (r1..r5 after a local call, r6..r9 at a function's
 *     start) hold other values than on the interpreter;</li>
 * <li>{@code bpf_map_lookup_elem} is compiled inline where the basic block shows r1 is a map
 *     ({@code lddw}) and r2 = r10 + k: same answers as the helper, without resolving either argument;</li>
 * <li>a function too long for HotSpot to compile (8,000 bytes of bytecode) makes the program run on the
 *     interpreter.</li>
 * </ul>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.ebpfosgi.jit;

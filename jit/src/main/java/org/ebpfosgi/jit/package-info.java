/**
 * The JIT: eBPF to JVM bytecode with ASM, one method per subprogram, split under HotSpot's 8000-byte compile limit, classes in a droppable class loader.
 *
 * <p>Not built yet: a later issue adds it as an org.ebpfosgi.api.engine.ExecutionEngine service. This package is here so the layout shows where that code goes; it holds no
 * implementation, fake or otherwise.
 */
@org.osgi.annotation.versioning.Version("0.0.0")
package org.ebpfosgi.jit;

/** Execution engines (interpreter, JIT): turn a verified image into a runnable program. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.ebpfosgi.api.engine;

/** The eBPF instruction set (RFC 9669, CPU v1-v4): instruction model, decoder, assembler, disassembler. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.ebpfosgi.isa;

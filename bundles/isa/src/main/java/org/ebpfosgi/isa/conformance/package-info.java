/** The bpf_conformance test vector format ({@code *.data} files). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.ebpfosgi.isa.conformance;

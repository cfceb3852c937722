/** The verifier service: a proof of safety, or a readable report of why not. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.ebpfosgi.api.verifier;

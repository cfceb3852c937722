/** Helper functions: the prototype the verifier checks and the implementation the engines call. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.ebpfosgi.api.helper;

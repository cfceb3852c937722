/** The runtime: objects, programs, maps, links and pins, for embedding products and tools. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.ebpfosgi.api.runtime;

/** Map types and map instances, usable from programs and from Java, with Linux semantics. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.ebpfosgi.api.map;

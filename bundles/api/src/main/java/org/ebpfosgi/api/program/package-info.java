/** Program types (hooks), their context layout and attach points, and the loaded program image. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.ebpfosgi.api.program;

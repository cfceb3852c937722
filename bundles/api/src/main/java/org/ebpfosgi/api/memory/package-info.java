/** Program memory: Java-owned regions addressed by tagged 64-bit pointers, bounds-checked on every access. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.ebpfosgi.api.memory;

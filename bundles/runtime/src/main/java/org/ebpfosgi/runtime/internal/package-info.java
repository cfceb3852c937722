/** The runtime's implementation: not exported; other bundles use {@code org.ebpfosgi.api.runtime}. */
package org.ebpfosgi.runtime.internal;

/** The runtime bundle: the loader, programs, links and pins behind {@link org.ebpfosgi.api.runtime.EbpfRuntime}. */
package org.ebpfosgi.runtime;

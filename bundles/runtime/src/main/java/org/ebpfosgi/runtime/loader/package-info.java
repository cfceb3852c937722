/**
 * The object loader: turns an ELF object into programs (linked, relocated to the
 * {@code ProgramImage} conventions) and map definitions. Entry point: {@link org.ebpfosgi.runtime.loader.ObjectLoader}.
 * Internal to the runtime.
 */
package org.ebpfosgi.runtime.loader;

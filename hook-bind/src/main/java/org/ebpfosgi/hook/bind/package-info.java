/**
 * The bind hook: decides on real processes' bind() calls through seccomp user notification, with the ebpf-for-windows bind_md context.
 *
 * <p>Not built yet: a later issue adds it as an org.ebpfosgi.api.program.ProgramTypeProvider service. This package is here so the layout shows where that code goes; it holds no
 * implementation, fake or otherwise.
 */
@org.osgi.annotation.versioning.Version("0.0.0")
package org.ebpfosgi.hook.bind;

/**
 * The XDP hook: a userspace datapath over AF_PACKET rings that runs programs on frames of real interfaces and acts on PASS, DROP, TX and REDIRECT.
 *
 * <p>Not built yet: a later issue adds it as an org.ebpfosgi.api.program.ProgramTypeProvider service. This package is here so the layout shows where that code goes; it holds no
 * implementation, fake or otherwise.
 */
@org.osgi.annotation.versioning.Version("0.0.0")
package org.ebpfosgi.hook.xdp;

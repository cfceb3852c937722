/** The interpreter's own part: the instruction loop and its program; the machine it runs on is {@code org.ebpfosgi.interpreter.machine}. Not exported. */
package org.ebpfosgi.interpreter.internal;

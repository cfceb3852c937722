/** Implementation of the interpreter: predecoding, the instruction loop, per-thread run state. Not exported. */
package org.ebpfosgi.interpreter.internal;

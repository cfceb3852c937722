/** Gogo shell commands of the platform (scope {@code ebpf}). */
package org.ebpfosgi.runtime.shell;

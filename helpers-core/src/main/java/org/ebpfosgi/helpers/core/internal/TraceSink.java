package org.ebpfosgi.helpers.core.internal;

/** Where trace_printk lines go: the platform log, or a test's recorder. */
interface TraceSink {
    /** One formatted line of {@code program}, without its trailing newline. */
    void print(String program, String line);
}

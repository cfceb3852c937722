package org.ebpfosgi.helpers.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes trace lines to the platform log, the counterpart of the kernel's trace_pipe: logger
 * {@value #LOGGER}, level INFO, {@code "<program>: <line>"}.
 */
final class Slf4jTraceSink implements TraceSink {
    static final String LOGGER = "org.ebpfosgi.trace";
    static final Slf4jTraceSink INSTANCE = new Slf4jTraceSink();

    private final Logger log = LoggerFactory.getLogger(LOGGER);

    private Slf4jTraceSink() {
    }

    @Override
    public void print(String program, String line) {
        log.info("{}: {}", program, line);
    }
}

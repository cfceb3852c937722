package org.ebpfosgi.helpers.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** trace_printk as services use it: through slf4j (slf4j-simple writes to System.err in tests). */
class Slf4jTraceSinkTest {
    @Test
    void printsToThePlatformLogWithTheProgramName() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        RunContext run = new RunContext();
        long fmt = run.cString("drop port %d\n");
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertEquals(15, new TracePrintk().call(run, fmt, 14, 8080, 0, 0));
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("INFO " + Slf4jTraceSink.LOGGER + " - test_prog: drop port 8080"), log);
        assertEquals(1, log.lines().count(), log);
    }
}

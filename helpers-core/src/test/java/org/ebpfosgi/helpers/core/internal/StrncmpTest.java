package org.ebpfosgi.helpers.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.ebpfosgi.api.memory.MemoryAccessException;
import org.junit.jupiter.api.Test;

class StrncmpTest {
    private final Strncmp strncmp = new Strncmp();
    private final RunContext run = new RunContext();

    private long cmp(String s1, int size, String s2) {
        byte[] b = java.util.Arrays.copyOf(s1.getBytes(StandardCharsets.ISO_8859_1), Math.max(size, s1.length()));
        return strncmp.call(run, run.stack(b), size, run.cString(s2), 0, 0);
    }

    @Test
    void comparesLikeTheKernel() {
        assertEquals(0, cmp("eth0", 5, "eth0"));
        assertEquals(-1, cmp("eth0", 5, "eth1"));
        assertEquals(1, cmp("eth1", 5, "eth0"));
        assertEquals(0, cmp("eth0", 3, "eth1"), "only s1_sz bytes");
        assertEquals(1, cmp("eth", 4, "et"), "longer s1");
        assertEquals(-1, cmp("et", 3, "eth"), "shorter s1");
        assertEquals(1, cmp("\u00ff", 2, "a"), "unsigned chars");
        assertEquals(0, cmp("abc", 0, "xyz"));
    }

    @Test
    void stopsAtTheFirstNul() {
        byte[] s1 = {'a', 0, 'x', 'y'};
        assertEquals(0, strncmp.call(run, run.stack(s1), 4, run.cString("a"), 0, 0));
    }

    @Test
    void readingPastS2sRegionFailsTheRun() {
        long s2 = run.memory.map(org.ebpfosgi.api.memory.Region.of(org.ebpfosgi.api.memory.Region.Kind.STACK, "s", new byte[] {'a', 'b'}));
        long s1 = run.stack("abcd".getBytes(StandardCharsets.US_ASCII));
        assertEquals(-1, strncmp.call(run, s1, 4, run.cString("b"), 0, 0));
        assertThrows(MemoryAccessException.class, () -> strncmp.call(run, s1, 4, s2, 0, 0));
        assertThrows(MemoryAccessException.class, () -> strncmp.call(run, s1, 5, run.cString("abcd"), 0, 0), "s1_sz beyond s1");
    }
}

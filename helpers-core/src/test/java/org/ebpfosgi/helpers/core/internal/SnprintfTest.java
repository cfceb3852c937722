package org.ebpfosgi.helpers.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.ebpfosgi.api.memory.MemoryAccessException;
import org.ebpfosgi.api.memory.Region;
import org.junit.jupiter.api.Test;

class SnprintfTest {
    private final Snprintf snprintf = new Snprintf();
    private final RunContext run = new RunContext();

    private static byte[] c(String s, int size) {
        byte[] bytes = Arrays.copyOf(s.getBytes(StandardCharsets.US_ASCII), size);
        return bytes;
    }

    @Test
    void formatsIntoTheBufferAndReturnsLengthWithNul() {
        byte[] out = new byte[32];
        long str = run.stack(out);
        long fmt = run.cString("%s:%u/%d");
        long data = run.u64s(run.cString("port"), 8080, -3);
        assertEquals(13, snprintf.call(run, str, 32, fmt, data, 24));
        assertArrayEquals(c("port:8080/-3", 32), out);
    }

    @Test
    void truncatesWithNulAndStillReturnsTheFullLength() {
        byte[] out = new byte[8];
        Arrays.fill(out, (byte) 'x');
        long str = run.stack(out);
        long fmt = run.cString("value=%llx");
        assertEquals(19, snprintf.call(run, str, 6, fmt, run.u64s(0xdeadbeefcafeL), 8));
        assertArrayEquals(new byte[] {'v', 'a', 'l', 'u', 'e', 0, 'x', 'x'}, out, "only str_size bytes touched");
    }

    @Test
    void wideOutputIntoALargeBuffer() {
        byte[] out = new byte[4096];
        Arrays.fill(out, (byte) 'x');
        long str = run.stack(out);
        assertEquals(3002, snprintf.call(run, str, 4096, run.cString("%2000d|%-1000s"), run.u64s(7, run.cString("ab")), 16));
        assertEquals('7', out[1999]);
        assertEquals(' ', out[1998]);
        assertEquals('|', out[2000]);
        assertEquals('a', out[2001]);
        assertEquals(' ', out[3000]);
        assertEquals(0, out[3001]);
        assertEquals('x', out[3002]);
        assertEquals(8_388_608, snprintf.call(run, str, 16, run.cString("%9999999d"), run.u64s(1), 8),
                "widths clamp at FIELD_WIDTH_MAX; nothing is materialized past str_size");
    }

    @Test
    void zeroSizeWritesNothingAndAllowsNull() {
        long fmt = run.cString("%d items");
        assertEquals(9, snprintf.call(run, 0, 0, fmt, run.u64s(12), 8));
        assertEquals(8, snprintf.call(run, 0, 0, run.cString("no args"), 0, 0));
    }

    @Test
    void refusals() {
        long str = run.stack(new byte[16]);
        long fmt = run.cString("%d");
        assertEquals(-Errno.EINVAL, snprintf.call(run, str, 16, fmt, 0, 0), "more conversions than arguments");
        assertEquals(-Errno.EINVAL, snprintf.call(run, str, 16, fmt, run.u64s(1), 4), "data_len not a multiple of 8");
        assertEquals(-Errno.EINVAL, snprintf.call(run, str, 16, fmt, run.u64s(new long[13]), 104), "more than 12 arguments");
        assertEquals(-Errno.EINVAL, snprintf.call(run, str, 16, run.cString("%z"), run.u64s(1), 8));
        long unterminated = run.memory.map(Region.of(Region.Kind.GLOBAL_DATA, ".rodata", "%d".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(-Errno.EINVAL, snprintf.call(run, str, 16, unterminated, run.u64s(1), 8), "fmt without NUL");
    }

    @Test
    void badPointersFailTheRun() {
        long fmt = run.cString("x");
        long small = run.stack(new byte[4]);
        assertThrows(MemoryAccessException.class, () -> snprintf.call(run, small, 5, fmt, 0, 0), "str shorter than str_size");
        long readOnly = run.cString("abc");
        assertThrows(MemoryAccessException.class, () -> snprintf.call(run, readOnly, 4, fmt, 0, 0), "str read-only");
        assertThrows(MemoryAccessException.class, () -> snprintf.call(run, small, 4, 0, 0, 0), "fmt NULL");
    }
}

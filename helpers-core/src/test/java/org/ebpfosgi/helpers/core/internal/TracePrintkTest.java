package org.ebpfosgi.helpers.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.ebpfosgi.api.memory.MemoryAccessException;
import org.ebpfosgi.api.memory.Region;
import org.junit.jupiter.api.Test;

class TracePrintkTest {
    private final List<String> lines = new ArrayList<>();
    private final TracePrintk printk = new TracePrintk((program, line) -> lines.add(program + ": " + line));
    private final TraceVprintk vprintk = new TraceVprintk((program, line) -> lines.add(program + ": " + line));
    private final RunContext run = new RunContext();

    /** Calls bpf_trace_printk with {@code fmt} (NUL added, fmt_size includes it) and up to 3 arguments. */
    private long printk(String fmt, long... args) {
        long[] r = new long[3];
        System.arraycopy(args, 0, r, 0, args.length);
        long address = run.cString(fmt);
        int size = fmt.getBytes(StandardCharsets.UTF_8).length + 1;
        return printk.call(run, address, size, r[0], r[1], r[2]);
    }

    private String printed(String fmt, long... args) {
        lines.clear();
        long length = printk(fmt, args);
        assertTrue(length >= 0, fmt + " refused: " + length);
        assertEquals(1, lines.size());
        return lines.get(0).substring("test_prog: ".length());
    }

    @Test
    void integers() {
        assertEquals("x=-1 y=4294967295 z=ffffffff", printed("x=%d y=%u z=%x", -1, -1, -1));
        assertEquals("-1 18446744073709551615 ffffffffffffffff", printed("%ld %llu %lx", -1, -1, -1));
        assertEquals("-9223372036854775808 FF 7", printed("%lli %X %i", Long.MIN_VALUE, 255, 7));
        assertEquals("12 0x1234abcd", printed("%d 0x%llx", 0x1_0000_000CL, 0x1234abcdL));
        assertEquals("42", printed("%lld", 42));
    }

    @Test
    void flagsAndWidths() {
        assertEquals("[   42][42   ][00042]", printed("[%5d][%-5d][%05d]", 42, 42, 42));
        assertEquals("[+42][ 42][-0042]", printed("[%+d][% d][%05d]", 42, 42, -42));
        assertEquals("[  ab][0000ab][ab  ]", printed("[%4x][%06x][%-4x]", 0xab, 0xab, 0xab));
        assertEquals("[   hi][hi   ][  z]", printed("[%5s][%-5s][%3c]", run.cString("hi"), run.cString("hi"), 'z'));
        assertEquals("[7][0  ][0]", printed("[%+u][%-03d][%0i]", 7, 0, 0), "no sign for unsigned; '-' beats '0'");
    }

    @Test
    void stringsCharsPercentAndPointers() {
        long name = run.cString("eth0");
        assertEquals("dev eth0: c=A 100%", printed("dev %s: c=%c 100%%", name, 'A'));
        assertEquals("p=0000000300000004 px=0000000000000010 ps=0x10", printed("p=%p px=%px ps=%ps", 0x3_0000_0004L, 0x10, 0x10));
        assertEquals("[      0x10]", printed("[%10pS]", 0x10));
        assertEquals("ks=eth0 us=eth0", printed("ks=%pks us=%pus", name, name));
    }

    @Test
    void unreadableStringsPrintEmptyLikeLinux() {
        assertEquals("[] []", printed("[%s] [%s]", 0, 0x7777_0000_0000L));
        byte[] unterminated = "abc".getBytes(StandardCharsets.US_ASCII);
        long address = run.memory.map(Region.of(Region.Kind.STACK, "stack", unterminated));
        assertEquals("[abc]", printed("[%s]", address), "a string ends at its region's end");
    }

    @Test
    void ipAddresses() {
        long v4 = run.stack(new byte[] {(byte) 192, (byte) 168, 0, 1});
        byte[] six = new byte[16];
        six[0] = 0x20;
        six[1] = 0x01;
        six[2] = 0x0d;
        six[3] = (byte) 0xb8;
        six[15] = 1;
        long v6 = run.stack(six);
        assertEquals("192.168.0.1 192.168.000.001", printed("%pI4 %pi4", v4, v4));
        assertEquals("2001:0db8:0000:0000:0000:0000:0000:0001", printed("%pI6", v6));
        assertEquals("20010db8000000000000000000000001", printed("%pi6", v6));
        assertEquals("0.0.0.0", printed("%pI4", 0), "unreadable address prints as zeros");
    }

    @Test
    void returnsUntruncatedLengthAndStripsOneNewline() {
        lines.clear();
        assertEquals(10, printk("hello %d\n", 123));
        assertEquals(List.of("test_prog: hello 123"), lines);

        lines.clear();
        long length = printk("%1100d", 5);
        assertEquals(1100, length);
        assertEquals("test_prog: ".length() + Bprintf.MAX_BUF - 1, lines.get(0).length(), "output truncated to 1023 bytes");
    }

    @Test
    void refusesWhatLinuxRefuses() {
        for (String bad : List.of("%d %d %d %d", "%q", "%.2d", "%#x", "%hd", "%lc", "%lld%", "%-", "%sx", "%pZ", "%pI5",
                "a\u0001b", "%\u00e9")) {
            lines.clear();
            assertEquals(-Errno.EINVAL, printk(bad, 1, 2, 3), bad);
            assertTrue(lines.isEmpty(), bad);
        }
        assertEquals(0, printk(""));
        assertEquals(3, printk("h\u00e9"), "UTF-8 in plain text passes, as in current kernels");
        assertEquals(-Errno.EINVAL, printk.call(run, run.stack("no nul".getBytes(StandardCharsets.US_ASCII)), 6, 0, 0, 0));
    }

    @Test
    void packedArgumentsAreLimitedTo512Bytes() {
        byte[] big = new byte[600];
        java.util.Arrays.fill(big, 0, 599, (byte) 'a');
        long s = run.stack(big);
        lines.clear();
        // The first string takes all 511 bytes it may (plus NUL); nothing is left for the next argument.
        assertEquals(-Errno.ENOSPC, printk("%s%d", s, 1));
        assertEquals(511, printk("%s", s));
    }

    @Test
    void badFormatPointerFailsTheRun() {
        assertThrows(MemoryAccessException.class, () -> printk.call(run, 0, 4, 0, 0, 0));
        long fmt = run.cString("abc");
        assertThrows(MemoryAccessException.class, () -> printk.call(run, fmt, 5, 0, 0, 0), "fmt_size beyond the region");
    }

    @Test
    void vprintkTakesAnArrayOfUpTo12Arguments() {
        long fmt = run.cString("%d %d %d %d %d %d %d %d %d %d %d %d");
        long data = run.u64s(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        int fmtSize = "%d %d %d %d %d %d %d %d %d %d %d %d".length() + 1;
        lines.clear();
        assertEquals(26, vprintk.call(run, fmt, fmtSize, data, 96, 0));
        assertEquals(List.of("test_prog: 1 2 3 4 5 6 7 8 9 10 11 12"), lines);

        assertEquals(-Errno.EINVAL, vprintk.call(run, fmt, fmtSize, data, 88, 0), "11 arguments for 12 conversions");
        assertEquals(-Errno.EINVAL, vprintk.call(run, fmt, fmtSize, data, 12, 0), "not a multiple of 8");
        assertEquals(-Errno.EINVAL, vprintk.call(run, fmt, fmtSize, run.u64s(new long[13]), 104, 0), "13 arguments");
        assertEquals(-Errno.EINVAL, vprintk.call(run, fmt, fmtSize, 0, 8, 0), "NULL array");
        long plain = run.cString("plain");
        assertEquals(5, vprintk.call(run, plain, 6, 0, 0, 0));
        assertThrows(MemoryAccessException.class, () -> vprintk.call(run, fmt, fmtSize, run.u64s(1), 16, 0));
    }
}

package org.ebpfosgi.runtime.e2e;

import static org.ebpfosgi.runtime.e2e.SampleRuntime.le32;
import static org.ebpfosgi.runtime.e2e.SampleRuntime.le64;
import static org.ebpfosgi.runtime.e2e.SampleRuntime.program;
import static org.ebpfosgi.runtime.e2e.SampleRuntime.run;
import static org.ebpfosgi.runtime.e2e.SampleRuntime.u16;
import static org.ebpfosgi.runtime.e2e.SampleRuntime.u32;
import static org.ebpfosgi.runtime.e2e.SampleRuntime.value64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.ProgramArrayMap;
import org.ebpfosgi.api.map.RingBufferMap;
import org.ebpfosgi.api.runtime.Program;
import org.ebpfosgi.api.runtime.TestRunResult;
import org.junit.jupiter.api.Test;

/** Global data, calls, loops, printk, ring buffers, tail calls and a real packet parser, run end to end. */
class ProgramSamplesTest {
    private static final int XDP_DROP = 1, XDP_PASS = 2, XDP_TX = 3;

    private final SampleRuntime rt = new SampleRuntime();

    /** The global-data map of the object whose name ends with {@code section} (libbpf names it object.section). */
    private EbpfMap globalData(String section) {
        List<EbpfMap> found = rt.runtime.maps().stream().filter(m -> m.definition().name().endsWith(section)).toList();
        assertEquals(1, found.size(), "global data maps: " + rt.runtime.maps().stream().map(m -> m.definition().name()).toList());
        return found.get(0);
    }

    @Test
    void globalDataAndSubprogramCalls() {
        Program compute = program(rt.load("globals"), "compute");
        EbpfMap data = globalData(".data");
        EbpfMap bss = globalData(".bss");
        EbpfMap rodata = globalData(".rodata");
        assertEquals(100, value64(data, u32(0)), ".data starts with its initializer");
        assertEquals(3, value64(rodata, u32(0)), ".rodata holds the const");
        // twice(n) = 2 * n(n+1)/2 * 3
        assertEquals(2 * 55 * 3, run(compute, new byte[] {10}));
        assertEquals(0, run(compute, new byte[] {0}));
        assertEquals(2 * 10 * 3, run(compute, new byte[] {4}));
        assertEquals(103, value64(data, u32(0)), "three runs counted in .data");
        assertEquals(60, value64(bss, u32(0)), ".bss keeps the last sum");
        assertEquals(-1, run(compute, new byte[0]), "the program's own bounds check");
        assertEquals(4, compute.stats().runCount());
    }

    @Test
    void bpfLoopRunsTheCallbackUntilItStops() {
        Program loop = program(rt.load("globals"), "loop_sum");
        // limit 5: indexes 0..4, the callback stops after index 4 -> 5 iterations, sum 10
        assertEquals(10L << 32 | 5, run(loop, new byte[] {5}));
        assertEquals(0L << 32 | 1, run(loop, new byte[] {1}));
        // limit above the 100 the program allows: bpf_loop stops at 100 iterations, sum 0..99
        assertEquals(4950L << 32 | 100, run(loop, new byte[] {(byte) 200}));
    }

    @Test
    void printkReturnsTheLineLength() {
        Program say = program(rt.load("globals"), "say");
        long length = run(say, new byte[0]);
        assertEquals("runs=100".length(), length, "bpf_printk formats 'runs=%llu' with .data's 100 and returns its length");
        byte[] bss = globalData(".bss").lookup(u32(0)).orElseThrow();
        assertEquals(length, le64(bss, 8), "last_printk follows last_sum in .bss");
    }

    @Test
    void ringBufferRecordsArriveInOrder() {
        List<Program> programs = rt.load("ringbuf");
        Program emit = program(programs, "emit");
        Program discard = program(programs, "reserve_discard");
        RingBufferMap ring = assertInstanceOf(RingBufferMap.class, rt.map("events"));
        assertEquals(2, run(emit, u32(0xA1)));
        assertEquals(2, run(emit, u32(0xB2)));
        long held = run(discard, new byte[0]);
        // As in Linux, a discarded record keeps its space until the consumer passes it: 5 records of 8 + 16 bytes.
        assertEquals(5 * (RingBufferMap.HEADER_SIZE + 16), held);
        List<long[]> records = new ArrayList<>();
        int consumed = ring.consume(record -> {
            ByteBuffer r = record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(16, r.remaining());
            records.add(new long[] {r.getLong(), r.getInt() & 0xFFFFFFFFL, r.getInt()});
        });
        assertEquals(4, consumed);
        long[][] expected = {{1, 0xA1, 1}, {2, 0xA1, 2}, {3, 0xB2, 1}, {4, 0xB2, 2}};
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], records.get(i), "record " + i);
        }
        assertEquals(0, ring.consume(record -> { throw new AssertionError("nothing left"); }));
        assertEquals(0, ring.query(RingBufferMap.AVAIL_DATA));
    }

    @Test
    void tailCallsFollowTheProgramArray() {
        List<Program> programs = rt.load("tailcall");
        Program dispatch = program(programs, "dispatch");
        assertEquals(100, run(dispatch, new byte[] {0}));
        assertEquals(101, run(dispatch, new byte[] {1}));
        assertEquals(7, run(dispatch, new byte[] {2}), "empty slot: the tail call falls through");
        assertEquals(7, run(dispatch, new byte[] {9}), "slot beyond max_entries: falls through");
        ProgramArrayMap table = assertInstanceOf(ProgramArrayMap.class, rt.map("jump_table"));
        Program spare = program(programs, "slot_spare");
        // From Java, a program array takes program ids (as BPF_MAP_UPDATE_ELEM with a program fd).
        table.update(u32(2), u32(spare.id()), EbpfMap.ANY);
        assertEquals(102, run(dispatch, new byte[] {2}));
        assertEquals(spare.id(), le32(table.lookup(u32(2)).orElseThrow(), 0));
        table.delete(u32(0));
        assertEquals(7, run(dispatch, new byte[] {0}), "a deleted slot falls through");
        assertEquals(6, dispatch.stats().runCount());
    }

    // ---- the packet parser ----

    /** Ethernet + IPv4 (no options) + UDP + payload. */
    static byte[] udpPacket(int sourcePort, int destinationPort, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + payload.length); // network order
        b.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + payload.length)).putShort((short) 1).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0).put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
        b.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + payload.length)).putShort((short) 0);
        b.put(payload);
        return b.array();
    }

    @Test
    void udpParserCountsPortsDropsDiscardAndBouncesEcho() {
        Program parser = program(rt.load("udp_ports"), "udp_count");
        EbpfMap counts = rt.map("port_counts");
        byte[] dns = udpPacket(40000, 53, "query".getBytes());
        TestRunResult pass = parser.testRun(dns, SampleRuntime.NO_CONTEXT, 3);
        assertEquals(XDP_PASS, pass.returnValue());
        assertArrayEquals(dns, pass.dataOut(), "a passed packet is not rewritten");
        assertEquals(3, value64(counts, u16(53)), "repeat=3 counts three packets");
        assertEquals(XDP_DROP, run(parser, udpPacket(1234, 9, new byte[0])));
        assertEquals(1, value64(counts, u16(9)));

        byte[] echo = udpPacket(5555, 7, "ping".getBytes());
        TestRunResult tx = parser.testRun(echo, SampleRuntime.NO_CONTEXT, 1);
        assertEquals(XDP_TX, tx.returnValue());
        byte[] expected = udpPacket(7, 5555, "ping".getBytes());
        System.arraycopy(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}, 0, expected, 0, 12);
        System.arraycopy(new byte[] {10, 0, 0, 2, 10, 0, 0, 1}, 0, expected, 26, 8);
        assertArrayEquals(expected, tx.dataOut(), "MACs, addresses and ports swapped");
        assertEquals(1, value64(counts, u16(7)));

        // Not UDP over IPv4, or truncated: passed (or dropped when the IPv4 header lies), never counted.
        byte[] arp = dns.clone();
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertEquals(XDP_PASS, run(parser, arp));
        assertEquals(XDP_PASS, run(parser, java.util.Arrays.copyOf(dns, 30)), "truncated IPv4 header");
        assertEquals(XDP_DROP, run(parser, java.util.Arrays.copyOf(dns, 38)), "truncated UDP header");
        byte[] badIhl = dns.clone();
        badIhl[14] = 0x44;
        assertEquals(XDP_DROP, run(parser, badIhl), "IHL below 5");
        byte[] longOptions = dns.clone();
        longOptions[14] = 0x4F; // 60-byte header: the UDP header would start beyond the packet
        assertEquals(XDP_DROP, run(parser, longOptions));
        assertEquals(3, value64(counts, u16(53)));
        assertFalse(counts.lookup(u16(0)).isPresent());
        assertEquals(10, parser.stats().runCount());
        assertTrue(parser.stats().runTimeNanos() > 0);
        assertEquals(0, parser.stats().abortCount());
    }
}

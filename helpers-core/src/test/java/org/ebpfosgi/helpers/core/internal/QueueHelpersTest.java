package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.helpers.core.internal.TestMaps.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.memory.MemoryAccessException;
import org.junit.jupiter.api.Test;

/** push, pop and peek on real queue and stack maps. */
class QueueHelpersTest {
    private final RunContext run = new RunContext();
    private final MapPushElem push = new MapPushElem();
    private final MapPopElem pop = new MapPopElem();
    private final MapPeekElem peek = new MapPeekElem();
    private final byte[] out = new byte[8];
    private final long outAddress = run.stack(out);

    private long push(long handle, long value, long flags) {
        return push.call(run, handle, run.stack(u64(value)), flags, 0, 0);
    }

    @Test
    void queueIsFifo() {
        long q = run.memory.mapHandle(TestMaps.create("q", TestMaps.QUEUE, 0, 8, 2));
        assertEquals(-Errno.ENOENT, pop.call(run, q, outAddress, 0, 0, 0));
        assertEquals(-Errno.ENOENT, peek.call(run, q, outAddress, 0, 0, 0));
        assertEquals(0, push(q, 1, EbpfMap.ANY));
        assertEquals(0, push(q, 2, EbpfMap.ANY));
        assertEquals(-Errno.E2BIG, push(q, 3, EbpfMap.ANY), "full");
        assertEquals(0, peek.call(run, q, outAddress, 0, 0, 0));
        assertEquals(1, u64(out));
        assertEquals(0, push(q, 3, EbpfMap.EXIST), "BPF_EXIST drops the oldest");
        assertEquals(0, pop.call(run, q, outAddress, 0, 0, 0));
        assertEquals(2, u64(out));
        assertEquals(0, pop.call(run, q, outAddress, 0, 0, 0));
        assertEquals(3, u64(out));
        assertEquals(-Errno.ENOENT, pop.call(run, q, outAddress, 0, 0, 0));
        assertEquals(-Errno.EINVAL, push(q, 4, EbpfMap.NOEXIST));
    }

    @Test
    void stackIsLifo() {
        long s = run.memory.mapHandle(TestMaps.create("s", TestMaps.STACK, 0, 8, 4));
        push(s, 1, EbpfMap.ANY);
        push(s, 2, EbpfMap.ANY);
        assertEquals(0, pop.call(run, s, outAddress, 0, 0, 0));
        assertEquals(2, u64(out));
        assertEquals(0, peek.call(run, s, outAddress, 0, 0, 0));
        assertEquals(1, u64(out));
    }

    @Test
    void badArgumentsFailTheRun() {
        long q = run.memory.mapHandle(TestMaps.create("q", TestMaps.QUEUE, 0, 8, 2));
        long hash = run.memory.mapHandle(TestMaps.create("h", TestMaps.HASH, 4, 8, 2));
        assertThrows(MemoryAccessException.class, () -> pop.call(run, hash, outAddress, 0, 0, 0), "not a queue");
        assertThrows(MemoryAccessException.class, () -> pop.call(run, q, run.stack(new byte[4]), 0, 0, 0), "short value");
        assertThrows(MemoryAccessException.class, () -> pop.call(run, q, run.cString("1234567"), 0, 0, 0), "read-only value");
        assertThrows(MemoryAccessException.class, () -> push.call(run, q, 0, 0, 0, 0), "NULL value");
    }
}

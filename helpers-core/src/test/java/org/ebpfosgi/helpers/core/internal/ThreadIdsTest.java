package org.ebpfosgi.helpers.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThreadIdsTest {
    private final GetCurrentPidTgid helper = new GetCurrentPidTgid();
    private final RunContext run = new RunContext();

    @Test
    void upperHalfIsTheProcessId() {
        long value = helper.call(run, 0, 0, 0, 0, 0);
        assertEquals(ProcessHandle.current().pid(), value >>> 32);
    }

    @Test
    void lowerHalfIsTheKernelThreadId() throws Exception {
        Path self = Path.of("/proc/thread-self");
        long value = helper.call(run, 0, 0, 0, 0, 0);
        if (Files.exists(self)) {
            String link = Files.readSymbolicLink(self).toString();
            long tid = Long.parseLong(link.substring(link.lastIndexOf('/') + 1));
            assertEquals(tid, value & 0xFFFF_FFFFL);
            assertTrue(Files.isDirectory(Path.of("/proc/self/task/" + tid)));
        } else {
            assertEquals(ProcessHandle.current().pid(), value & 0xFFFF_FFFFL);
        }
        assertEquals(value, helper.call(run, 0, 0, 0, 0, 0), "stable within a thread");
    }

    @Test
    void otherThreadsHaveOtherIds() throws Exception {
        long mine = helper.call(run, 0, 0, 0, 0, 0);
        AtomicLong theirs = new AtomicLong();
        Thread thread = new Thread(() -> theirs.set(helper.call(new RunContext(), 0, 0, 0, 0, 0)));
        thread.start();
        thread.join();
        assertEquals(mine >>> 32, theirs.get() >>> 32);
        if (Files.exists(Path.of("/proc/thread-self"))) {
            assertNotEquals(mine & 0xFFFF_FFFFL, theirs.get() & 0xFFFF_FFFFL);
        }
    }
}

package org.ebpfosgi.helpers.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.ebpfosgi.api.memory.MemoryAccessException;
import org.ebpfosgi.helpers.core.CurrentTask;
import org.junit.jupiter.api.Test;

/** The current-task helpers, for the JVM and for a hook that acts for another process. */
class CurrentTaskTest {
    private static final class Supervised implements CurrentTask {
        @Override
        public long pidTgid() {
            return 4321L << 32 | 4322;
        }

        @Override
        public long uidGid() {
            return 100L << 32 | 1000;
        }

        @Override
        public String comm() {
            return "nginx: worker process";
        }
    }

    private final RunContext run = new RunContext();

    @Test
    void aHookCanActForAnotherProcess() {
        run.hookContext = new Supervised();
        assertEquals(4321L << 32 | 4322, new GetCurrentPidTgid().call(run, 0, 0, 0, 0, 0));
        assertEquals(100L << 32 | 1000, new GetCurrentUidGid().call(run, 0, 0, 0, 0, 0));
        byte[] buf = new byte[16];
        assertEquals(0, new GetCurrentComm().call(run, run.stack(buf), 16, 0, 0, 0));
        assertEquals("nginx: worker p", new String(buf, 0, 15, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(0, buf[15]);
    }

    @Test
    void uidGidAreTheJvmsRealIds() throws Exception {
        long value = new GetCurrentUidGid().call(run, 0, 0, 0, 0, 0);
        Path status = Path.of("/proc/self/status");
        if (Files.isReadable(status)) {
            String text = Files.readString(status);
            String uid = text.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1];
            String gid = text.lines().filter(l -> l.startsWith("Gid:")).findFirst().orElseThrow().split("\\s+")[1];
            assertEquals(Long.parseLong(uid), value & 0xFFFF_FFFFL);
            assertEquals(Long.parseLong(gid), value >>> 32);
        } else {
            assertEquals(-Errno.EINVAL, value);
        }
        assertEquals(7L << 32 | 5, ProcessCredentials.parse("Name:\tx\nUid:\t5\t6\t6\t6\nGid:\t7\t8\t8\t8\n"));
        assertThrows(IllegalArgumentException.class, () -> ProcessCredentials.parse("Name:\tx\n"));
    }

    @Test
    void commIsTheJavaThreadsNameCutAndPadded() throws Exception {
        byte[] buf = new byte[20];
        Arrays.fill(buf, (byte) 9);
        AtomicReference<Long> result = new AtomicReference<>();
        Thread thread = new Thread(() -> result.set(new GetCurrentComm().call(run, run.stack(buf), 20, 0, 0, 0)), "xdp-worker-0123456789");
        thread.start();
        thread.join();
        assertEquals(0, result.get());
        byte[] expected = new byte[20];
        System.arraycopy("xdp-worker-0123".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, expected, 0, 15);
        assertArrayEquals(expected, buf, "15 bytes, NUL-padded to size");

        byte[] small = new byte[4];
        assertEquals(0, new GetCurrentComm().call(run, run.stack(small), 4, 0, 0, 0));
        assertEquals(0, small[3]);
        assertThrows(MemoryAccessException.class, () -> new GetCurrentComm().call(run, run.stack(new byte[4]), 5, 0, 0, 0));
    }
}

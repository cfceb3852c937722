package org.ebpfosgi.helpers.core.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Linux ids of the calling thread, as {@code bpf_get_current_pid_tgid} reports them: the process id
 * (tgid) and the kernel thread id. The thread id comes from the {@code /proc/thread-self} link
 * ({@code <pid>/task/<tid>}); a platform thread keeps its kernel thread for life, so it is read once per
 * thread, while a virtual thread reads it on every call (it reports its current carrier). Where
 * /proc/thread-self cannot be read, the thread id is the process id (a single-threaded process's view).
 */
final class ThreadIds {
    static final long PID = ProcessHandle.current().pid();
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();
    private static final ThreadLocal<long[]> CACHED_TID = new ThreadLocal<>();

    private ThreadIds() {
    }

    /** {@code tgid << 32 | tid}. */
    static long currentPidTgid() {
        return PID << 32 | (currentTid() & 0xFFFF_FFFFL);
    }

    static long currentTid() {
        if (isVirtual(Thread.currentThread())) {
            return readTid();
        }
        long[] cached = CACHED_TID.get();
        if (cached == null) {
            cached = new long[] {readTid()};
            CACHED_TID.set(cached);
        }
        return cached[0];
    }

    private static long readTid() {
        try {
            String link = Files.readSymbolicLink(THREAD_SELF).toString();
            return Long.parseLong(link.substring(link.lastIndexOf('/') + 1));
        } catch (IOException | RuntimeException unavailable) {
            return PID;
        }
    }

    private static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable unexpected) {
            throw new IllegalStateException(unexpected);
        }
    }

    /** Thread.isVirtual() exists from Java 19 on; the baseline is 17. */
    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException absent) {
            return null;
        }
    }
}

package org.ebpfosgi.api.map;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The "CPUs" of the platform: per-CPU maps keep one value per CPU, and a thread running a program
 * uses the slot of the CPU it is on. Here a thread is given a slot at its first call (round robin)
 * and keeps it, so a program's per-CPU value is stable for a thread without any locking.
 */
public final class Cpus {
    private static final int COUNT = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final ThreadLocal<Integer> SLOT =
            ThreadLocal.withInitial(() -> Math.floorMod(NEXT.getAndIncrement(), COUNT));

    private Cpus() { }

    /** The number of CPUs (fixed for the life of the JVM: per-CPU maps size their storage by it). */
    public static int count() {
        return COUNT;
    }

    /** The calling thread's CPU, in {@code [0, count())}; the same on every call from one thread. */
    public static int current() {
        return SLOT.get();
    }
}

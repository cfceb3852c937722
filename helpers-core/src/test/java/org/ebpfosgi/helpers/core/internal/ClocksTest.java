package org.ebpfosgi.helpers.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClocksTest {
    private final AtomicLong nanoTime = new AtomicLong(5_000_000_000L);
    private final AtomicLong uptime = new AtomicLong(5_000_000_000L);

    @Test
    void bootTimeAddsSuspendedTimeOnceResampled() {
        Clocks clocks = new Clocks(nanoTime::get, uptime::get);
        assertEquals(5_000_000_000L, clocks.monotonicNanos());
        assertEquals(5_000_000_000L, clocks.bootNanos());

        // The machine sleeps 60 s: CLOCK_BOOTTIME moves on, CLOCK_MONOTONIC does not.
        uptime.addAndGet(60_000_000_000L);
        nanoTime.addAndGet(10_000_000L);
        uptime.addAndGet(10_000_000L);
        assertEquals(5_010_000_000L, clocks.bootNanos(), "not resampled within the second");
        nanoTime.addAndGet(1_000_000_000L);
        uptime.addAndGet(1_000_000_000L);
        assertEquals(66_010_000_000L, clocks.bootNanos());
        assertEquals(6_010_000_000L, clocks.monotonicNanos());
    }

    @Test
    void bootTimeNeverGoesBackNorBelowMonotonic() {
        Clocks clocks = new Clocks(nanoTime::get, uptime::get);
        uptime.addAndGet(32_000_000_000L);
        nanoTime.addAndGet(2_000_000_000L);
        long before = clocks.bootNanos();
        // A coarser or late uptime reading must not pull the offset back.
        uptime.addAndGet(-20_000_000_000L);
        nanoTime.addAndGet(2_000_000_000L);
        long after = clocks.bootNanos();
        assertTrue(after > before);
        assertEquals(clocks.monotonicNanos() + 30_000_000_000L, after);

        uptime.set(0);
        Clocks behind = new Clocks(nanoTime::get, uptime::get);
        assertEquals(behind.monotonicNanos(), behind.bootNanos());
    }

    @Test
    void withoutUptimeBootTimeIsMonotonic() {
        Clocks clocks = new Clocks(nanoTime::get, () -> -1);
        nanoTime.addAndGet(3_000_000_000L);
        assertEquals(clocks.monotonicNanos(), clocks.bootNanos());
    }

    @Test
    void negativeOriginIsShifted() {
        nanoTime.set(-7_000L);
        Clocks clocks = new Clocks(nanoTime::get, () -> -1);
        assertEquals(0, clocks.monotonicNanos());
        nanoTime.addAndGet(500);
        assertEquals(500, clocks.monotonicNanos());
    }

    @Test
    void coarseAndJiffiesTick() {
        nanoTime.set(1_000_000_000L + 3_999_999L);
        Clocks clocks = new Clocks(nanoTime::get, () -> -1);
        assertEquals(1_000_000_000L, clocks.coarseNanos());
        assertEquals(Clocks.INITIAL_JIFFIES + 250, clocks.jiffies64());
        nanoTime.addAndGet(1);
        assertEquals(1_004_000_000L, clocks.coarseNanos());
        assertEquals(Clocks.INITIAL_JIFFIES + 251, clocks.jiffies64());
        assertEquals(4_294_892_296L, Clocks.INITIAL_JIFFIES);
    }

    @Test
    void parsesProcUptime() {
        assertEquals(12_345_670_000_000L, Clocks.parseUptime("12345.67 45678.90\n"));
        assertEquals(3_000_000_000L, Clocks.parseUptime("3\n"));
        assertEquals(1_500_000_000L, Clocks.parseUptime("1.5 2.0"));
        assertThrows(NumberFormatException.class, () -> Clocks.parseUptime("-1.00 2.00"));
        assertThrows(NumberFormatException.class, () -> Clocks.parseUptime("abc"));
        assertThrows(NumberFormatException.class, () -> Clocks.parseUptime("1. 2"));
    }

    @Test
    void systemClocksAgreeWithTheMachine() {
        long uptimeBefore = Clocks.procUptimeNanos();
        RunContext run = new RunContext();
        long ns = new KtimeGetNs().call(run, 0, 0, 0, 0, 0);
        long boot = new KtimeGetBootNs().call(run, 0, 0, 0, 0, 0);
        long coarse = new KtimeGetCoarseNs().call(run, 0, 0, 0, 0, 0);
        long jiffies = new Jiffies64().call(run, 0, 0, 0, 0, 0);
        long ns2 = new KtimeGetNs().call(run, 0, 0, 0, 0, 0);
        long uptimeAfter = Clocks.procUptimeNanos();
        assertTrue(ns > 0 && ns2 >= ns);
        assertTrue(boot >= ns, "boot time includes monotonic time");
        assertTrue(coarse <= ns2 && coarse % Clocks.NANOS_PER_TICK == 0);
        assertTrue(jiffies >= Clocks.INITIAL_JIFFIES);
        if (uptimeBefore >= 0) {
            // /proc/uptime is CLOCK_BOOTTIME in 10 ms steps.
            assertTrue(boot >= uptimeBefore - 10_000_000L && boot <= uptimeAfter + 10_000_000L,
                    "boot " + boot + " vs uptime " + uptimeBefore + ".." + uptimeAfter);
        }
    }
}

package org.ebpfosgi.helpers.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The kernel clocks programs read, derived from the JVM's monotonic clock.
 *
 * <ul>
 * <li>monotonic ({@code ktime_get_ns}, CLOCK_MONOTONIC): {@link System#nanoTime()}, which HotSpot on Linux
 * reads from CLOCK_MONOTONIC itself, so values agree with the kernel's; shifted only if the JVM's origin
 * would make them negative.</li>
 * <li>boot ({@code ktime_get_boot_ns}, CLOCK_BOOTTIME): monotonic plus the time the machine spent
 * suspended. Java has no CLOCK_BOOTTIME, so the suspended time is estimated as the largest
 * {@code /proc/uptime - monotonic} seen (uptime is CLOCK_BOOTTIME in 10 ms steps), re-read at most once
 * a second. Never less than monotonic, never decreasing; a suspend shows up within about a second.
 * Without /proc/uptime it equals monotonic.</li>
 * <li>coarse ({@code ktime_get_coarse_ns}): monotonic at tick granularity, as CLOCK_MONOTONIC_COARSE
 * advances once per tick.</li>
 * <li>jiffies ({@code jiffies64}): ticks of {@link #HZ} since boot, starting from Linux's
 * {@code INITIAL_JIFFIES}.</li>
 * </ul>
 */
final class Clocks {
    /** Debian's kernels run with CONFIG_HZ=250; programs only use it to convert jiffies to time. */
    static final int HZ = 250;
    static final long NANOS_PER_TICK = 1_000_000_000L / HZ;
    /** Linux starts jiffies 5 minutes before wrap-around to shake out wrap bugs: (u32)(-300 * HZ). */
    static final long INITIAL_JIFFIES = (-300L * HZ) & 0xFFFF_FFFFL;
    private static final long RESAMPLE_NANOS = 1_000_000_000L;
    private static final Path UPTIME = Path.of("/proc/uptime");

    static final Clocks SYSTEM = new Clocks(System::nanoTime, Clocks::procUptimeNanos);

    private final LongSupplier nanoTime;
    private final LongSupplier uptimeNanos;
    private final long shift;
    private final AtomicLong suspendedNanos = new AtomicLong();
    private volatile long nextSample;
    private volatile boolean uptimeAvailable = true;

    /** {@code uptimeNanos} returns CLOCK_BOOTTIME or a negative value if it cannot tell. */
    Clocks(LongSupplier nanoTime, LongSupplier uptimeNanos) {
        this.nanoTime = nanoTime;
        this.uptimeNanos = uptimeNanos;
        long now = nanoTime.getAsLong();
        this.shift = now < 0 ? -now : 0;
        sample(monotonicNanos());
    }

    long monotonicNanos() {
        return nanoTime.getAsLong() + shift;
    }

    long bootNanos() {
        long now = monotonicNanos();
        if (uptimeAvailable && now - nextSample >= 0) {
            sample(now);
        }
        return now + suspendedNanos.get();
    }

    long coarseNanos() {
        long now = monotonicNanos();
        return now - now % NANOS_PER_TICK;
    }

    long jiffies64() {
        return INITIAL_JIFFIES + monotonicNanos() / NANOS_PER_TICK;
    }

    private void sample(long monotonic) {
        nextSample = monotonic + RESAMPLE_NANOS;
        long uptime = uptimeNanos.getAsLong();
        if (uptime < 0) {
            uptimeAvailable = false;
            return;
        }
        long suspended = uptime - monotonic;
        suspendedNanos.accumulateAndGet(suspended, Math::max);
    }

    /** CLOCK_BOOTTIME from the first field of /proc/uptime ("seconds.centiseconds"), or -1. */
    static long procUptimeNanos() {
        try {
            return parseUptime(new String(Files.readAllBytes(UPTIME), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException unavailable) {
            return -1;
        }
    }

    static long parseUptime(String text) {
        int space = text.indexOf(' ');
        String first = space < 0 ? text.trim() : text.substring(0, space);
        int dot = first.indexOf('.');
        long seconds = Long.parseLong(dot < 0 ? first : first.substring(0, dot));
        long nanos = 0;
        if (dot >= 0) {
            String fraction = first.substring(dot + 1);
            if (fraction.isEmpty() || fraction.length() > 9) {
                throw new NumberFormatException("uptime fraction: " + first);
            }
            nanos = Long.parseLong(fraction);
            for (int i = fraction.length(); i < 9; i++) {
                nanos *= 10;
            }
        }
        if (seconds < 0 || nanos < 0) {
            throw new NumberFormatException("negative uptime: " + first);
        }
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
    }
}

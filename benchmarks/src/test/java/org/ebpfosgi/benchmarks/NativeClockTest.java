package org.ebpfosgi.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The clock gauge of {@code bin/bench --calibrate}: it builds, runs and reads the README's native harness. */
class NativeClockTest {
    @Test
    void gaugesTheClockWithTheReadmesNativeFnv1a() throws Exception {
        NativeClock clock = NativeClock.measure();
        // The README's native fnv1a rows: gcc 1,653 ns, clang 1,671 ns, whichever compiler built the gauge.
        double reference = clock.fnv1aNs() * clock.factor();
        assertTrue(Math.abs(reference - 1653) < 1e-6 || Math.abs(reference - 1671) < 1e-6, "reference fnv1a " + reference);
        assertEquals(NativeClock.FNV1A_CYCLES / reference, clock.referenceGigahertz(), 1e-9);
        // A 6,000-cycle chain: any clock a machine of this kind runs at lies well inside this range.
        assertTrue(clock.gigahertz() > 0.5 && clock.gigahertz() < 8, clock.describe());
        assertTrue(clock.describe().contains("GHz here"), clock.describe());
    }
}

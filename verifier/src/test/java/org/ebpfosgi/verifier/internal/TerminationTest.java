package org.ebpfosgi.verifier.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.ebpfosgi.api.program.ContextDescriptor;
import org.ebpfosgi.api.verifier.Diagnostic;
import org.ebpfosgi.isa.Assembler;
import org.junit.jupiter.api.Test;

/** Loops: which ones the verifier proves to end, and that the others are reported, not rejected. */
class TerminationTest {
    private static final Platform PLATFORM = new Platform(ContextDescriptor.plain(16), List.of(), Map.of(), List.of());

    private static AnalysisResult analyze(String text) {
        return Analysis.analyze(Assembler.assemble(text), PLATFORM);
    }

    private static void assertTerminates(String text) {
        AnalysisResult r = analyze(text);
        assertTrue(r.safe(), r.diagnostics().toString());
        assertTrue(r.terminates(), "termination should be proven: " + r.diagnostics());
        assertTrue(r.diagnostics().isEmpty(), r.diagnostics().toString());
    }

    private static void assertUnproven(String text) {
        AnalysisResult r = analyze(text);
        assertTrue(r.safe(), "an unproven loop is a warning, not an error: " + r.diagnostics());
        assertFalse(r.terminates());
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.severity() == Diagnostic.Severity.WARNING
                && d.message().startsWith("termination of the loop starting here is not proven")), r.diagnostics().toString());
    }

    @Test
    void countingUpToAConstant() {
        assertTerminates("""
                r1 = 0
                <loop>:
                r1 += 1
                if r1 < 100 goto <loop>
                r0 = 0
                exit
                """);
    }

    @Test
    void countingDownToZeroWithNotEqual() {
        assertTerminates("""
                r1 = 10
                <loop>:
                r1 -= 1
                if r1 != 0 goto <loop>
                r0 = r1
                exit
                """);
    }

    @Test
    void clangsThirtyTwoBitCounterComparedThroughShifts() {
        // The shape of ../shared/samples/build/bounded_loop.o: a 64-bit counter, its low half tested for equality.
        assertTerminates("""
                r6 = 0
                <head>:
                r6 += 1
                r1 = r6
                r1 <<= 32
                r1 >>= 32
                if r1 == 1000 goto <out>
                goto <head>
                <out>:
                r0 = 0
                exit
                """);
    }

    @Test
    void aBoundInAnotherRegisterTheLoopDoesNotChange() {
        assertTerminates("""
                r2 = *(u32 *)(r1 + 0)
                if r2 > 64 goto <out>
                r3 = 0
                <loop>:
                r3 += 2
                if r3 < r2 goto <loop>
                <out>:
                r0 = 0
                exit
                """);
    }

    @Test
    void nestedLoopsMultiply() {
        assertTerminates("""
                r1 = 0
                <outer>:
                r2 = 0
                <inner>:
                r2 += 1
                if r2 < 100 goto <inner>
                r1 += 1
                if r1 < 100 goto <outer>
                r0 = 0
                exit
                """);
        // 100,000 x 100,000 iterations: too many to count as terminating.
        assertUnproven("""
                r1 = 0
                <outer>:
                r2 = 0
                <inner>:
                r2 += 1
                if r2 < 100000 goto <inner>
                r1 += 1
                if r1 < 100000 goto <outer>
                r0 = 0
                exit
                """);
    }

    @Test
    void aLoopThatNeverMoves() {
        assertUnproven("""
                r1 = 0
                <loop>:
                r1 += 0
                if r1 < 100 goto <loop>
                r0 = 0
                exit
                """);
        assertUnproven("""
                r0 = 0
                <loop>:
                goto <loop>
                """);
    }

    @Test
    void aCounterMovingAwayFromItsBound() {
        assertUnproven("""
                r1 = 50
                <loop>:
                r1 -= 1
                if r1 < 100 goto <loop>
                r0 = 0
                exit
                """);
    }

    @Test
    void aTestSkippedOnSomeIterationsProvesNothing() {
        assertUnproven("""
                r2 = *(u32 *)(r1 + 0)
                r1 = 0
                <loop>:
                r1 += 1
                if r2 == 0 goto <loop>
                if r1 < 100 goto <loop>
                r0 = 0
                exit
                """);
    }

    @Test
    void aCounterThatMayGoEitherWay() {
        assertUnproven("""
                r4 = *(u32 *)(r1 + 0)
                r1 = 0
                <loop>:
                if r4 == 0 goto <down>
                r1 += 1
                goto <test>
                <down>:
                r1 -= 1
                <test>:
                if r1 < 100 goto <loop>
                r0 = 0
                exit
                """);
    }

    @Test
    void aWrappingBoundIsNotTrusted() {
        // r1 <= UINT64_MAX always holds: the loop never ends.
        assertUnproven("""
                r1 = 0
                r2 = -1
                <loop>:
                r1 += 1
                if r1 <= r2 goto <loop>
                r0 = 0
                exit
                """);
    }

    @Test
    void programsWithoutLoopsTerminate() {
        AnalysisResult r = analyze("r0 = 1\nexit\n");
        assertTrue(r.terminates());
        assertEquals(List.of(), r.diagnostics());
    }
}

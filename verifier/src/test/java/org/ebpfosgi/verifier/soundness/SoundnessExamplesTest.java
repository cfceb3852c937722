package org.ebpfosgi.verifier.soundness;

import static org.junit.jupiter.api.Assertions.assertNull;

import org.ebpfosgi.api.verifier.VerificationResult;
import org.ebpfosgi.isa.Assembler;
import org.ebpfosgi.isa.Disassembler;
import org.ebpfosgi.verifier.IntervalVerifier;
import org.junit.jupiter.api.Test;

/**
 * Programs that misbehaved at run time after the verifier accepted them (found by {@link SoundnessFuzzTest},
 * shrunk), and close relatives: each must be rejected, or run without violating what the verifier
 * promises (see {@link SoundnessWorld}).
 */
class SoundnessExamplesTest {
    private final SoundnessWorld world = new SoundnessWorld();
    private final IntervalVerifier verifier = new IntervalVerifier();

    /** Rejected, or accepted and safe on every input. */
    private void rejectedOrSafe(String asm) {
        long[] words = Assembler.assemble(asm);
        VerificationResult result = verifier.verify(world.image(words));
        if (!result.accepted()) {
            return;
        }
        SoundnessWorld.Violation v = world.check(words).violation();
        assertNull(v, () -> "accepted, but " + v + "\n" + Disassembler.disassemble(words) + result.report());
    }

    @Test
    void aShiftByAnUnknownAmountOf32BitsCanReachZero() {
        // w2 s>>= w3 with w3 unknown: 64 >> (0..31) is anywhere in [0, 64], not 64.
        rejectedOrSafe("""
                r2 = 64
                r3 = *(u32 *)(r1 + 12)
                w2 s>>= w3
                r4 = r10
                r4 -= r2
                *(u64 *)(r4 + 0) = 1
                r0 = 0
                exit
                """);
    }

    @Test
    void aShiftByAnUnknownAmountOf32BitsKeepsTheSignOnly() {
        rejectedOrSafe("""
                r2 = *(u32 *)(r1 + 12)
                r2 &= 7
                r2 += 56
                r3 = *(u32 *)(r1 + 16)
                w2 s>>= w3
                r4 = r10
                r4 += -568
                r4 += r2
                *(u64 *)(r4 + 0) = 1
                r0 = 0
                exit
                """);
    }

    @Test
    void aHelperWritesOnlyIntoTheProgramsOwnFrame() {
        // bpf_get_current_comm writes 16 bytes at r10-600: below the program's 512-byte frame.
        rejectedOrSafe("""
                r1 = r10
                r1 += -600
                r2 = 16
                call 16
                r0 = 0
                exit
                """);
    }

    @Test
    void aPointerSpilledAtAVariableOffsetIsNoNumber() {
        // r10 stored at r10-16 or r10-8 (which one depends on the context), read back as a number and returned.
        rejectedOrSafe("""
                *(u64 *)(r10 - 8) = 0
                *(u64 *)(r10 - 16) = 0
                r2 = *(u32 *)(r1 + 12)
                r2 &= 8
                r3 = r10
                r3 += -16
                r3 += r2
                *(u64 *)(r3 + 0) = r10
                r0 = *(u64 *)(r10 - 16)
                exit
                """);
    }

    @Test
    void aMapValueReadAtAVariableStackOffsetHoldsNoPointer() {
        // The value handed to bpf_map_update_elem is r10-24 or r10-16, where r10 itself is spilled.
        rejectedOrSafe("""
                *(u64 *)(r10 - 8) = 1
                *(u64 *)(r10 - 16) = r10
                *(u64 *)(r10 - 24) = 0
                r3 = *(u32 *)(r1 + 12)
                r3 &= 8
                r3 += r10
                r3 += -24
                r2 = r10
                r2 += -8
                r1 = map_fd 1
                r4 = 0
                call 2
                r0 = 0
                exit
                """);
    }

    @Test
    void directValueAccessNeedsAMapWithAValueAtKeyZero() {
        // lddw src=2 into the hash map (#1): the interpreter has no value to point at and refuses the program.
        rejectedOrSafe("""
                r0 = 1
                r8 = map_val(1) + 0
                exit
                """);
    }

    @Test
    void anAtomicAddOnASpilledPointerLeavesNoNumberToReturn() {
        rejectedOrSafe("""
                *(u64 *)(r10 - 8) = r10
                r1 = 0
                lock *(u64 *)(r10 - 8) += r1
                r0 = *(u64 *)(r10 - 8)
                exit
                """);
    }

    @Test
    void bitsOfAPointerAreNotANumberToReturn() {
        // r0 = 8 | data: the value is the packet pointer itself (data's offset is 0).
        rejectedOrSafe("""
                r7 = *(u32 *)(r1 + 0)
                r0 = 8
                r0 |= r7
                exit
                """);
    }
}

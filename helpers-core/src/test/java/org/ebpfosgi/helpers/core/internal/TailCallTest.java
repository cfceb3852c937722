package org.ebpfosgi.helpers.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.ebpfosgi.api.map.ProgramArrayMap;
import org.ebpfosgi.api.memory.MemoryAccessException;
import org.junit.jupiter.api.Test;

class TailCallTest {
    private final RunContext run = new RunContext();
    private final TailCall tailCall = new TailCall();
    private final ProgramArrayMap programs = (ProgramArrayMap) TestMaps.create("jmp", TestMaps.PROG_ARRAY, 4, 4, 4);
    private final long handle = run.memory.mapHandle(programs);
    private final Object target = "program two";

    @Test
    void requestsTheJumpWhenTheSlotHoldsAProgram() {
        programs.setProgram(2, target);
        assertEquals(0, tailCall.call(run, 0, handle, 2, 0, 0));
        assertEquals(List.of(target), run.tailCalls);
    }

    @Test
    void emptyOrOutOfRangeSlotsLetTheProgramGoOn() {
        programs.setProgram(2, target);
        assertEquals(-Errno.ENOENT, tailCall.call(run, 0, handle, 1, 0, 0));
        assertEquals(-Errno.ENOENT, tailCall.call(run, 0, handle, 4, 0, 0));
        assertEquals(-Errno.ENOENT, tailCall.call(run, 0, handle, 0xFFFF_FFFFL, 0, 0));
        assertEquals(0, tailCall.call(run, 0, handle, 0x1_0000_0002L, 0, 0), "the index is a u32");
        assertEquals(1, run.tailCalls.size());
    }

    @Test
    void theEnginesLimitStopsTheChain() {
        programs.setProgram(0, target);
        run.tailCallBudget = 1;
        assertEquals(0, tailCall.call(run, 0, handle, 0, 0, 0));
        assertEquals(-Errno.E2BIG, tailCall.call(run, 0, handle, 0, 0, 0));
    }

    @Test
    void onlyProgramArraysQualify() {
        long hash = run.memory.mapHandle(TestMaps.create("h", TestMaps.HASH, 4, 4, 4));
        assertThrows(MemoryAccessException.class, () -> tailCall.call(run, 0, hash, 0, 0, 0));
    }
}

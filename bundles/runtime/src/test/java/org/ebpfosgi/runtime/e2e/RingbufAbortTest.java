package org.ebpfosgi.runtime.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionEngine;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.RingBufferMap;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.program.ContextDescriptor;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.helpers.core.CoreHelpers;
import org.ebpfosgi.interpreter.InterpreterEngine;
import org.ebpfosgi.isa.Assembler;
import org.ebpfosgi.maps.MapProviders;
import org.junit.jupiter.api.Test;

/**
 * A program that reserves a ring buffer record and never submits it (a buggy unverified program, or a
 * run aborted half way) must not wedge the ring: the record is discarded when the run ends, so the
 * consumer gets every later record.
 */
class RingbufAbortTest {
    private static final int RINGBUF = 27;

    private final RingBufferMap ring = (RingBufferMap) MapProviders.create(MapDefinition.of("events", RINGBUF, 0, 0, 4096));
    private final Map<Integer, Helper> helpers = byId(CoreHelpers.all());

    private static Map<Integer, Helper> byId(List<Helper> all) {
        java.util.HashMap<Integer, Helper> map = new java.util.HashMap<>();
        all.stream().filter(h -> h.id() > 0).forEach(h -> map.put(h.id(), h));
        return map;
    }

    private ExecutableProgram program(String source) {
        ProgramImage image = new ProgramImage("t", "raw", ContextDescriptor.plain(0), Assembler.assemble(source),
                List.of(ring), helpers, List.of());
        return SampleRuntime.engine(InterpreterEngine.DEFAULT_BUDGET).load(image, false);
    }

    private long run(ExecutableProgram p) {
        Memory m = p.memory();
        return p.run(m, 0, 0, null);
    }

    @Test
    void recordsForgottenByARunOrLeftByAnAbortDoNotHoldBackTheRing() throws InterruptedException {
        ExecutableProgram forgets = program(String.join("\n",
                "r1 = map_fd 0", "r2 = 8", "r3 = 0", "call 131", "r0 = 0", "exit"));
        ExecutableProgram abortsHoldingOne = program(String.join("\n",
                "r1 = map_fd 0", "r2 = 8", "r3 = 0", "call 131",
                "r1 = 0", "r0 = *(u64 *)(r1 + 0)", "exit"));
        ExecutableProgram outputs = program(String.join("\n",
                "r1 = 7", "*(u64 *)(r10 - 8) = r1",
                "r1 = map_fd 0", "r2 = r10", "r2 += -8", "r3 = 8", "r4 = 0", "call 130", "exit"));

        assertEquals(0, run(forgets));
        assertThrows(ExecutionException.class, () -> run(abortsHoldingOne), "a NULL read aborts the run");
        assertEquals(0, run(outputs));

        Optional<byte[]> record = ring.pollRecord(1, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {7, 0, 0, 0, 0, 0, 0, 0}, record.orElseThrow(
                () -> new AssertionError("the output record never reached the consumer: the ring is wedged")));
        assertEquals(0, ring.query(RingBufferMap.AVAIL_DATA), "nothing else is pending");
    }
}

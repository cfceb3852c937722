package org.ebpfosgi.runtime.e2e;

import static org.ebpfosgi.runtime.e2e.SampleRuntime.program;
import static org.ebpfosgi.runtime.e2e.SampleRuntime.run;
import static org.ebpfosgi.runtime.e2e.SampleRuntime.u16;
import static org.ebpfosgi.runtime.e2e.SampleRuntime.u32;
import static org.ebpfosgi.runtime.e2e.SampleRuntime.value64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapOfMaps;
import org.ebpfosgi.api.map.ProgramArrayMap;
import org.ebpfosgi.api.runtime.LoadException;
import org.ebpfosgi.api.runtime.LoadOptions;
import org.ebpfosgi.api.runtime.Program;
import org.junit.jupiter.api.Test;

/** Load options, pins, unload and helper hot-plug, on the sample objects. */
class LifecycleTest {
    private static final String PIN = "/sys/fs/bpf/shared_counter";

    private final SampleRuntime rt = new SampleRuntime();

    @Test
    void loadingWithoutAVerifierNeedsTheUnverifiedOption() {
        LoadException e = assertThrows(LoadException.class, () -> rt.runtime.load(rt.open("udp_ports"), LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("no verifier is registered"), e.getMessage());
        assertTrue(e.getMessage().contains("unverified"), "the message names the way out: " + e.getMessage());
        assertTrue(rt.runtime.programs().isEmpty(), "nothing stays loaded");
        assertTrue(rt.runtime.maps().isEmpty(), "the object's maps are gone again: " + rt.runtime.maps());
    }

    @Test
    void anUnknownEngineIsRefusedByName() {
        LoadException e = assertThrows(LoadException.class,
                () -> rt.runtime.load(rt.open("udp_ports"), SampleRuntime.UNVERIFIED.engine("warp-drive")));
        assertTrue(e.getMessage().contains("warp-drive"), e.getMessage());
        assertTrue(rt.runtime.maps().isEmpty());
    }

    @Test
    void pinnedByNameMapIsSharedByASecondLoadOfTheObject() {
        Program first = program(rt.load("pinned"), "bump_shared");
        Object pinned = rt.runtime.pinned(PIN).orElseThrow(() -> new AssertionError("LIBBPF_PIN_BY_NAME map not pinned at " + PIN));
        EbpfMap map = (EbpfMap) pinned;
        assertEquals(1, run(first, new byte[0]));
        assertEquals(2, run(first, new byte[0]));
        Program second = program(rt.load("pinned"), "bump_shared");
        assertEquals(1, rt.runtime.maps().size(), "the second load reused the pinned map");
        assertEquals(3, run(second, new byte[0]));
        assertEquals(4, run(first, new byte[0]));
        assertEquals(4, value64(map, u32(0)));
        // The pin outlives both programs.
        rt.runtime.unload(first);
        rt.runtime.unload(second);
        assertSame(map, rt.runtime.pinned(PIN).orElseThrow());
        Program third = program(rt.load("pinned"), "bump_shared");
        assertEquals(5, run(third, new byte[0]));
        // Unpinned, the next load makes a fresh map.
        rt.runtime.unpin(PIN);
        assertFalse(rt.runtime.pinned(PIN).isPresent());
        Program fourth = program(rt.load("pinned"), "bump_shared");
        assertEquals(1, run(fourth, new byte[0]));
        assertEquals(6, run(third, new byte[0]), "the old map lives on for the program that holds it");
        assertTrue(rt.runtime.pinned(PIN).isPresent() && rt.runtime.pinned(PIN).get() != map, "the fresh map is pinned");
        rt.runtime.unpin(PIN);
        assertThrows(IllegalStateException.class, () -> rt.runtime.unpin(PIN), "ENOENT");
        // A map goes when nothing holds it any more: its last program unloaded, and no pin.
        assertEquals(2, rt.runtime.maps().size(), "the old map (third's) and the fresh one (fourth's)");
        rt.runtime.unload(third);
        assertEquals(1, rt.runtime.maps().size(), "the old map went with the last program that held it");
        assertEquals(0, rt.runtime.mapId(map));
        assertThrows(RuntimeException.class, () -> map.lookup(u32(0)), "a released map is closed");
        rt.runtime.unload(fourth);
        assertTrue(rt.runtime.maps().isEmpty(), "no program or pin holds a map: " + rt.runtime.maps());
    }

    @Test
    void aHeldMapOfMapsHoldsItsInnerMaps() {
        List<Program> programs = rt.load("map_in_map");
        EbpfMap outerHash = rt.map("outer_hash");
        EbpfMap innerB = rt.map("inner_b");
        rt.runtime.pin("/sys/fs/bpf/e2e/outer_hash", outerHash);
        programs.forEach(rt.runtime::unload);
        // outer_hash holds inner_b at key 3; outer_array (inner_a, inner_b) and inner_a have no holder left.
        assertEquals(List.of("inner_b", "outer_hash"),
                rt.runtime.maps().stream().map(m -> m.definition().name()).sorted().toList());
        assertSame(innerB, ((MapOfMaps) outerHash).innerMap(u32(3)));
        rt.runtime.unpin("/sys/fs/bpf/e2e/outer_hash");
        assertTrue(rt.runtime.maps().isEmpty(), rt.runtime.maps().toString());
    }

    @Test
    void aPinnedMapOutlivesItsProgramsUntilUnpinned() {
        Program counter = program(rt.load("pinned"), "bump_shared");
        EbpfMap map = (EbpfMap) rt.runtime.pinned(PIN).orElseThrow();
        assertEquals(1, run(counter, new byte[0]));
        rt.runtime.unload(counter);
        assertEquals(List.of(map), rt.runtime.maps(), "the pin holds it");
        assertEquals(1, value64(map, u32(0)));
        rt.runtime.unpin(PIN);
        assertTrue(rt.runtime.maps().isEmpty(), "unpinned with no program left, it goes: " + rt.runtime.maps());
    }

    @Test
    void incompatiblePinnedMapIsRejected() {
        rt.load("pinned");
        int mapsBefore = rt.runtime.maps().size();
        LoadException e = assertThrows(LoadException.class, () -> rt.runtime.load(rt.open("pinned_conflict"), SampleRuntime.UNVERIFIED));
        assertTrue(e.getMessage().contains(PIN), e.getMessage());
        assertTrue(e.getMessage().contains("value 8") && e.getMessage().contains("value 4"), "says what differs: " + e.getMessage());
        assertEquals(mapsBefore, rt.runtime.maps().size());
        assertEquals(1, rt.runtime.programs().size(), "only the first object's program is loaded");
    }

    @Test
    void pinAndUnpinProgramsAndMapsFromJava() {
        Program parser = program(rt.load("udp_ports"), "udp_count");
        EbpfMap counts = rt.map("port_counts");
        rt.runtime.pin("/sys/fs/bpf/e2e/parser", parser);
        rt.runtime.pin("/sys/fs/bpf/e2e/counts", counts);
        assertSame(parser, rt.runtime.pinned("/sys/fs/bpf/e2e/parser").orElseThrow());
        assertSame(counts, rt.runtime.pinned("/sys/fs/bpf/e2e/counts").orElseThrow());
        assertThrows(IllegalStateException.class, () -> rt.runtime.pin("/sys/fs/bpf/e2e/parser", counts), "EEXIST");
        assertThrows(IllegalArgumentException.class, () -> rt.runtime.pin("relative/path", counts));
        assertThrows(IllegalArgumentException.class, () -> rt.runtime.pin("/sys/fs/bpf/../x", counts));
        rt.runtime.unload(parser);
        assertFalse(rt.runtime.pinned("/sys/fs/bpf/e2e/parser").isPresent(), "an unloaded program loses its pins");
        assertNull(parser.executable());
        assertThrows(IllegalStateException.class, () -> run(parser, new byte[0]));
        rt.runtime.unpin("/sys/fs/bpf/e2e/counts");
        assertFalse(rt.runtime.pinned("/sys/fs/bpf/e2e/counts").isPresent());
    }

    @Test
    void removingAHelperParksTheProgramsThatCallItUntilItReturns() {
        Program parser = program(rt.load("udp_ports"), "udp_count");
        Program spare = program(rt.load("tailcall"), "slot_spare"); // calls no helper
        byte[] dns = ProgramSamplesTest.udpPacket(1000, 53, new byte[4]);
        assertEquals(2, run(parser, dns));
        Helper lookup = rt.helpers.stream().filter(h -> h.id() == 1).findFirst().orElseThrow();

        rt.runtime.removeHelper(lookup);
        assertNull(parser.executable());
        assertTrue(parser.status().contains("waiting for helper bpf_map_lookup_elem (1)"), parser.status());
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> run(parser, dns));
        assertTrue(refused.getMessage().contains("waiting for helper bpf_map_lookup_elem (1)"), refused.getMessage());
        assertNotNull(spare.executable(), "a program that does not call it is untouched");
        assertEquals(102, run(spare, new byte[0]));
        // Maps stay: counts survive while the program waits.
        assertEquals(1, value64(rt.map("port_counts"), u16(53)));

        rt.runtime.addHelper(lookup, Map.of());
        assertNotNull(parser.executable());
        assertEquals(SampleRuntime.LOADED, parser.status());
        assertEquals(2, run(parser, dns));
        assertEquals(2, value64(rt.map("port_counts"), u16(53)));
        assertEquals(2, parser.stats().runCount(), "stats survive the wait");
    }

    @Test
    void programsLoadedWhileAHelperIsMissingWaitForIt() {
        List<Helper> ringHelpers = rt.helpers.stream().filter(h -> h.name().startsWith("bpf_ringbuf")).toList();
        assertEquals(5, ringHelpers.size(), "bpf_ringbuf_output/reserve/submit/discard/query: " + ringHelpers);
        ringHelpers.forEach(rt.runtime::removeHelper);
        List<Program> programs;
        try {
            programs = rt.runtime.load(rt.open("ringbuf"), SampleRuntime.UNVERIFIED);
        } catch (LoadException e) {
            throw new AssertionError(e);
        }
        Program emit = program(programs, "emit");
        assertNull(emit.executable());
        assertTrue(emit.status().startsWith("waiting for helper"), emit.status());
        ringHelpers.forEach(h -> rt.runtime.addHelper(h, Map.of()));
        assertEquals(SampleRuntime.LOADED, emit.status());
        assertEquals(2, run(emit, u32(1)));
    }

    @Test
    void removingTheEngineParksEveryProgramAndTailCallSlotsComeBackWithIt() {
        List<Program> programs = rt.load("tailcall");
        Program dispatch = program(programs, "dispatch");
        assertEquals(100, run(dispatch, new byte[] {0}));
        rt.runtime.removeEngine(rt.engine);
        for (Program p : programs) {
            assertNull(p.executable(), p.name());
            assertTrue(p.status().startsWith("waiting for execution engine"), p.status());
        }
        rt.runtime.addEngine(rt.engine, Map.of());
        assertEquals(SampleRuntime.LOADED, dispatch.status());
        assertEquals(100, run(dispatch, new byte[] {0}), "slot 0 holds slot_zero again");
        assertEquals(101, run(dispatch, new byte[] {1}));
    }

    @Test
    void tailCallSlotsSurviveTheirTargetWaitingForAHelper() {
        List<Program> programs = rt.load("tailcall");
        Program dispatch = program(programs, "dispatch");
        Helper tailCall = rt.helpers.stream().filter(h -> h.id() == 12).findFirst().orElseThrow();
        rt.runtime.removeHelper(tailCall);
        assertTrue(dispatch.status().contains("waiting for helper bpf_tail_call (12)"), dispatch.status());
        assertNotNull(program(programs, "slot_zero").executable(), "slot_zero calls no helper");
        rt.runtime.addHelper(tailCall, Map.of());
        assertEquals(100, run(dispatch, new byte[] {0}));
    }

    /**
     * A program in its own tail-call table reaches itself from its per-thread run state (state, code,
     * maps, table, program): the cycle a thread-local value must not form, or the program would stay
     * as long as the thread. Unloading empties the slots that hold the program, and the table goes
     * with its last program.
     */
    @Test
    void aProgramInItsOwnTailCallTableIsCollectedAfterUnload() throws InterruptedException {
        WeakReference<Object> ref = runSelfTailCallingProgramThenUnload();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (ref.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(ref.get(), "the unloaded program is still reachable after it ran on this thread");
    }

    private WeakReference<Object> runSelfTailCallingProgramThenUnload() {
        List<Program> programs = rt.load("tailcall");
        Program dispatch = program(programs, "dispatch");
        ProgramArrayMap table = (ProgramArrayMap) rt.map("jump_table");
        table.update(u32(2), u32(dispatch.id()), EbpfMap.ANY);
        assertEquals(7, run(dispatch, new byte[] {2}), "dispatch tail-calls itself up to the limit, then falls through");
        WeakReference<Object> ref = new WeakReference<>(table.program(2)); // the engine's program, as the table holds it
        assertNotNull(ref.get());
        programs.forEach(rt.runtime::unload);
        assertTrue(rt.runtime.maps().isEmpty(), "the table went with its programs: " + rt.runtime.maps());
        assertNull(table.program(2), "a released table is empty");
        return ref;
    }
}

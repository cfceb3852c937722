package org.ebpfosgi.runtime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.api.program.ContextDescriptor;
import org.ebpfosgi.api.program.ProgramSlot;
import org.ebpfosgi.api.program.ProgramTypeProvider;
import org.ebpfosgi.api.program.TestContext;
import org.ebpfosgi.api.runtime.Link;
import org.ebpfosgi.api.runtime.LoadException;
import org.ebpfosgi.api.runtime.Program;
import org.junit.jupiter.api.Test;

/**
 * Links through a hook registered as a program type provider, the way hook bundles will: attach,
 * events, atomic replace, the hook leaving and coming back, detach, unload.
 */
class LinkTest {
    /** A minimal XDP-like hook: one attach point; {@link #fire} runs every attached program on a frame. */
    static final class TestHook implements ProgramTypeProvider {
        final List<ProgramSlot> slots = new CopyOnWriteArrayList<>();
        int attachCalls;

        @Override public String name() { return "xdp"; }
        @Override public List<String> sectionPrefixes() { return List.of("xdp"); }
        @Override public ContextDescriptor context() { return new ContextDescriptor(24, 0, 4, 8); }
        @Override public List<String> attachPoints() { return List.of("test0"); }

        @Override
        public AutoCloseable attach(String attachPoint, ProgramSlot slot) {
            attachCalls++;
            slots.add(slot);
            return () -> slots.remove(slot);
        }

        @Override
        public TestContext testContext(Memory memory, byte[] dataIn, byte[] contextIn) {
            Region frame = Region.of(Region.Kind.PACKET, "frame", dataIn.clone());
            long start = memory.map(frame);
            long ctx = memory.map(Region.of(Region.Kind.CONTEXT, "xdp_md", new byte[24]));
            memory.setPointerField(ctx, start);
            memory.setPointerField(ctx + 4, start + dataIn.length);
            return new TestContext() {
                @Override public long contextAddress() { return ctx; }
                @Override public byte[] dataOut() { return Arrays.copyOf(frame.bytes(), frame.length()); }
            };
        }

        /** Verdicts of every attached program for one frame; -1 for a detached slot, -2 for an abort. */
        List<Long> fire(byte[] frame) {
            List<Long> verdicts = new ArrayList<>();
            for (ProgramSlot slot : slots) {
                ExecutableProgram program = slot.current();
                if (program == null) {
                    verdicts.add(-1L);
                    continue;
                }
                Memory memory = program.memory();
                try {
                    verdicts.add(program.run(memory, testContext(memory, frame, new byte[0]).contextAddress(), 0, frame));
                } catch (ExecutionException e) {
                    slot.recordAbort(e);
                    verdicts.add(-2L);
                }
            }
            return verdicts;
        }
    }

    private static final byte[] FRAME = {7, 0, 0, 0};

    @Test
    void attachReplaceDetachAndTheHookComingAndGoing() throws Exception {
        SampleRuntime rt = new SampleRuntime();
        TestHook hook = new TestHook();
        rt.runtime.addProgramType(hook);
        Program counter = SampleRuntime.program(rt.load("map_types"), "count_hash");
        Program parser = SampleRuntime.program(rt.load("udp_ports"), "udp_count");

        Link link = rt.runtime.attach(counter, "test0");
        assertEquals(Link.State.ATTACHED, link.state());
        assertEquals(List.of(1L), hook.fire(FRAME), "count_hash counts key 7 once");
        assertEquals(List.of(2L), hook.fire(FRAME));
        assertEquals(2, counter.stats().runCount());

        link.replace(parser);
        assertEquals(List.of(2L), hook.fire(FRAME), "udp_count passes a frame that is not IPv4 (XDP_PASS)");
        assertEquals(2, counter.stats().runCount(), "the replaced program no longer runs");
        assertEquals(1, parser.stats().runCount());
        link.replace(counter);
        assertEquals(List.of(3L), hook.fire(FRAME), "and back, with the map state kept");

        rt.runtime.removeProgramType(hook);
        assertEquals(Link.State.DETACHED, link.state(), "the hook's bundle left");
        assertEquals(1, rt.runtime.links().size(), "the link stays, detached");
        assertEquals(List.of(), hook.fire(FRAME), "the departing hook was told to drop the slot");
        rt.runtime.addProgramType(hook);
        assertEquals(Link.State.ATTACHED, link.state(), "re-attached when the hook returns");
        assertEquals(2, hook.attachCalls);
        assertEquals(List.of(4L), hook.fire(FRAME), "one slot again, running the same program");

        link.close();
        assertEquals(Link.State.DETACHED, link.state());
        assertTrue(hook.slots.isEmpty(), "the hook dropped the slot");
        assertTrue(rt.runtime.links().isEmpty());
    }

    @Test
    void refusalsNameWhatIsWrong() throws Exception {
        SampleRuntime rt = new SampleRuntime();
        Program beforeHook = SampleRuntime.program(rt.load("udp_ports"), "udp_count");
        LoadException noHook = assertThrows(LoadException.class, () -> rt.runtime.attach(beforeHook, "test0"));
        assertTrue(noHook.getMessage().contains("no hook for program type 'xdp'"), noHook.getMessage());

        TestHook hook = new TestHook();
        rt.runtime.addProgramType(hook);
        LoadException badPoint = assertThrows(LoadException.class, () -> rt.runtime.attach(beforeHook, "eth9"));
        assertTrue(badPoint.getMessage().contains("no attach point 'eth9'") && badPoint.getMessage().contains("[test0]"),
                badPoint.getMessage());

        Link link = rt.runtime.attach(beforeHook, "test0");
        java.nio.file.Path socketObject = SampleRuntime.repoRoot().resolve("../shared/samples/build/packet_reallocate.o").normalize();
        Program other = rt.runtime.load(rt.runtime.open(socketObject), SampleRuntime.UNVERIFIED).get(0);
        assertEquals("socket_filter", other.programType());
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class, () -> link.replace(other));
        assertTrue(wrongType.getMessage().contains("the link needs xdp"), wrongType.getMessage());
        rt.runtime.unload(beforeHook);
        assertTrue(rt.runtime.links().isEmpty(), "unloading a program closes its links");
        assertTrue(hook.slots.isEmpty());
    }
}

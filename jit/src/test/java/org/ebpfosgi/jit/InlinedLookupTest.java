package org.ebpfosgi.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionEngine;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.program.ContextDescriptor;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.helpers.core.CoreHelpers;
import org.ebpfosgi.interpreter.InterpreterEngine;
import org.ebpfosgi.isa.Assembler;
import org.ebpfosgi.jit.internal.JitProgram;
import org.ebpfosgi.maps.MapProviders;
import org.junit.jupiter.api.Test;

/**
 * {@code bpf_map_lookup_elem} compiled inline where the basic block shows r1 is a map and r2 points
 * at a key in the stack: same answers as the helper on the interpreter (hits, misses, writes through
 * the pointer, a key outside the stack), and the helper call where the facts do not hold.
 */
class InlinedLookupTest {
    private static final int HASH = 1;
    private static final int ARRAY = 2;
    private static final Map<Integer, Helper> HELPERS = CoreHelpers.all().stream()
            .filter(h -> h.id() == 1).collect(Collectors.toMap(Helper::id, h -> h));

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /** Assembles {@code asm}, where {@code lddw %r1, 0} stands for the program's map #0. */
    private static ProgramImage image(String asm, EbpfMap map) {
        long[] words = Assembler.assemble(asm);
        for (int i = 0; i < words.length; i++) {
            if ((words[i] & 0xFFFF) == 0x0118 && words[i] >>> 32 == 0) {
                words[i] |= 0x1000; // src=1: a map reference, imm = map index 0
                i++;
            }
        }
        return new ProgramImage("lookup", "test", ContextDescriptor.plain(0), words, List.of(map), HELPERS, List.of());
    }

    private static long run(ExecutionEngine engine, ProgramImage image) {
        ExecutableProgram p = engine.load(image, false);
        return p.run(p.memory(), 0, 0, null);
    }

    private static final String LOOKUP = String.join("\n",
            "stdw [%r10-16], %KEY%",
            "mov %r2, %r10", "add %r2, -16",
            "lddw %r1, 0",
            "call 1",
            "jeq %r0, 0, miss",
            "ldxdw %r6, [%r0+0]",
            "stdw [%r0+0], 77", // through the pointer, into the map
            "mov %r0, %r6",
            "exit",
            "miss:", "mov %r0, -1", "exit");

    @Test
    void hitsMissesAndWritesThroughTheValueOnAHashMap() {
        EbpfMap map = MapProviders.create(MapDefinition.of("h", HASH, 8, 8, 16));
        map.update(u64(5), u64(1234), 0);
        JitProgram compiled = assertInstanceOf(JitProgram.class, new JitEngine().load(image(LOOKUP.replace("%KEY%", "5"), map), false));
        assertEquals(1, compiled.inlinedLookups(), "the lookup is compiled inline");
        assertEquals(1234, compiled.run(compiled.memory(), 0, 0, null));
        assertEquals(77, ByteBuffer.wrap(map.lookup(u64(5)).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN).getLong());
        assertEquals(-1, run(new JitEngine(), image(LOOKUP.replace("%KEY%", "6"), map)), "a missing key answers NULL");
        assertEquals(run(new InterpreterEngine(), image(LOOKUP.replace("%KEY%", "5"), map)),
                run(new JitEngine(), image(LOOKUP.replace("%KEY%", "5"), map)), "both engines see the value the other wrote");
    }

    @Test
    void anArrayMapToo() {
        EbpfMap map = MapProviders.create(MapDefinition.of("a", ARRAY, 4, 8, 4));
        map.update(u32(3), u64(99), 0);
        String asm = LOOKUP.replace("stdw [%r10-16], %KEY%", "stw [%r10-16], %KEY%");
        assertEquals(99, run(new JitEngine(), image(asm.replace("%KEY%", "3"), map)));
        assertEquals(-1, run(new JitEngine(), image(asm.replace("%KEY%", "4"), map)), "index past max_entries");
    }

    @Test
    void aJoinBeforeTheCallKeepsTheHelper() {
        EbpfMap map = MapProviders.create(MapDefinition.of("h", HASH, 8, 8, 16));
        map.update(u64(5), u64(1234), 0);
        // The call is a jump target: on that path r2 is not known to point into the stack.
        String asm = String.join("\n",
                "stdw [%r10-16], 5", "mov %r2, %r10", "add %r2, -16", "lddw %r1, 0",
                "ja call", "call:", "call 1",
                "jeq %r0, 0, miss", "ldxdw %r0, [%r0+0]", "exit", "miss:", "mov %r0, -1", "exit");
        JitProgram compiled = assertInstanceOf(JitProgram.class, new JitEngine().load(image(asm, map), false));
        assertEquals(0, compiled.inlinedLookups());
        assertEquals(1234, compiled.run(compiled.memory(), 0, 0, null));
    }

    @Test
    void threadsCountingInOneMapValueLoseNoIncrement() throws InterruptedException {
        EbpfMap map = MapProviders.create(MapDefinition.of("counter", ARRAY, 4, 8, 1));
        String asm = String.join("\n",
                "stw [%r10-4], 0", "mov %r2, %r10", "add %r2, -4", "lddw %r1, 0", "call 1",
                "jeq %r0, 0, out", "mov %r1, 1", "lock add [%r0+0], %r1", "out:", "mov %r0, 0", "exit");
        JitProgram program = assertInstanceOf(JitProgram.class, new JitEngine().load(image(asm, map), false));
        assertEquals(1, program.inlinedLookups());
        int threads = 4;
        int runs = 20_000;
        Thread[] workers = new Thread[threads];
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < runs; i++) {
                        program.run(program.memory(), 0, 0, null); // each thread its own run state and memory
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        assertEquals(null, failure.get());
        assertEquals((long) threads * runs, ByteBuffer.wrap(map.lookup(u32(0)).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN).getLong());
    }

    @Test
    void aKeyOutsideTheStackFailsLikeTheHelper() {
        EbpfMap map = MapProviders.create(MapDefinition.of("h", HASH, 8, 8, 16));
        String asm = LOOKUP.replace("stdw [%r10-16], %KEY%", "mov %r0, 0").replace("add %r2, -16", "add %r2, 4");
        ExecutionException jit = assertThrows(ExecutionException.class, () -> run(new JitEngine(), image(asm, map)));
        ExecutionException interpreter = assertThrows(ExecutionException.class, () -> run(new InterpreterEngine(), image(asm, map)));
        assertEquals(interpreter.pc(), jit.pc());
        assertTrue(jit.getMessage().contains("helper bpf_map_lookup_elem"), jit.getMessage());
    }
}

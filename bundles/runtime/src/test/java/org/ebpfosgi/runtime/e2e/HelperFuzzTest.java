package org.ebpfosgi.runtime.e2e;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionEngine;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.api.program.ContextDescriptor;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.helpers.core.CoreHelpers;
import org.ebpfosgi.isa.Opcodes;
import org.ebpfosgi.maps.MapProviders;
import org.junit.jupiter.api.Test;

/**
 * Every core helper called with hostile arguments from unverified programs: map handles, stack,
 * context and wild pointers, sizes from 0 to 2^63, flags of every bit. A call may return anything or
 * abort its run with an {@link ExecutionException}; no other throwable (no OutOfMemoryError from a huge
 * size, no stray runtime exception) may escape, and nothing may hang.
 * {@code -Debpf.fuzz.programs=N} runs more (default 20,000).
 */
class HelperFuzzTest {
    private static final int PROGRAMS = Integer.getInteger("ebpf.fuzz.programs", 20_000);

    private final List<EbpfMap> maps = List.of(
            MapProviders.create(MapDefinition.of("hash", 1, 8, 8, 64)),
            MapProviders.create(MapDefinition.of("array", 2, 4, 16, 8)),
            MapProviders.create(MapDefinition.of("percpu", 6, 4, 8, 4)),
            MapProviders.create(MapDefinition.of("queue", 22, 0, 8, 16)),
            MapProviders.create(MapDefinition.of("ringbuf", 27, 0, 0, 4096)),
            MapProviders.create(MapDefinition.of("progs", 3, 4, 4, 4)));

    @Test
    void hostileHelperArgumentsNeverEscapeTheRun() {
        List<Helper> helpers = CoreHelpers.all();
        Map<Integer, Helper> byId = new HashMap<>();
        helpers.stream().filter(h -> h.id() > 0).forEach(h -> byId.put(h.id(), h));
        Integer[] ids = byId.keySet().toArray(new Integer[0]);
        ExecutionEngine engine = SampleRuntime.engine(10_000);
        SplittableRandom random = new SplittableRandom(0xB0F);
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            for (int n = 0; n < PROGRAMS; n++) {
                List<Long> words = new ArrayList<>();
                // A few initialised stack bytes, so some pointers point at data.
                words.add(Opcodes.encode(0x7a, 10, 0, -8, random.nextInt()));       // *(u64 *)(r10 - 8) = imm
                words.add(Opcodes.encode(0x7a, 10, 0, -16, random.nextInt(64)));   // *(u64 *)(r10 - 16) = imm
                int calls = random.nextInt(1, 5);
                for (int c = 0; c < calls; c++) {
                    for (int reg = 1; reg <= 5; reg++) {
                        argument(words, reg, random);
                    }
                    words.add(Opcodes.encode(0x85, 0, 0, 0, ids[random.nextInt(ids.length)]));
                }
                words.add(Opcodes.encode(0x95, 0, 0, 0, 0));
                long[] program = words.stream().mapToLong(Long::longValue).toArray();
                ProgramImage image = new ProgramImage("fuzz", "raw", ContextDescriptor.plain(16), program, maps, byId, List.of());
                ExecutableProgram loaded = engine.load(image, false);
                try {
                    Memory memory = loaded.memory();
                    long ctx = memory.map(Region.of(Region.Kind.CONTEXT, "ctx", new byte[16]));
                    loaded.run(memory, ctx, 0, null);
                    outcomes[0]++;
                } catch (ExecutionException aborted) {
                    outcomes[1]++;
                } catch (Throwable t) {
                    StringBuilder hex = new StringBuilder();
                    for (long w : program) {
                        hex.append(String.format("%016x ", w));
                    }
                    fail("a helper let " + t + " escape for program " + hex, t);
                }
            }
        });
        System.out.println("hostile helper calls: returned " + outcomes[0] + ", aborted " + outcomes[1]);
        assertTrue(outcomes[0] > PROGRAMS / 20 && outcomes[1] > PROGRAMS / 20, "both outcomes happen: " + outcomes[0] + "/" + outcomes[1]);
    }

    /** Loads a hostile value into register {@code reg}: a map handle, a stack or context pointer, or a number. */
    private void argument(List<Long> words, int reg, SplittableRandom random) {
        switch (random.nextInt(6)) {
            case 0: // lddw reg, map_fd i
                words.add(Opcodes.encode(0x18, reg, 1, 0, random.nextInt(maps.size())));
                words.add(0L);
                break;
            case 1: // reg = r10 - k
                words.add(Opcodes.encode(0xbf, reg, 10, 0, 0));
                words.add(Opcodes.encode(0x07, reg, 0, 0, -random.nextInt(1, 520)));
                break;
            case 2: // reg = ctx (r1 at entry is gone after a call; r6 is never set: a zero)
                words.add(Opcodes.encode(0xbf, reg, 6, 0, 0));
                break;
            case 3: // small sizes and flags
                words.add(Opcodes.encode(0xb7, reg, 0, 0, random.nextInt(-2, 64)));
                break;
            case 4: // huge values
                words.add(Opcodes.encode(0x18, reg, 0, 0, random.nextInt()));
                words.add(Opcodes.encode(0, 0, 0, 0, random.nextInt()));
                break;
            default: // a value another helper returned, or garbage left in the register
                break;
        }
    }
}

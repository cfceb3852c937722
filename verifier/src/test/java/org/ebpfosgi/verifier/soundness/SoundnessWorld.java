package org.ebpfosgi.verifier.soundness;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

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
import org.ebpfosgi.interpreter.InterpreterEngine;
import org.ebpfosgi.isa.Opcodes;
import org.ebpfosgi.maps.MapProviders;

/**
 * The world accepted programs run in, and the run-time checks of what the verifier promises. An
 * XDP-like program type (a 24-byte context whose words at 0, 4 and 8 load as the packet's start, end and
 * metadata pointers), an array map (#0: 4-byte keys, 16-byte values, 4 entries) and a hash map (#1:
 * 8-byte keys and values), the map helpers 1-3 (lookup, update, delete) and bpf_get_current_comm (16, a helper
 * that writes into memory it is given).
 *
 * <p>Each input (a packet length) runs three times on the reference interpreter:
 * <ol>
 * <li>A: the program's own address space, the whole stack region (the program's frame and the 8 frames
 *     below it that local calls use) filled with garbage;</li>
 * <li>B: the same, with other garbage;</li>
 * <li>C: a fresh address space in which 64 padding regions come first, so every region and handle
 *     gets another tag, and a zeroed stack.</li>
 * </ol>
 * The interpreter checks every access against its region, so a fault is an out-of-bounds or invalid
 * pointer. The stack is a single region of 9 frames, so an access below the program's frame does not
 * fault: a write there shows as changed bytes (for programs without local calls), a read there, like a read of
 * stack bytes the run never wrote, shows as A and B disagreeing (r0, packet, context or maps). A
 * pointer in r0 shows as r0 in A and in C pointing into corresponding entries at the same offset; an address
 * stored where the host sees it shows as the packet, context or maps differing between A and C.
 */
final class SoundnessWorld {
    static final ContextDescriptor XDP = new ContextDescriptor(24, 0, 4, 8);
    /** bpf_get_current_comm: writes a fixed name into the buffer it is given (deterministic on one thread). */
    static final int GET_CURRENT_COMM = 16;
    static final int ARRAY_MAP = 0;
    static final int HASH_MAP = 1;
    static final int ARRAY_TYPE = 2;
    static final int HASH_TYPE = 1;
    static final int ARRAY_VALUE_SIZE = 16;
    static final int ARRAY_ENTRIES = 4;
    /** Packet lengths every accepted program runs with: empty, shorter than any header, and longer. */
    static final int[] PACKET_LENGTHS = {0, 1, 2, 5, 8, 14, 15, 16, 20, 34, 64};
    /** Backward jumps and calls per run: termination is not yet proven, so a budget abort is only counted. */
    static final long BUDGET = 2_000;
    private static final int PADDING_REGIONS = 64;
    private static final int[] INTERESTING = {0, 1, 2, 7, 8, 15, 16, 56, 57, 63, 64, 65, 255, 256, 4095, 65535, 65536,
            0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFF8, 0xFFFF_FF00, -64, -65};
    private static final int OWN_FRAME = 512;

    /** What went wrong at run time in a program the verifier accepted. */
    enum Kind {
        FAULT("aborted with a fault"),
        STACK_WRITE_OUTSIDE_FRAME("wrote stack bytes outside its own frame"),
        UNINITIALIZED_READ("behaved differently with other garbage in the stack (read uninitialized or out-of-frame stack)"),
        POINTER_RETURNED("returned a pointer"),
        ADDRESS_STORED("left bits of an address in a map, the packet or the context"),
        REFUSED_BY_ENGINE("was refused by the interpreter");

        final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    record Violation(Kind kind, int packetLength, String detail) {
        @Override
        public String toString() {
            return kind.text + (packetLength >= 0 ? " with a packet of " + packetLength + " bytes" : "") + ": " + detail;
        }
    }

    /** The outcome of checking one program on every input. */
    record Checked(Violation violation, int budgetAborts, int runs) {
    }

    private final List<EbpfMap> maps;
    private final Map<Integer, Helper> helpers;
    private final ExecutionEngine engine = new InterpreterEngine(BUDGET);

    SoundnessWorld() {
        maps = List.of(
                MapProviders.create(MapDefinition.of("array", ARRAY_TYPE, 4, ARRAY_VALUE_SIZE, ARRAY_ENTRIES)),
                MapProviders.create(MapDefinition.of("hash", HASH_TYPE, 8, 8, 8)));
        helpers = CoreHelpers.all().stream().filter(h -> h.id() >= 1 && h.id() <= 3 || h.id() == GET_CURRENT_COMM)
                .collect(Collectors.toMap(Helper::id, h -> h));
    }

    ProgramImage image(long[] words) {
        return new ProgramImage("soundness", "xdp", XDP, words, maps, helpers, List.of());
    }

    /** Runs an accepted program on every input; the first violation found, if any. */
    Checked check(long[] words) {
        ExecutableProgram program;
        try {
            program = engine.load(image(words), false);
        } catch (RuntimeException e) {
            return new Checked(new Violation(Kind.REFUSED_BY_ENGINE, -1, e.toString()), 0, 0);
        }
        boolean localCalls = hasLocalCalls(words);
        int budgetAborts = 0;
        int runs = 0;
        for (int input = 0; input < 2 * PACKET_LENGTHS.length; input++) {
            int length = PACKET_LENGTHS[input >> 1];
            long inputSeed = input * 0x9E3779B97F4A7C15L;
            Outcome a = runOwn(program, length, inputSeed, 0xA11CE);
            runs++;
            if (a.budget) {
                budgetAborts++;
                continue;
            }
            Outcome b = runOwn(program, length, inputSeed, 0xB0B);
            Outcome c = runShifted(program, length, inputSeed);
            runs += 2;
            if (b.budget || c.budget) {
                budgetAborts++;
                continue;
            }
            for (Outcome o : List.of(a, b, c)) {
                if (o.fault != null) {
                    return new Checked(new Violation(Kind.FAULT, length, o.fault), budgetAborts, runs);
                }
            }
            if (!localCalls && (a.lowerFramesChanged || b.lowerFramesChanged)) {
                return new Checked(new Violation(Kind.STACK_WRITE_OUTSIDE_FRAME, length,
                        "stack bytes below r10-512 changed"), budgetAborts, runs);
            }
            String difference = a.differenceFrom(b);
            if (difference != null) {
                // Tags of regions mapped during a run depend on Memory's cache of recent mappings, so a program
                // computing with the bits of an address (which the verifier allows) may differ from run to run.
                // Only a difference that each garbage reproduces comes from the stack's contents.
                Outcome a2 = runOwn(program, length, inputSeed, 0xA11CE);
                Outcome b2 = runOwn(program, length, inputSeed, 0xB0B);
                runs += 2;
                if (a.differenceFrom(a2) == null && b.differenceFrom(b2) == null) {
                    return new Checked(new Violation(Kind.UNINITIALIZED_READ, length, difference), budgetAborts, runs);
                }
            }
            String stored = a.memoryDifferenceFrom(c);
            if (stored != null) {
                Outcome a2 = runOwn(program, length, inputSeed, 0xA11CE);
                runs++;
                if (a.memoryDifferenceFrom(a2) == null) {
                    return new Checked(new Violation(Kind.ADDRESS_STORED, length, stored + " (in another address space)"),
                            budgetAborts, runs);
                }
            }
            // A number is the same in both address spaces; a pointer moved with the tags of the regions.
            if (a.pointer != null && a.pointer.correspondsTo(c.pointer) && a.r0 >>> 32 != c.r0 >>> 32) {
                return new Checked(new Violation(Kind.POINTER_RETURNED, length, "r0 = 0x" + Long.toHexString(a.r0)
                        + ", into " + a.pointer.entry + " at offset " + a.pointer.offset), budgetAborts, runs);
            }
        }
        return new Checked(null, budgetAborts, runs);
    }

    static boolean hasLocalCalls(long[] words) {
        for (long w : words) {
            if (Opcodes.opcode(w) == (Opcodes.JMP | Opcodes.CALL) && Opcodes.src(w) == Opcodes.CALL_LOCAL
                    || Opcodes.opcode(w) == (Opcodes.JMP | Opcodes.CALL | Opcodes.X)) {
                return true;
            }
        }
        return false;
    }

    /** Where a returned value points: the entry (a region's kind and name, or a handle) and the offset. */
    record Pointee(String entry, Object handle, long offset) {
        boolean correspondsTo(Pointee other) {
            return other != null && offset == other.offset && entry.equals(other.entry)
                    && (handle == null || handle == other.handle);
        }

        static Pointee of(Memory m, long value) {
            Object e = m.entry(value);
            if (e == null) {
                return null;
            }
            long offset = value & 0xFFFF_FFFFL;
            if (e instanceof Region r) {
                return offset <= r.length() ? new Pointee(r.kind() + " " + r.name(), null, offset) : null;
            }
            return new Pointee("handle " + e, e, offset);
        }
    }

    private static final class Outcome {
        long r0;
        boolean budget;
        String fault;
        boolean lowerFramesChanged;
        byte[] packet;
        byte[] context;
        String maps;
        Pointee pointer;

        String differenceFrom(Outcome o) {
            if (r0 != o.r0) {
                return "r0 0x" + Long.toHexString(r0) + " vs 0x" + Long.toHexString(o.r0);
            }
            return memoryDifferenceFrom(o);
        }

        String memoryDifferenceFrom(Outcome o) {
            if (!Arrays.equals(packet, o.packet)) {
                return "packet " + hex(packet) + " vs " + hex(o.packet);
            }
            if (!Arrays.equals(context, o.context)) {
                return "context " + hex(context) + " vs " + hex(o.context);
            }
            if (!maps.equals(o.maps)) {
                return "maps " + maps + " vs " + o.maps;
            }
            return null;
        }
    }

    private Outcome runOwn(ExecutableProgram program, int length, long inputSeed, long garbageSeed) {
        resetMaps();
        Memory m = program.memory();
        Region stack = stackOf(m);
        new SplittableRandom(garbageSeed).nextBytes(stack.bytes());
        byte[] lowerFrames = Arrays.copyOfRange(stack.bytes(), stack.base(), stack.base() + stack.length() - OWN_FRAME);
        Outcome o = run(program, m, length, inputSeed);
        o.lowerFramesChanged = !Arrays.equals(lowerFrames,
                Arrays.copyOfRange(stack.bytes(), stack.base(), stack.base() + stack.length() - OWN_FRAME));
        return o;
    }

    private Outcome runShifted(ExecutableProgram program, int length, long inputSeed) {
        resetMaps();
        Memory m = new Memory();
        for (int i = 0; i < PADDING_REGIONS; i++) {
            m.map(Region.of(Region.Kind.MEMORY, "padding " + i, new byte[8]));
        }
        return run(program, m, length, inputSeed);
    }

    private Outcome run(ExecutableProgram program, Memory m, int length, long inputSeed) {
        SplittableRandom input = new SplittableRandom(inputSeed);
        byte[] packetBytes = new byte[length];
        for (int i = 0; i < length; i++) {
            // Small bytes often, so that comparisons in the program go both ways.
            packetBytes[i] = (byte) (input.nextInt(3) == 0 ? input.nextInt(256) : input.nextInt(8));
        }
        byte[] contextBytes = new byte[XDP.size()];
        ByteBuffer fields = ByteBuffer.wrap(contextBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 12; at < contextBytes.length; at += 4) {
            // Small numbers, numbers just past the usual bounds, and the extremes of 32 bits.
            fields.putInt(at, (inputSeed & 1) == 0 ? input.nextInt(0, 72) : INTERESTING[input.nextInt(INTERESTING.length)]);
        }
        Region packet = Region.of(Region.Kind.PACKET, "packet", packetBytes);
        Region context = Region.of(Region.Kind.CONTEXT, "ctx", contextBytes);
        long start = m.map(packet);
        long ctx = m.map(context);
        m.setPointerField(ctx + XDP.dataOffset(), start);
        m.setPointerField(ctx + XDP.endOffset(), start + length);
        m.setPointerField(ctx + XDP.metaOffset(), start);
        Outcome o = new Outcome();
        try {
            o.r0 = program.run(m, ctx, 0, null);
            o.pointer = Pointee.of(m, o.r0);
        } catch (ExecutionException e) {
            if (e.getMessage().contains("budget exhausted")) {
                o.budget = true;
            } else {
                o.fault = e.getMessage();
            }
        } catch (RuntimeException e) {
            o.fault = "escaped the engine: " + e;
        }
        o.packet = packetBytes;
        o.context = contextBytes;
        o.maps = mapContents();
        return o;
    }

    private static Region stackOf(Memory m) {
        for (long tag = 1; tag < 64; tag++) {
            if (m.entry(tag << 32) instanceof Region r && r.kind() == Region.Kind.STACK) {
                return r;
            }
        }
        throw new IllegalStateException("the program's address space has no stack region");
    }

    /** Every run starts from the same map contents: entries 0..3 of the array, keys 1..3 of the hash. */
    private void resetMaps() {
        EbpfMap array = maps.get(ARRAY_MAP);
        for (int k = 0; k < ARRAY_ENTRIES; k++) {
            byte[] value = new byte[ARRAY_VALUE_SIZE];
            for (int i = 0; i < value.length; i++) {
                value[i] = (byte) (k * 16 + i);
            }
            array.update(u32(k), value, EbpfMap.ANY);
        }
        EbpfMap hash = maps.get(HASH_MAP);
        List<byte[]> keys = new ArrayList<>();
        for (Optional<byte[]> k = hash.nextKey(null); k.isPresent(); k = hash.nextKey(k.get())) {
            keys.add(k.get());
            if (keys.size() > 64) {
                break;
            }
        }
        for (byte[] k : keys) {
            hash.delete(k);
        }
        for (long k = 1; k <= 3; k++) {
            hash.update(u64(k), u64(k * 100), EbpfMap.ANY);
        }
    }

    private String mapContents() {
        StringBuilder sb = new StringBuilder();
        EbpfMap array = maps.get(ARRAY_MAP);
        for (int k = 0; k < ARRAY_ENTRIES; k++) {
            sb.append(hex(array.lookup(u32(k)).orElse(new byte[0]))).append(';');
        }
        EbpfMap hash = maps.get(HASH_MAP);
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (Optional<byte[]> k = hash.nextKey(null); k.isPresent() && n++ < 64; k = hash.nextKey(k.get())) {
            entries.add(hex(k.get()) + "=" + hex(hash.lookup(k.get()).orElse(new byte[0])));
        }
        entries.sort(null);
        return sb.append(entries).toString();
    }

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }
}

package org.ebpfosgi.interpreter;

import static org.ebpfosgi.interpreter.Programs.run;
import static org.ebpfosgi.interpreter.Programs.word;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.api.helper.ArgKind;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.api.program.ContextDescriptor;
import org.ebpfosgi.api.program.ProgramImage;
import org.junit.jupiter.api.Test;

/** Loads, stores and atomics: widths, sign extension, fetch results, bounds, regions, maps, legacy packet loads. */
class MemoryTest {
    @Test
    void loadsAreLittleEndianAndZeroExtended() {
        byte[] mem = {(byte) 0x81, (byte) 0x82, (byte) 0x83, (byte) 0x84, 5, 6, 7, (byte) 0x88};
        assertEquals(0x81L, run("ldxb %r0, [%r1]\nexit", mem));
        assertEquals(0x8281L, run("ldxh %r0, [%r1]\nexit", mem));
        assertEquals(0x8483_8281L, run("ldxw %r0, [%r1]\nexit", mem));
        assertEquals(0x8807_0605_8483_8281L, run("ldxdw %r0, [%r1]\nexit", mem));
        assertEquals(0x0605L, run("ldxh %r0, [%r1+4]\nexit", mem));
    }

    @Test
    void signExtendingLoads() {
        byte[] mem = {(byte) 0x81, (byte) 0x82, (byte) 0x83, (byte) 0x84};
        assertEquals(-127L, run("ldxsb %r0, [%r1]\nexit", mem));
        assertEquals((short) 0x8281, run("ldxsh %r0, [%r1]\nexit", mem));
        assertEquals(0x8483_8281L | 0xFFFF_FFFF_0000_0000L, run("ldxsw %r0, [%r1]\nexit", mem));
        assertEquals(-1L, run("mov %r1, -1\nstxb [%r10-1], %r1\nldxsb %r0, [%r10-1]\nexit"));
    }

    @Test
    void storesWriteTheLowBytes() {
        byte[] mem = new byte[16];
        run("lddw %r2, 0x1122334455667788\nstxdw [%r1], %r2\nstxw [%r1+8], %r2\nsth [%r1+12], -2\nstb [%r1+14], 0x1ff\nexit", mem);
        assertArrayEquals(new byte[] {(byte) 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
            (byte) 0x88, 0x77, 0x66, 0x55, (byte) 0xfe, (byte) 0xff, (byte) 0xff, 0}, mem);
        byte[] dw = new byte[8];
        run("stdw [%r1], -1\nexit", dw);
        assertArrayEquals(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}, dw, "stdw sign-extends its immediate");
    }

    @Test
    void atomicsReturnTheOldValueWhenAskedTo() {
        assertEquals(3L, run("stdw [%r10-8], 5\nmov %r1, 3\nlock add [%r10-8], %r1\nmov %r0, %r1\nexit"),
                "plain add leaves the source register alone");
        assertEquals(8L, run("stdw [%r10-8], 5\nmov %r1, 3\nlock add [%r10-8], %r1\nldxdw %r0, [%r10-8]\nexit"));
        assertEquals(5L, run("stdw [%r10-8], 5\nmov %r1, 3\nlock fetch add [%r10-8], %r1\nmov %r0, %r1\nexit"));
        assertEquals(7L, run("stdw [%r10-8], 5\nmov %r1, 3\nlock fetch or [%r10-8], %r1\nldxdw %r0, [%r10-8]\nexit"));
        assertEquals(5L, run("stdw [%r10-8], 5\nmov %r1, 9\nlock xchg [%r10-8], %r1\nmov %r0, %r1\nexit"));
        assertEquals(9L, run("stdw [%r10-8], 5\nmov %r1, 9\nlock xchg [%r10-8], %r1\nldxdw %r0, [%r10-8]\nexit"));
        // 32-bit fetch zero-extends the old value.
        assertEquals(0xFFFF_FFFFL, run("stw [%r10-4], -1\nmov %r1, 1\nlock fetch add32 [%r10-4], %r1\nmov %r0, %r1\nexit"));
    }

    @Test
    void cmpxchgSucceedsOnlyWhenR0Matches() {
        // Success: memory takes the source, r0 gets the old value.
        assertEquals(5L, run("stdw [%r10-8], 5\nmov %r0, 5\nmov %r1, 9\nlock cmpxchg [%r10-8], %r1\nexit"));
        assertEquals(9L, run("stdw [%r10-8], 5\nmov %r0, 5\nmov %r1, 9\nlock cmpxchg [%r10-8], %r1\nldxdw %r0, [%r10-8]\nexit"));
        // Failure: memory unchanged, r0 still gets the current value.
        assertEquals(5L, run("stdw [%r10-8], 5\nmov %r0, 4\nmov %r1, 9\nlock cmpxchg [%r10-8], %r1\nexit"));
        assertEquals(5L, run("stdw [%r10-8], 5\nmov %r0, 4\nmov %r1, 9\nlock cmpxchg [%r10-8], %r1\nldxdw %r0, [%r10-8]\nexit"));
        // 32-bit: compares the low half of r0 only.
        assertEquals(9L, run("stw [%r10-4], 5\nlddw %r0, 0x700000005\nmov %r1, 9\nlock cmpxchg32 [%r10-4], %r1\nldxw %r0, [%r10-4]\nexit"));
    }

    @Test
    void anAccessOutsideItsRegionAbortsNamingTheInstruction() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> run("mov %r0, 0\nldxw %r0, [%r1+6]\nexit", new byte[8]));
        assertEquals(1, e.pc());
        assertTrue(e.getMessage().startsWith("instruction 1: "), e.getMessage());
        assertTrue(e.getMessage().contains("r0 = *(u32 *)(r1 + 0x6)"), e.getMessage());
        assertEquals(2, assertThrows(ExecutionException.class,
                () -> run("mov %r0, 0\nmov %r0, 0\nstxdw [%r10], %r0\nexit")).pc(), "above the stack frame");
        assertEquals(0, assertThrows(ExecutionException.class,
                () -> run("ldxb %r0, [%r10-4609]\nexit")).pc(), "below the whole stack");
        assertEquals(1, assertThrows(ExecutionException.class,
                () -> run("mov %r1, 0\nldxb %r0, [%r1]\nexit")).pc(), "NULL");
        assertEquals(1, assertThrows(ExecutionException.class,
                () -> run("mov %r0, 0\nldxb %r0, [%r1-1]\nexit", new byte[8])).pc(), "before the region");
        assertEquals(2, assertThrows(ExecutionException.class,
                () -> run("mov %r2, 8\nlsh %r2, 32\nldxb %r0, [%r2]\nexit")).pc(), "a made-up tag");
    }

    @Test
    void theFastPathRespectsBoundsAfterARegionWasCached() {
        // The first access caches the region; the second, one byte too far, must still fail.
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> run("ldxw %r0, [%r1]\nldxw %r0, [%r1+5]\nexit", new byte[8]));
        assertEquals(1, e.pc());
        assertEquals(1, assertThrows(ExecutionException.class,
                () -> run("stxw [%r1], %r1\nstxw [%r1+5], %r1\nexit", new byte[8])).pc());
    }

    @Test
    void aFusedPairThatLeavesTheFastPathHalfwayResumesAtItsSecondInstruction() {
        byte[] mem = {10, 20, 30, 40, 50, 60, 70, 80};
        // ldxb; ldxb off one base is one superinstruction. The first access of a run misses the cached
        // region and is stepped alone; the second then runs on the fast path.
        assertEquals(20 + 30 * 2, run("ldxb %r0, [%r1+1]\nldxb %r2, [%r1+2]\nadd %r0, %r2\nadd %r0, %r2\nexit", mem));
        // The first half succeeds, the second faults: the error names the second instruction.
        assertEquals(1, assertThrows(ExecutionException.class,
                () -> run("ldxb %r0, [%r1+7]\nldxb %r2, [%r1+8]\nexit", mem)).pc());
        // A loop that mixes accesses to the stack and to a region, each on its own fast path.
        assertEquals((10 + 20 + 30 + 40) * 2L, run("""
                mov %r0, 0
                mov %r3, 0
                stxdw [%r10-8], %r3
                loop:
                mov %r4, %r1
                add %r4, %r3
                ldxb %r5, [%r4]
                ldxdw %r6, [%r10-8]
                add %r6, %r5
                stxdw [%r10-8], %r6
                add %r0, %r5
                add %r3, 1
                jlt %r3, 4, loop
                ldxdw %r6, [%r10-8]
                add %r0, %r6
                exit""", mem));
    }

    @Test
    void readOnlyRegionsRefuseStores() {
        ExecutableProgram p = Programs.load(Programs.image("ldxb %r0, [%r1]\nstb [%r1], 1\nexit"), false, 1000);
        Memory m = p.memory();
        long r1 = m.map(Region.of(Region.Kind.PACKET, "packet", new byte[4]).readOnly());
        ExecutionException e = assertThrows(ExecutionException.class, () -> p.run(m, r1, 4, null));
        assertEquals(1, e.pc());
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
    }

    @Test
    void contextPointerFieldsAreHonoured() {
        // A context whose first field reads as a pointer to the packet, the way xdp_md.data does.
        ExecutableProgram p = Programs.load(Programs.image("ldxw %r2, [%r1]\nldxb %r0, [%r2+1]\nexit"), false, 1000);
        Memory m = p.memory();
        long packet = m.map(Region.of(Region.Kind.PACKET, "packet", new byte[] {1, 42}));
        long ctx = m.map(Region.of(Region.Kind.CONTEXT, "ctx", new byte[8]));
        m.setPointerField(ctx, packet);
        assertEquals(42L, p.run(m, ctx, 8, null));
    }

    @Test
    void mapHandlesAndGlobalDataComeFromLddw() {
        OneValueMap data = new OneValueMap("data", 16);
        data.value[8] = 7;
        // r1 = map handle (lddw src=1); r2 = &data + 8 (lddw src=2); r0 = *r2 + helper(r1); *(r2+1) = 9
        long[] words = {
            word(0x18, 1, 1, 0, 0), 0,
            word(0x18, 6, 2, 0, 0), word(0, 0, 0, 0, 8),
            word(0x85, 0, 0, 0, 77),
            word(0x71, 7, 6, 0, 0),
            word(0x0f, 0, 7, 0, 0),
            word(0x72, 6, 0, 1, 9),
            word(0x95, 0, 0, 0, 0)};
        Helper valueSize = new TestHelper(77, "value_size", (ctx, r1) -> ctx.memory().handle(r1, EbpfMap.class).definition().valueSize());
        ExecutableProgram p = Programs.load(Programs.image(words, Map.of(77, valueSize), List.of(data)), true, 0);
        assertEquals(16L + 7L, Programs.run(p, new byte[0]));
        assertEquals(9, data.value[9], "the program wrote the map's live value");
        assertEquals(16L + 7L, Programs.run(p, new byte[0]), "map entries survive the reset between runs");
    }

    @Test
    void globalDataOffsetsAreBoundsChecked() {
        OneValueMap data = new OneValueMap("data", 4);
        long[] words = {word(0x18, 1, 2, 0, 0), word(0, 0, 0, 0, 4), word(0x71, 0, 1, 0, 0), word(0x95, 0, 0, 0, 0)};
        ExecutableProgram p = Programs.load(Programs.image(words, Map.of(), List.of(data)), true, 0);
        assertEquals(2, assertThrows(ExecutionException.class, () -> Programs.run(p, new byte[0])).pc());
    }

    @Test
    void legacyPacketLoadsReadNetworkOrderFromTheEntryRegion() {
        byte[] packet = {0x12, 0x34, 0x56, 0x78, (byte) 0x9a};
        assertEquals(0x1234_5678L, run("ldabsw 0\nexit", packet));
        assertEquals(0x3456L, run("ldabsh 1\nexit", packet));
        assertEquals(0x9aL, run("ldabsb 4\nexit", packet));
        assertEquals(0x3456_789aL, run("mov %r6, 0\nldindw %r6, 1\nexit", packet));
        assertEquals(0x789aL, run("mov %r7, 2\nldindh %r7, 1\nexit", packet));
        // Out of bounds ends the program with r0 = 0, as Linux does.
        assertEquals(0L, run("mov %r0, 5\nldabsw 2\nmov %r0, 99\nexit", packet));
        assertEquals(0L, run("mov %r6, -1\nldindb %r6, 0\nmov %r0, 99\nexit", packet));
    }

    @Test
    void legacyPacketLoadsUseTheContextsPacketPointers() {
        ProgramImage image = new ProgramImage("xdp-like", "xdp", new ContextDescriptor(8, 0, 4, -1),
                org.ebpfosgi.isa.Assembler.assemble("ldabsh 2\nexit"), List.of(), Map.of(), List.of());
        ExecutableProgram p = Programs.load(image, false, 1000);
        Memory m = p.memory();
        byte[] frame = {1, 2, 3, 4};
        long data = m.map(Region.of(Region.Kind.PACKET, "frame", frame));
        long ctx = m.map(Region.of(Region.Kind.CONTEXT, "xdp_md", new byte[8]));
        m.setPointerField(ctx, data);
        m.setPointerField(ctx + 4, data + frame.length);
        assertEquals(0x0304L, p.run(m, ctx, 0, null));
    }

    /** An array-like map with a single value at key 0. */
    static final class OneValueMap implements EbpfMap {
        final byte[] value;
        private final MapDefinition definition;

        OneValueMap(String name, int valueSize) {
            this.value = new byte[valueSize];
            this.definition = MapDefinition.of(name, 2, 4, valueSize, 1);
        }

        @Override
        public MapDefinition definition() {
            return definition;
        }

        @Override
        public Region lookupRegion(byte[] key) {
            return Arrays.equals(key, new byte[4]) ? Region.of(Region.Kind.MAP_VALUE, definition.name(), value) : null;
        }

        @Override
        public Optional<byte[]> lookup(byte[] key) {
            return Arrays.equals(key, new byte[4]) ? Optional.of(value.clone()) : Optional.empty();
        }

        @Override
        public void update(byte[] key, byte[] newValue, long flags) {
            System.arraycopy(newValue, 0, value, 0, value.length);
        }

        @Override
        public void delete(byte[] key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<byte[]> nextKey(byte[] key) {
            return key == null ? Optional.of(new byte[4]) : Optional.empty();
        }
    }

    /** A one-argument helper for tests. */
    static final class TestHelper implements Helper {
        interface Body {
            long call(HelperContext context, long r1);
        }

        private final int id;
        private final String name;
        private final Body body;

        TestHelper(int id, String name, Body body) {
            this.id = id;
            this.name = name;
            this.body = body;
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public HelperPrototype prototype() {
            return HelperPrototype.of(ReturnKind.INTEGER, ArgKind.ANYTHING);
        }

        @Override
        public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
            return body.call(context, r1);
        }
    }
}

package org.ebpfosgi.verifier.soundness;

import static org.ebpfosgi.isa.Opcodes.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random programs built from the idioms the verifier reasons about, for {@link SoundnessWorld}'s XDP-like
 * type and maps: packet bounds checks before packet accesses (in every comparison form, sometimes off by
 * a few bytes), bounded variable offsets into the packet and the stack, stack stores and loads through r10
 * and copies of it, pointers spilled and filled, map lookups with (or without) a null check and accesses into
 * the value, global data, numbers from the input put through arithmetic and checks before use as offsets,
 * helpers writing buffers, local calls passing stack pointers, small counted loops, and random arithmetic
 * and branches mixed in. Most programs are meant to be safe,
 * some just barely not, so that both what the verifier accepts and where it draws the line get exercised.
 * Deterministic for a seed.
 *
 * <p>Register roles after the usual prologue: r6 the context, r7 the packet's start, r8 its end; r0, r2..r5
 * and r9 are scratch.
 */
final class BiasedPrograms {
    private static final int[] SIZES = {B, H, W, DW};
    private static final int[] SCRATCH = {0, 2, 3, 4, 5, 9};
    /** Context words that are plain numbers (ingress_ifindex, rx_queue_index, egress_ifindex). */
    private static final int[] CTX_NUMBER_FIELDS = {12, 16, 20};

    private final SplittableRandom random;
    private ProgramBuilder p;
    private List<Integer> snippetEnds;
    private int current;
    /** Stack bytes (index 0 = r10-1) the straight-line path has certainly written so far. */
    private boolean[] written;
    /** Registers the straight-line path has certainly set (a bit per register): scratch reads prefer them. */

    BiasedPrograms(long seed) {
        this.random = new SplittableRandom(seed);
    }

    long[] next() {
        p = new ProgramBuilder();
        written = new boolean[512];
        int snippets = random.nextInt(1, 9);
        snippetEnds = new ArrayList<>();
        for (int i = 0; i <= snippets; i++) {
            snippetEnds.add(p.newLabel());
        }
        if (random.nextInt(100) < 99) {
            p.alu64Reg(MOV, 6, 1);
            p.load(random.nextInt(25) == 0 ? DW : W, 7, 6, 0);
            p.load(random.nextInt(25) == 0 ? DW : W, 8, 6, 4);
        }
        if (random.nextInt(10) < 9) {
            for (int r : SCRATCH) {
                if (random.nextInt(4) != 0) {
                    p.emit(ALU64 | MOV | K, r, 0, 0, random.nextInt(-3, 70));
                }
            }
        }
        for (current = 0; current < snippets; current++) {
            snippet();
            p.bind(snippetEnds.get(current));
        }
        // The last label: the return value, then exit.
        p.bind(snippetEnds.get(snippets));
        int r = random.nextInt(100);
        if (r < 70) {
            p.emit(ALU64 | MOV | K, 0, 0, 0, random.nextInt(-2, 5));
        } else if (r < 93) {
            p.alu64Reg(MOV, 0, source());
        } else {
            p.alu64Reg(MOV, 0, pick(6, 7, 8, 10, 1));
        }
        p.exit();
        p.emitLater();
        return p.build();
    }

    private void snippet() {
        int r = random.nextInt(100);
        if (random.nextInt(25) == 0) {
            localCall();
            return;
        }
        if (random.nextInt(6) == 0) {
            arithmeticOffset();
            return;
        }
        if (r < 13) packetLoad();
        else if (r < 16) packetPointerMoves();
        else if (r < 24) packetVariableOffset();
        else if (r < 36) stackStore();
        else if (r < 45) stackLoad();
        else if (r < 51) stackThroughCopy();
        else if (r < 57) stackVariableOffset();
        else if (r < 68) mapLookup();
        else if (r < 71) mapUpdateOrDelete();
        else if (r < 74) globalData();
        else if (r < 83) randomAlu();
        else if (r < 90) randomBranch();
        else if (r < 94) contextAccess();
        else if (r < 96) countedLoop();
        else if (r < 97) legacyPacketLoad();
        else if (r < 98) metadata();
        else if (r < 99) helperWrite();
        else pointerSpill();
    }

    // ---- the packet ----

    private void packetLoad() {
        int k = random.nextInt(1, 41);
        int size = SIZES[random.nextInt(4)];
        int bytes = bytes(size);
        int a = pick(2, 3, 4, 5);
        int skip = skipLabel();
        p.alu64Reg(MOV, a, 7);
        p.alu64(ADD, a, k);
        int room = boundsCheck(a, 8, k, skip);
        int off = offsetWithin(room, bytes);
        int dst = scratch();
        int how = random.nextInt(10);
        if (how < 6) {
            p.load(size, dst, 7, off);
        } else if (how < 8) {
            p.load(size, dst, a, off - k); // through the checked pointer, backwards
        } else {
            p.store(size, 7, off, random.nextInt(256));
        }
    }

    /**
     * {@code if a > end goto skip} in one of its forms: afterwards {@code a <= end}; returns how many bytes
     * from the packet's start that proves readable if {@code a} is data + k (k, or k+1 for strict forms).
     */
    private int boundsCheck(int a, int end, int k, int skip) {
        switch (random.nextInt(15)) {
            case 0, 1, 7, 8, 9, 10, 11, 12 -> p.jump(JMP | JGT | X, a, end, 0, skip);
            case 2 -> p.jump(JMP | JLT | X, end, a, 0, skip);
            case 3 -> {
                p.jump(JMP | JGE | X, a, end, 0, skip);
                return k + 1;
            }
            case 4 -> {
                int ok = p.newLabel();
                p.jump(JMP | JGE | X, end, a, 0, ok);
                p.jump(JMP | JA, 0, 0, 0, skip);
                p.bind(ok);
            }
            case 5 -> {
                int ok = p.newLabel();
                p.jump(JMP | JLE | X, a, end, 0, ok);
                p.jump(JMP | JA, 0, 0, 0, skip);
                p.bind(ok);
            }
            case 6 -> p.jump(JMP32 | JGT | X, a, end, 0, skip); // compares only the offsets' low halves
            default -> {
                // Checks that prove nothing (the wrong way round, or against the start): must not convince.
                switch (random.nextInt(3)) {
                    case 0 -> p.jump(JMP | JGT | X, end, a, 0, skip);
                    case 1 -> p.jump(JMP | JLT | X, a, end, 0, skip);
                    default -> p.jump(JMP | JGT | X, a, 7, 0, skip);
                }
            }
        }
        return k;
    }

    private void packetVariableOffset() {
        int v = pick(2, 3, 4);
        int skip = skipLabel();
        p.load(W, v, 6, CTX_NUMBER_FIELDS[random.nextInt(3)]);
        boundValue(v, skip);
        int size = SIZES[random.nextInt(4)];
        int bytes = bytes(size);
        int extra = random.nextInt(0, 9);
        int ptr = 5;
        int a = 0;
        p.alu64Reg(MOV, ptr, 7);
        p.alu64Reg(ADD, ptr, v);
        p.alu64Reg(MOV, a, ptr);
        p.alu64(ADD, a, bytes + extra);
        int room = boundsCheck(a, 8, bytes + extra, skip);
        int off = offsetWithin(room, bytes);
        if (random.nextInt(4) == 0) {
            p.store(size, ptr, off, 7);
        } else {
            p.load(size, pick(0, 2, 3), ptr, off);
        }
    }

    /** Bounds register {@code v} (a number) by a mask or a check; returns the bound, or -1 if left unbounded. */
    private int boundValue(int v, int skip) {
        int max = random.nextInt(1, 64);
        switch (random.nextInt(8)) {
            case 0, 1 -> {
                int mask = (1 << random.nextInt(1, 7)) - 1;
                p.alu64(AND, v, mask);
                return mask;
            }
            case 2 -> p.jump(JMP | JGT | K, v, 0, max, skip);
            case 3 -> {
                p.jump(JMP | JGE | K, v, 0, max + 1, skip);
            }
            case 4 -> {
                int ok = p.newLabel();
                p.jump(JMP | JLE | K, v, 0, max, ok);
                p.jump(JMP | JA, 0, 0, 0, skip);
                p.bind(ok);
            }
            case 5 -> p.jump(JMP | JSGT | K, v, 0, max, skip); // signed: the value may still be negative
            case 6 -> p.jump(JMP32 | JGT | K, v, 0, max, skip);
            default -> {
                return -1;
            }
        }
        return max;
    }

    /** After a check proving k bytes: pointers moved within (and sometimes past) them, and accesses through those. */
    private void packetPointerMoves() {
        int k = random.nextInt(1, 33);
        int a = pick(2, 3);
        int skip = skipLabel();
        p.alu64Reg(MOV, a, 7);
        p.alu64(ADD, a, k);
        int room = boundsCheck(a, 8, k, skip);
        int q = pick(4, 5);
        int move = random.nextInt(-4, room + 2);
        p.alu64Reg(MOV, q, 7);
        if (random.nextBoolean()) {
            p.alu64(ADD, q, move);
        } else {
            p.alu64(SUB, q, -move);
        }
        int size = SIZES[random.nextInt(4)];
        int off = offsetWithin(room - move, bytes(size));
        if (random.nextInt(3) == 0) {
            p.store(size, q, off, 9);
        } else {
            p.load(size, pick(0, 9), q, off);
        }
        if (random.nextInt(4) == 0) {
            // The end minus a checked pointer: how many bytes are left, a number the program may use as a bound.
            p.alu64Reg(MOV, 9, 8);
            p.alu64Reg(SUB, 9, a);
        }
    }

    /** The metadata pointer (equal to the packet's start here: no metadata) checked against the start. */
    private void metadata() {
        int skip = skipLabel();
        int k = random.nextInt(0, 9);
        p.load(W, 9, 6, 8);
        p.alu64Reg(MOV, 2, 9);
        p.alu64(ADD, 2, k);
        if (random.nextInt(5) == 0) {
            p.jump(JMP | JGT | X, 2, 8, 0, skip); // against the end: proves nothing about the metadata
        } else {
            p.jump(JMP | JGT | X, 2, 7, 0, skip);
        }
        int size = SIZES[random.nextInt(4)];
        p.load(size, 3, 9, offsetWithin(k, bytes(size)));
    }

    private static final int[] VALUE_OPS = {ADD, SUB, MUL, DIV, OR, AND, LSH, RSH, NEG, MOD, XOR, ARSH, MOV};

    /**
     * A number from the input, put through a little arithmetic, bounded by one or two checks of any kind
     * (or not at all), then used as an offset into the stack, a map value, the packet or the context.
     */
    private void arithmeticOffset() {
        int target = random.nextInt(4);
        if (target == 0 && random.nextInt(10) < 8) {
            for (int off = 8; off <= 64; off += 8) {
                p.store(DW, 10, -off, off);
                mark(off, 8);
            }
        }
        int skip = skipLabel();
        if (target == 1) {
            p.store(W, 10, -4, random.nextInt(0, 5));
            mark(4, 4);
            p.alu64Reg(MOV, 2, 10);
            p.alu64(ADD, 2, -4);
            p.lddw(1, PSEUDO_MAP_FD, SoundnessWorld.ARRAY_MAP);
            p.call(1);
            p.jump(JMP | JEQ | K, 0, 0, 0, skip);
            p.alu64Reg(MOV, 9, 0);
        }
        int v = pick(2, 3, 4);
        int other = v == 2 ? 3 : 2;
        switch (random.nextInt(4)) {
            case 0, 1 -> p.load(random.nextInt(4) == 0 ? DW : W, v, 6, CTX_NUMBER_FIELDS[random.nextInt(3)]);
            case 2 -> {
                p.alu64Reg(MOV, v, 7);
                p.alu64(ADD, v, 2);
                p.jump(JMP | JGT | X, v, 8, 0, skip);
                p.load(random.nextBoolean() ? B : H, v, 7, 0);
            }
            default -> p.load(random.nextBoolean() ? MEMSX | W : W, v, 6, CTX_NUMBER_FIELDS[random.nextInt(3)]);
        }
        if (random.nextBoolean()) {
            p.load(W, other, 6, CTX_NUMBER_FIELDS[random.nextInt(3)]);
            p.alu64(AND, other, (1 << random.nextInt(1, 6)) - 1);
        } else {
            p.emit(ALU64 | MOV | K, other, 0, 0, random.nextInt(-3, 9));
        }
        int ops = random.nextInt(0, 4);
        for (int i = 0; i < ops; i++) {
            int op = VALUE_OPS[random.nextInt(VALUE_OPS.length)];
            int cls = random.nextInt(3) == 0 ? ALU : ALU64;
            if (op == NEG) {
                p.emit(cls | NEG, v, 0, 0, 0);
            } else if (op == MOV) {
                int ext = new int[] {8, 16, 32}[random.nextInt(3)];
                p.emit(cls | MOV | X, v, v, cls == ALU && ext == 32 ? 16 : ext, 0);
            } else if (random.nextInt(3) == 0) {
                p.emit(cls | op | X, v, other, (op == DIV || op == MOD) && random.nextBoolean() ? 1 : 0, 0);
            } else {
                int imm = switch (op) {
                    case LSH, RSH, ARSH -> random.nextInt(cls == ALU ? 32 : 64);
                    case AND -> random.nextBoolean() ? (1 << random.nextInt(1, 8)) - 1 : random.nextInt();
                    default -> random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(-70, 70);
                };
                p.emit(cls | op | K, v, 0, (op == DIV || op == MOD) && random.nextBoolean() ? 1 : 0, imm);
            }
        }
        int checks = random.nextInt(0, 3);
        for (int i = 0; i < checks; i++) {
            int op = JUMP_OPS[random.nextInt(JUMP_OPS.length)];
            int cls = random.nextInt(4) == 0 ? JMP32 : JMP;
            int imm = random.nextInt(3) == 0 ? random.nextInt(-4, 4) : random.nextInt(0, 80);
            if (random.nextBoolean()) {
                p.jump(cls | op | K, v, 0, imm, skip);
            } else {
                int ok = p.newLabel();
                p.jump(cls | op | K, v, 0, imm, ok);
                p.jump(JMP | JA, 0, 0, 0, skip);
                p.bind(ok);
            }
        }
        int size = SIZES[random.nextInt(4)];
        int bytes = bytes(size);
        boolean store = random.nextInt(3) == 0;
        int dst = pick(0, 5);
        switch (target) {
            case 0 -> {
                p.alu64Reg(MOV, 5, 10);
                p.alu64(ADD, 5, -64);
                p.alu64Reg(ADD, 5, v);
                access(store, size, 5, random.nextInt(-8, 64 - bytes + 1), dst == 5 ? 0 : dst);
            }
            case 1 -> {
                p.alu64Reg(ADD, 9, v);
                access(store, size, 9, random.nextInt(-4, SoundnessWorld.ARRAY_VALUE_SIZE), dst);
            }
            case 2 -> {
                p.alu64Reg(MOV, 5, 7);
                p.alu64Reg(ADD, 5, v);
                p.alu64Reg(MOV, 0, 5);
                int k = bytes + random.nextInt(0, 6);
                p.alu64(ADD, 0, k);
                int room = boundsCheck(0, 8, k, skip);
                access(store, size, 5, offsetWithin(room, bytes), 3);
            }
            default -> {
                p.alu64Reg(MOV, 5, 6);
                p.alu64Reg(ADD, 5, v);
                access(store, W, 5, CTX_NUMBER_FIELDS[random.nextInt(3)], 0);
            }
        }
    }

    private void access(boolean store, int size, int base, int offset, int dst) {
        if (store) {
            p.store(size, base, offset, 77);
        } else {
            p.load(size, dst, base, offset);
        }
    }

    // ---- the stack ----

    private void stackStore() {
        int size = SIZES[random.nextInt(4)];
        int bytes = bytes(size);
        int off = random.nextInt(3) == 0 ? random.nextInt(bytes, 65) : bytes * random.nextInt(1, 64 / bytes + 1);
        if (random.nextInt(30) == 0) {
            off = random.nextInt(-8, 600); // sometimes out of the frame either way
        }
        if (random.nextBoolean()) {
            p.store(size, 10, -off, random.nextInt(-5, 300));
        } else {
            p.storeReg(size, 10, -off, random.nextInt(10) == 0 ? pick(1, 6, 7, 10) : source());
        }
        mark(off, bytes);
    }

    private void stackLoad() {
        int size = SIZES[random.nextInt(4)];
        int bytes = bytes(size);
        int off = writtenOffset(bytes);
        if (off < 0 && random.nextInt(4) != 0) {
            int slot = 8 * random.nextInt(1, 9);
            p.store(DW, 10, -slot, random.nextInt(-3, 300));
            mark(slot, 8);
            off = slot - random.nextInt(0, 8 - bytes + 1);
        } else if (off < 0 || random.nextInt(10) == 0) {
            off = random.nextInt(bytes, 65);
        }
        p.load(random.nextInt(12) == 0 && size != DW ? MEMSX | size : size, scratch(), 10, -off);
    }

    private void stackThroughCopy() {
        int s = pick(2, 3, 4, 5, 9);
        int k = 8 * random.nextInt(1, 17) + (random.nextInt(4) == 0 ? random.nextInt(8) : 0);
        p.alu64Reg(MOV, s, 10);
        p.alu64(ADD, s, -k);
        int size = SIZES[random.nextInt(4)];
        int bytes = bytes(size);
        int o = random.nextInt(10) == 0 ? random.nextInt(-8, k + 8) : random.nextInt(0, Math.max(1, k - bytes + 1));
        if (random.nextBoolean()) {
            p.store(size, s, o, random.nextInt(100));
            mark(k - o, bytes);
        } else {
            p.load(size, pick(0, 2, 3), s, o);
        }
        if (random.nextInt(3) == 0) {
            int copy = pick(2, 3, 4, 5);
            p.alu64Reg(MOV, copy, s);
            p.alu64(ADD, copy, 8);
            p.load(DW, pick(0, 2, 3), copy, -8 + o - o % 8);
        }
    }

    private void stackVariableOffset() {
        if (random.nextInt(10) < 7) {
            for (int off = 8; off <= 64; off += 8) {
                p.store(DW, 10, -off, off);
                mark(off, 8);
            }
        }
        int v = pick(2, 3, 4);
        int skip = skipLabel();
        p.load(W, v, 6, CTX_NUMBER_FIELDS[random.nextInt(3)]);
        int choice = random.nextInt(6);
        int width = 8;
        if (choice < 3) {
            p.alu64(AND, v, random.nextInt(10) == 0 ? 0x3f : 0x38);
        } else if (choice < 5) {
            p.jump(JMP | JGT | K, v, 0, random.nextInt(10) == 0 ? 57 : 56, skip);
        } else {
            p.jump(JMP | JGT | K, v, 0, 63, skip);
            width = 1;
        }
        int s = 5;
        p.alu64Reg(MOV, s, 10);
        p.alu64(ADD, s, -64);
        p.alu64Reg(ADD, s, v);
        int size = width == 8 ? DW : B;
        if (random.nextInt(3) == 0) {
            p.store(size, s, 0, 1);
        } else {
            p.load(size, pick(0, 2, 3), s, 0);
        }
    }

    // ---- maps ----

    private void mapLookup() {
        boolean hash = random.nextInt(3) == 0;
        int keyOff = hash ? 8 : 4;
        if (random.nextInt(12) != 0) {
            p.store(hash ? DW : W, 10, -keyOff, random.nextInt(0, 6));
            mark(keyOff, hash ? 8 : 4);
        }
        p.alu64Reg(MOV, 2, 10);
        p.alu64(ADD, 2, -keyOff);
        p.lddw(1, PSEUDO_MAP_FD, hash ? SoundnessWorld.HASH_MAP : SoundnessWorld.ARRAY_MAP);
        p.call(1);
        int skip = skipLabel();
        int check = random.nextInt(20);
        if (check < 12) {
            p.jump(JMP | JEQ | K, 0, 0, 0, skip);
        } else if (check < 17) {
            int use = p.newLabel();
            p.jump(JMP | JNE | K, 0, 0, 0, use);
            p.jump(JMP | JA, 0, 0, 0, skip);
            p.bind(use);
        } else if (check < 19) {
            p.alu64Reg(MOV, 9, 0); // a copy checked instead: the check must refine r0 too
            p.jump(JMP | JEQ | K, 9, 0, 0, skip);
        }
        int valueSize = hash ? 8 : SoundnessWorld.ARRAY_VALUE_SIZE;
        int base = 0;
        if (random.nextInt(4) == 0) {
            p.alu64Reg(MOV, 9, 0);
            base = 9;
        }
        int size = SIZES[random.nextInt(4)];
        int bytes = bytes(size);
        int kind = random.nextInt(10);
        if (kind < 6) {
            int off = offsetWithin(valueSize, bytes);
            if (random.nextBoolean()) {
                p.load(size, pick(2, 3, 4), base, off);
            } else {
                p.store(size, base, off, random.nextInt(100));
            }
        } else if (kind < 8) {
            int v = pick(2, 3, 4);
            p.load(W, v, 6, CTX_NUMBER_FIELDS[random.nextInt(3)]);
            int max = boundValue(v, skip);
            p.alu64Reg(ADD, base, v);
            int off = max >= 0 && max + bytes <= valueSize && random.nextInt(5) != 0 ? 0 : random.nextInt(0, valueSize);
            p.load(size, pick(2, 3, 4), base, off);
        } else {
            int value = pick(2, 3, 4);
            p.emit(ALU64 | MOV | K, value, 0, 0, 1);
            int width = random.nextBoolean() ? DW : W;
            p.emit(STX | ATOMIC | width, base, value, offsetWithin(valueSize, bytes(width)) & ~(bytes(width) - 1),
                    random.nextBoolean() ? ATOMIC_ADD : ATOMIC_ADD | FETCH);
        }
    }

    private void mapUpdateOrDelete() {
        p.store(DW, 10, -8, random.nextInt(0, 6));
        mark(8, 8);
        p.alu64Reg(MOV, 2, 10);
        p.alu64(ADD, 2, -8);
        p.lddw(1, PSEUDO_MAP_FD, SoundnessWorld.HASH_MAP);
        if (random.nextInt(3) == 0) {
            p.call(3);
            return;
        }
        if (random.nextInt(10) != 0) {
            p.store(DW, 10, -16, random.nextInt(1000));
            mark(16, 8);
        }
        p.alu64Reg(MOV, 3, 10);
        p.alu64(ADD, 3, -16);
        p.emit(ALU64 | MOV | K, 4, 0, 0, 0);
        p.call(2);
    }

    private void globalData() {
        int dst = pick(2, 3, 4, 5, 9);
        int start = random.nextInt(0, SoundnessWorld.ARRAY_VALUE_SIZE);
        p.emit(LDDW, dst, PSEUDO_MAP_VALUE, 0, SoundnessWorld.ARRAY_MAP);
        p.emit(0, 0, 0, 0, start);
        int size = SIZES[random.nextInt(4)];
        int off = offsetWithin(SoundnessWorld.ARRAY_VALUE_SIZE - start, bytes(size));
        if (random.nextBoolean()) {
            p.load(size, pick(0, 2, 3), dst, off);
        } else {
            p.store(size, dst, off, 5);
        }
    }

    // ---- the rest ----

    private static final int[] ALU_OPS = {ADD, SUB, MUL, DIV, OR, AND, LSH, RSH, NEG, MOD, XOR, MOV, ARSH};

    private void randomAlu() {
        int op = ALU_OPS[random.nextInt(ALU_OPS.length)];
        boolean is64 = random.nextInt(4) != 0;
        int dst = random.nextInt(6) == 0 ? pick(1, 6, 7, 8) : source();
        int cls = is64 ? ALU64 : ALU;
        if (op == NEG) {
            p.emit(cls | NEG, dst, 0, 0, 0);
        } else if (random.nextBoolean()) {
            int imm = switch (random.nextInt(5)) {
                case 0 -> random.nextInt(-8, 9);
                case 1 -> op == LSH || op == RSH || op == ARSH ? random.nextInt(64) : 1 << random.nextInt(31);
                case 2 -> random.nextInt(0, 300);
                case 3 -> -1;
                default -> random.nextInt();
            };
            if (!is64 && (op == LSH || op == RSH || op == ARSH)) {
                imm &= 31;
            } else if (op == LSH || op == RSH || op == ARSH) {
                imm &= 63;
            }
            int off = (op == DIV || op == MOD) && random.nextInt(4) == 0 ? 1 : 0;
            p.emit(cls | op | K, dst, 0, off, imm);
        } else {
            int src = random.nextInt(3) == 0 ? random.nextInt(11) : source();
            int off = (op == DIV || op == MOD) && random.nextInt(4) == 0 ? 1 : 0;
            if (op == MOV && random.nextInt(6) == 0) {
                off = new int[] {8, 16, 32}[random.nextInt(3)];
                if (!is64 && off == 32) {
                    off = 16;
                }
            }
            p.emit(cls | op | X, dst, src, off, 0);
        }
    }

    private static final int[] JUMP_OPS = {JEQ, JGT, JGE, JSET, JNE, JSGT, JSGE, JLT, JLE, JSLT, JSLE};

    private void randomBranch() {
        int op = JUMP_OPS[random.nextInt(JUMP_OPS.length)];
        int cls = random.nextInt(4) == 0 ? JMP32 : JMP;
        int a = random.nextInt(8) == 0 ? pick(6, 7, 8, 10) : source();
        int target = snippetEnds.get(random.nextInt(current, snippetEnds.size()));
        if (random.nextBoolean()) {
            p.jump(cls | op | K, a, 0, random.nextInt(-4, 60), target);
        } else {
            p.jump(cls | op | X, a, random.nextInt(4) == 0 ? random.nextInt(11) : source(), 0, target);
        }
    }

    private void contextAccess() {
        int r = random.nextInt(10);
        if (r < 6) {
            p.load(W, scratch(), 6, CTX_NUMBER_FIELDS[random.nextInt(3)]);
        } else if (r < 8) {
            p.store(W, 6, CTX_NUMBER_FIELDS[random.nextInt(3)], random.nextInt(10));
        } else {
            int size = SIZES[random.nextInt(4)];
            p.load(size, scratch(), random.nextBoolean() ? 6 : 1, random.nextInt(-2, 26));
        }
    }

    /** A loop writing a run of stack slots: {@code for (s = r10-8n; n--; s += 8) *s = n}. */
    private void countedLoop() {
        int n = random.nextInt(1, 9);
        int s = 5;
        int c = 4;
        p.alu64Reg(MOV, s, 10);
        p.alu64(ADD, s, -8 * n);
        p.emit(ALU64 | MOV | K, c, 0, 0, random.nextInt(20) == 0 ? n + 1 : n);
        int head = p.newLabel();
        p.bind(head);
        p.storeReg(DW, s, 0, c);
        p.alu64(ADD, s, 8);
        p.alu64(SUB, c, 1);
        if (random.nextBoolean()) {
            p.jump(JMP | JNE | K, c, 0, 0, head);
        } else {
            p.jump(JMP | JSGT | K, c, 0, 0, head);
        }
        mark(8 * n, 8 * n);
        if (random.nextBoolean()) {
            p.load(DW, pick(0, 2, 3), 10, -8 * random.nextInt(1, n + 1));
        }
    }

    /** A helper writing a buffer: on the stack (now and then reaching out of the frame), the packet or a map value. */
    private void helperWrite() {
        int size = random.nextInt(1, 17);
        int where = random.nextInt(4);
        int skip = skipLabel();
        if (where == 0) {
            int off = random.nextInt(8) == 0 ? random.nextInt(1, 700) : random.nextInt(size, 65);
            p.alu64Reg(MOV, 1, 10);
            p.alu64(ADD, 1, -off);
            mark(off, Math.min(off, size));
        } else if (where == 1) {
            int k = random.nextInt(1, 24);
            p.alu64Reg(MOV, 1, 7);
            p.alu64(ADD, 1, k);
            p.jump(JMP | JGT | X, 1, 8, 0, skip);
            p.alu64Reg(MOV, 1, 7);
            if (size > k && random.nextBoolean()) {
                size = k;
            }
        } else {
            p.store(W, 10, -4, random.nextInt(0, 5));
            mark(4, 4);
            p.alu64Reg(MOV, 2, 10);
            p.alu64(ADD, 2, -4);
            p.lddw(1, PSEUDO_MAP_FD, SoundnessWorld.ARRAY_MAP);
            p.call(1);
            p.jump(JMP | JEQ | K, 0, 0, 0, skip);
            p.alu64Reg(MOV, 1, 0);
            size = random.nextInt(1, SoundnessWorld.ARRAY_VALUE_SIZE + 3);
        }
        if (random.nextInt(4) == 0) {
            p.load(W, 2, 6, CTX_NUMBER_FIELDS[random.nextInt(3)]);
            p.alu64(AND, 2, (1 << random.nextInt(1, 5)) - 1);
            p.jump(JMP | JEQ | K, 2, 0, 0, skip);
        } else {
            p.emit(ALU64 | MOV | K, 2, 0, 0, size);
        }
        p.call(SoundnessWorld.GET_CURRENT_COMM);
    }

    /** A pointer spilled to the stack and filled into another register, then used (sometimes after a partial overwrite). */
    private void pointerSpill() {
        int slot = 8 * random.nextInt(1, 9);
        int from = pick(6, 7, 8, 10);
        int to = pick(2, 3, 4, 5);
        p.storeReg(DW, 10, -slot, from);
        mark(slot, 8);
        if (random.nextInt(6) == 0) {
            p.store(random.nextBoolean() ? B : W, 10, -slot + random.nextInt(0, 4), 0);
        }
        p.load(random.nextInt(8) == 0 ? W : DW, to, 10, -slot);
        switch (from) {
            case 6 -> p.load(W, pick(0, 2, 3), to, CTX_NUMBER_FIELDS[random.nextInt(3)]);
            case 7 -> {
                int skip = skipLabel();
                int a = to == 5 ? 4 : 5;
                int k = random.nextInt(1, 16);
                p.alu64Reg(MOV, a, to);
                p.alu64(ADD, a, k);
                boundsCheck(a, 8, k, skip);
                p.load(B, 0, to, random.nextInt(0, k + 1));
            }
            case 8 -> p.alu64Reg(SUB, to, 7); // the packet's length, a number
            default -> p.load(DW, 0, to, -slot);
        }
    }

    /**
     * A call of a subprogram placed after the main program's exit: r1 points at a caller's stack slot,
     * the callee reads it, uses its own frame and returns a number (sometimes something it must not).
     */
    private void localCall() {
        int sub = p.newLabel();
        int slot = 8 * random.nextInt(1, 5);
        if (random.nextInt(8) != 0) {
            p.store(DW, 10, -slot, random.nextInt(100));
            mark(slot, 8);
        }
        p.alu64Reg(MOV, 1, 10);
        p.alu64(ADD, 1, -slot);
        p.jump(JMP | CALL, 0, CALL_LOCAL, 0, sub);
        int use = random.nextInt(6);
        int callerSlot = slot;
        int kind = random.nextInt(12);
        p.later(() -> {
            p.bind(sub);
            p.load(DW, 2, 1, 0);
            if (kind < 7) {
                p.storeReg(DW, 10, -8, 2);
                p.load(DW, 0, 10, -8);
                p.alu64(ADD, 0, 1);
            } else if (kind < 8) {
                p.load(DW, 0, 10, -16); // the callee's own frame, never written
            } else if (kind < 9) {
                p.store(DW, 1, 0, 42); // writes the caller's slot
                p.emit(ALU64 | MOV | K, 0, 0, 0, 3);
            } else if (kind < 10) {
                p.alu64Reg(MOV, 0, 10);
                p.alu64(ADD, 0, -8); // a pointer into the callee's frame, dead after the return
                p.store(DW, 10, -8, 5);
            } else if (kind < 11) {
                p.load(DW, 0, 10, 512 - callerSlot); // reaches the caller's frame through the callee's r10
            } else {
                p.alu64Reg(MOV, 0, 1); // returns the caller's stack pointer
            }
            p.exit();
        });
        if (use < 3) {
            p.load(DW, pick(2, 3), 10, -callerSlot);
        } else if (use < 4) {
            p.load(B, 2, 0, 0); // r0 as a pointer
        }
    }

    private void legacyPacketLoad() {
        int size = new int[] {B, H, W}[random.nextInt(3)];
        if (random.nextBoolean()) {
            p.emit(LD | ABS | size, 0, 0, 0, random.nextInt(0, 40));
        } else {
            int v = pick(2, 3, 4);
            p.emit(ALU64 | MOV | K, v, 0, 0, random.nextInt(0, 20));
            p.emit(LD | IND | size, 0, v, 0, random.nextInt(0, 20));
        }
    }

    // ---- helpers of the generator ----

    /** A label at the end of this snippet, or (sometimes) of a later one. */
    private int skipLabel() {
        return snippetEnds.get(random.nextInt(4) == 0 ? random.nextInt(current, snippetEnds.size()) : current);
    }

    /** An offset for {@code bytes} within {@code room} bytes; now and then a little outside it. */
    private int offsetWithin(int room, int bytes) {
        if (random.nextInt(8) == 0 || room < bytes) {
            return random.nextInt(Math.max(-2, room - bytes - 2), room + 3);
        }
        return random.nextInt(0, room - bytes + 1);
    }

    private int writtenOffset(int bytes) {
        List<Integer> candidates = new ArrayList<>();
        for (int off = bytes; off <= 512; off++) {
            boolean all = true;
            for (int i = 0; i < bytes && all; i++) {
                all = written[off - 1 - i];
            }
            if (all) {
                candidates.add(off);
            }
        }
        return candidates.isEmpty() ? -1 : candidates.get(random.nextInt(candidates.size()));
    }

    /** Bytes [r10-off, r10-off+bytes) written. */
    private void mark(int off, int bytes) {
        for (int i = 0; i < bytes; i++) {
            int at = off - 1 - i;
            if (at >= 0 && at < written.length) {
                written[at] = true;
            }
        }
    }

    private int scratch() {
        return SCRATCH[random.nextInt(SCRATCH.length)];
    }

    /** A scratch register to read: one that is set, mostly. */
    private int source() {
        int set = 0;
        for (int r : SCRATCH) {
            if ((p.defined() & 1 << r) != 0) {
                set++;
            }
        }
        if (set == 0 || random.nextInt(12) == 0) {
            return scratch();
        }
        int k = random.nextInt(set);
        for (int r : SCRATCH) {
            if ((p.defined() & 1 << r) != 0 && k-- == 0) {
                return r;
            }
        }
        throw new AssertionError();
    }

    private int pick(int... regs) {
        return regs[random.nextInt(regs.length)];
    }

    private static int bytes(int size) {
        return switch (size) {
            case B -> 1;
            case H -> 2;
            case W -> 4;
            default -> 8;
        };
    }
}

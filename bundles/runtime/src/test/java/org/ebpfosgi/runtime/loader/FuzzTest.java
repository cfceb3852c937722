package org.ebpfosgi.runtime.loader;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ebpfosgi.api.runtime.ObjectFormatException;
import org.ebpfosgi.runtime.elf.ElfFile;
import org.ebpfosgi.runtime.elf.ElfRelocation;
import org.ebpfosgi.runtime.elf.ElfSection;
import org.junit.jupiter.api.Test;

/**
 * Mutates valid objects (bit flips, byte sets, truncation, extreme values in ELF, section, symbol,
 * relocation, instruction, BTF and BTF.ext fields) and checks that the loader either succeeds or
 * throws an ObjectFormatException of its own (not a wrapped defect), without hanging or running out
 * of memory. Deterministic; {@code -Debpf.fuzz.cases=N} and {@code -Debpf.fuzz.seed=S} change the run.
 */
class FuzzTest {
    private static final long[] EXTREMES = {0, 1, 2, 7, 8, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffffL, 0x80000000L, 0xffffffffL,
            0x100000000L, Long.MAX_VALUE, Long.MIN_VALUE, -1, -8, 0x10000, 0xfff1, 0xffff_ffff_fff0L};

    /** Where a field of a base object is: offset and width in bytes. */
    private record Field(int offset, int width) {}

    private record Base(String name, byte[] bytes, List<Field> fields) {}

    @Test
    void mutatedObjectsFailOnlyWithObjectFormatException() {
        int cases = Integer.getInteger("ebpf.fuzz.cases", 100_000);
        long seed = Long.getLong("ebpf.fuzz.seed", 0x5eed_0bf5L);
        List<Base> bases = bases();
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofMinutes(10), () -> {
            SplittableRandom random = new SplittableRandom(seed);
            for (int n = 0; n < cases; n++) {
                Base base = bases.get(random.nextInt(bases.size()));
                byte[] mutated = mutate(base, random);
                try {
                    ObjectLoader.parse(base.name(), mutated, LinuxSectionTypes.instance());
                    outcomes[0]++;
                } catch (ObjectFormatException e) {
                    if (e.getCause() instanceof RuntimeException) {
                        throw new AssertionError("case " + n + " (seed " + seed + ", " + base.name() + "): a defect wrapped as "
                                + e.getMessage(), e.getCause());
                    }
                    outcomes[1]++;
                } catch (Throwable t) {
                    throw new AssertionError("case " + n + " (seed " + seed + ", " + base.name() + "): " + t, t);
                }
            }
        });
        System.out.println("fuzz: " + cases + " cases, " + outcomes[0] + " parsed, " + outcomes[1] + " refused");
        assertTrue(outcomes[1] > cases / 10, "the mutations should break many objects: " + outcomes[1] + " of " + cases);
        assertTrue(outcomes[0] > cases / 100, "and leave some parseable: " + outcomes[0] + " of " + cases);
    }

    private static List<Base> bases() {
        List<Base> bases = new ArrayList<>();
        for (Path p : Samples.validObjects()) {
            String rel = Samples.relative(p);
            if (!(rel.startsWith("build/") || rel.startsWith("new_linux/") || rel.equals("linux/sockex3_kern.o")
                    || rel.equals("cilium/bpf_xdp.o"))) {
                continue;
            }
            byte[] bytes = Samples.read(p);
            try {
                bases.add(new Base(p.getFileName().toString(), bytes, fields(bytes)));
            } catch (ObjectFormatException e) {
                fail(rel + " is valid: " + e.getMessage());
            }
        }
        assertTrue(bases.size() > 40, "base objects: " + bases.size());
        return bases;
    }

    /** The structural fields of a valid object, found by parsing it (ELF, symbols, relocations, code, BTF). */
    private static List<Field> fields(byte[] bytes) throws ObjectFormatException {
        ElfFile elf = ElfFile.parse(bytes);
        List<Field> fields = new ArrayList<>();
        for (int[] f : new int[][] {{16, 2}, {18, 2}, {40, 8}, {58, 2}, {60, 2}, {62, 2}}) {
            fields.add(new Field(f[0], f[1]));
        }
        long shoff = le(bytes, 40, 8);
        for (ElfSection s : elf.sections()) {
            int h = (int) (shoff + 64L * s.index());
            for (int[] f : new int[][] {{0, 4}, {4, 4}, {8, 8}, {24, 8}, {32, 8}, {40, 4}, {44, 4}, {56, 8}}) {
                fields.add(new Field(h + f[0], f[1]));
            }
            if (s.data() == null || s.size() == 0) {
                continue;
            }
            int base = (int) s.offset();
            if (s.type() == ElfSection.SHT_SYMTAB) {
                for (int i = 0; i + 24 <= s.size(); i += 24) {
                    for (int[] f : new int[][] {{0, 4}, {4, 1}, {6, 2}, {8, 8}, {16, 8}}) {
                        fields.add(new Field(base + i + f[0], f[1]));
                    }
                }
            } else if (s.type() == ElfSection.SHT_REL) {
                for (int i = 0; i + 16 <= s.size(); i += 16) {
                    fields.add(new Field(base + i, 8));
                    fields.add(new Field(base + i + 8, 4));
                    fields.add(new Field(base + i + 12, 4));
                }
            } else if (s.isExecutable()) {
                for (int i = 0; i + 8 <= s.size(); i += 8) {
                    fields.add(new Field(base + i, 1));
                    fields.add(new Field(base + i + 1, 1));
                    fields.add(new Field(base + i + 4, 4));
                }
            } else if (s.name().equals(".BTF") || s.name().equals(".BTF.ext")) {
                for (int i = 0; i + 4 <= Math.min(s.size(), 32); i += 4) {
                    fields.add(new Field(base + i, 4));
                }
                if (s.name().equals(".BTF")) {
                    long typeStart = base + le(bytes, base + 4, 4) + le(bytes, base + 8, 4);
                    // the first types' name, info (vlen, kind) and size/type words
                    for (long p = typeStart; p < typeStart + 240 && p + 4 <= base + s.size(); p += 4) {
                        fields.add(new Field((int) p, 4));
                    }
                } else {
                    long infoStart = base + le(bytes, base + 4, 4);
                    for (long p = infoStart; p < infoStart + 96 && p + 4 <= base + s.size(); p += 4) {
                        fields.add(new Field((int) p, 4));
                    }
                }
            }
        }
        for (ElfSection s : elf.sections()) {
            for (ElfRelocation r : elf.relocations(s.index())) {
                if (s.isExecutable() && r.offset() + 8 <= s.size()) {
                    fields.add(new Field((int) (s.offset() + r.offset() + 4), 4));
                }
            }
        }
        return fields;
    }

    private static long le(byte[] b, long offset, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = v << 8 | (b[(int) offset + i] & 0xff);
        }
        return v;
    }

    private static byte[] mutate(Base base, SplittableRandom random) {
        byte[] b = base.bytes().clone();
        int kind = random.nextInt(10);
        switch (kind) {
            case 0, 1 -> { // bit flips anywhere
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int p = random.nextInt(b.length);
                    b[p] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 2 -> { // byte sets anywhere
                int sets = 1 + random.nextInt(4);
                for (int i = 0; i < sets; i++) {
                    b[random.nextInt(b.length)] = (byte) (random.nextBoolean() ? random.nextInt(256) : EXTREMES[random.nextInt(EXTREMES.length)]);
                }
            }
            case 3 -> { // truncation
                return java.util.Arrays.copyOf(b, random.nextInt(b.length));
            }
            default -> { // extreme or random values in structural fields
                int count = 1 + random.nextInt(3);
                for (int i = 0; i < count; i++) {
                    Field f = base.fields().get(random.nextInt(base.fields().size()));
                    long original = le(b, f.offset(), f.width());
                    long value = switch (random.nextInt(4)) {
                        case 0 -> EXTREMES[random.nextInt(EXTREMES.length)];
                        case 1 -> original + random.nextInt(-16, 17);
                        case 2 -> random.nextLong();
                        default -> original ^ (1L << random.nextInt(f.width() * 8));
                    };
                    for (int k = 0; k < f.width(); k++) {
                        b[f.offset() + k] = (byte) (value >>> (8 * k));
                    }
                }
            }
        }
        return b;
    }
}

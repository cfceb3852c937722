package org.ebpfosgi.interpreter;

import java.util.List;
import java.util.Map;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.api.program.ContextDescriptor;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.isa.Assembler;

/** Small conveniences for tests: assemble, load, run (public: the internal and machine packages' tests use them too). */
public final class Programs {
    private Programs() {
    }

    static long run(String asm) {
        return run(asm, new byte[0]);
    }

    /** Runs {@code asm} unverified with {@code memory} in r1 (its length in r2). */
    static long run(String asm, byte[] memory) {
        return run(load(image(asm), false, InterpreterEngine.DEFAULT_BUDGET), memory);
    }

    /** Runs {@code program} the way a hook does, with {@code memory} in r1 (its length in r2). */
    public static long run(ExecutableProgram program, byte[] memory) {
        Memory m = program.memory();
        long r1 = memory.length == 0 ? 0 : m.map(Region.of(Region.Kind.MEMORY, "memory", memory));
        return program.run(m, r1, memory.length, null);
    }

    static ProgramImage image(String asm) {
        return ProgramImage.of("test", Assembler.assemble(asm));
    }

    static ProgramImage image(long[] words, Map<Integer, Helper> helpers, List<EbpfMap> maps) {
        return new ProgramImage("test", "test", ContextDescriptor.plain(0), words, maps, helpers, List.of());
    }

    static ExecutableProgram load(ProgramImage image, boolean verified, long budget) {
        return new InterpreterEngine(budget).load(image, verified);
    }

    /** One instruction word in the RFC 9669 layout. */
    static long word(int opcode, int dst, int src, int offset, int imm) {
        return (opcode & 0xFFL) | (dst & 0xFL) << 8 | (src & 0xFL) << 12 | (offset & 0xFFFFL) << 16 | (long) imm << 32;
    }

    static long[] concat(long[]... parts) {
        int n = 0;
        for (long[] p : parts) {
            n += p.length;
        }
        long[] all = new long[n];
        int i = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, i, p.length);
            i += p.length;
        }
        return all;
    }
}

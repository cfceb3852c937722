package org.ebpfosgi.interpreter.internal;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import org.ebpfosgi.interpreter.machine.ProgramCode;
import org.ebpfosgi.interpreter.machine.RunState;

/**
 * The interpreter's register files: one {@code long[]} holding r0..r10 at indices 0..10 and, from
 * {@link #CODE} on, a copy of the words ({@link ProgramCode#words}) of the code that runs in it. The
 * fast path ({@code Interpreter.run}) indexes registers and code in the same array, which leaves C2
 * one array base and one length to keep in registers instead of two of each: with two, the loop ran
 * short of registers and reloaded the arrays from the stack on every dispatch (fnv1a 17%, parse_udp
 * 12% slower). The copies live as long as the thread's run state, one per code and call depth (a
 * helper callback runs in a register file of its own while its caller's waits), so a run copies
 * nothing; it only clears the registers. The price is memory: 8 bytes per instruction per thread that
 * runs the program (and per callback depth it reaches), the size of the program's predecoded words.
 */
final class RegisterFiles {
    /** Index of instruction 0: the fast path's pc is the instruction's index plus this. */
    static final int CODE = 16;

    /** The file used last at each base depth, and its code: the common case, one check. */
    private final long[][] recent = new long[RunState.MAX_CALL_DEPTH + 2][];
    private final ProgramCode[] recentCode = new ProgramCode[RunState.MAX_CALL_DEPTH + 2];
    /** Every file made, by code (the program's own and its tail-call targets) and base depth. */
    private final Map<ProgramCode, long[][]> all = new IdentityHashMap<>();

    private RegisterFiles() {
    }

    /** A register file with all registers zero, for running {@code code} at {@code depth} on {@code s}'s thread. */
    static long[] of(RunState s, ProgramCode code, int depth) {
        RegisterFiles files = s.engineCache instanceof RegisterFiles f ? f : install(s);
        if (depth >= files.recent.length) {
            return fresh(code);
        }
        long[] file = files.recent[depth];
        if (file == null || files.recentCode[depth] != code) {
            long[][] byDepth = files.all.computeIfAbsent(code, c -> new long[files.recent.length][]);
            file = byDepth[depth];
            if (file == null) {
                file = fresh(code);
                byDepth[depth] = file;
            }
            files.recent[depth] = file;
            files.recentCode[depth] = code;
        }
        Arrays.fill(file, 0, CODE, 0L);
        return file;
    }

    private static RegisterFiles install(RunState s) {
        RegisterFiles files = new RegisterFiles();
        s.engineCache = files;
        return files;
    }

    private static long[] fresh(ProgramCode code) {
        long[] file = new long[CODE + code.words.length];
        System.arraycopy(code.words, 0, file, CODE, code.words.length);
        return file;
    }
}

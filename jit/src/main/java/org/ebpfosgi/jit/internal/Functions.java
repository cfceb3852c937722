package org.ebpfosgi.jit.internal;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.TreeSet;
import org.ebpfosgi.interpreter.machine.Ops;
import org.ebpfosgi.interpreter.machine.ProgramCode;

/**
 * How a program splits into JVM methods: one per function entry (instruction 0, every local-call
 * target, every code address a {@code lddw src=4} takes), each holding the instructions reachable
 * from its entry by falling through and jumping (calls leave the function). Code reachable from two
 * entries is compiled into both: the eBPF instruction set does not forbid shared tails.
 */
final class Functions {
    private Functions() {
    }

    /** The entries, in ascending order. */
    static TreeSet<Integer> entries(ProgramCode code) {
        long[] raw = code.raw;
        TreeSet<Integer> entries = new TreeSet<>();
        entries.add(0);
        for (int pc = 0; pc < raw.length; pc++) {
            if (!code.instructionStart[pc]) {
                continue;
            }
            int op = (int) raw[pc] & 0xFF;
            int src = (int) raw[pc] >>> 12 & 0xF;
            if (op == Ops.CALL && src == 1 || op == Ops.LDDW && src == 4) {
                entries.add(pc + (int) (raw[pc] >> 32) + 1); // ProgramCode checked the target
            }
        }
        return entries;
    }

    /** The instructions of the function starting at {@code entry}. */
    static BitSet body(ProgramCode code, int entry) {
        long[] raw = code.raw;
        int n = raw.length;
        BitSet body = new BitSet(n);
        ArrayDeque<Integer> work = new ArrayDeque<>();
        work.push(entry);
        while (!work.isEmpty()) {
            int pc = work.pop();
            if (pc >= n || body.get(pc)) {
                continue; // past the end: the compiler emits a run-time error for falling off
            }
            body.set(pc);
            long w = raw[pc];
            int op = (int) w & 0xFF;
            int cls = op & 0x07;
            if (op == Ops.EXIT) {
                continue;
            }
            if (op == Ops.JA) {
                work.push(pc + (short) (w >>> 16) + 1);
                continue;
            }
            if (op == Ops.JA32) {
                work.push(pc + (int) (w >> 32) + 1);
                continue;
            }
            if ((cls == 0x05 || cls == 0x06) && op != Ops.CALL && op != Ops.CALLX) {
                work.push(pc + (short) (w >>> 16) + 1);
            }
            work.push(pc + (op == Ops.LDDW ? 2 : 1));
        }
        return body;
    }
}

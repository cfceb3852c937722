package org.ebpfosgi.jit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.MemoryAccessException;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.interpreter.machine.ProgramCode;
import org.ebpfosgi.interpreter.machine.RunState;

/**
 * What generated code calls besides {@link RunState}: the budget and call-depth checks and the
 * translation of a failure into an {@link ExecutionException} naming the instruction. Small static
 * methods, so HotSpot inlines them into the generated code.
 */
public final class JitSupport {
    private JitSupport() {
    }

    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    // Little-endian array accesses for the generated code's fast paths: accesses relative to r10 (r10
    // is read-only, so they are always in the stack and the array's own bounds check is the only one
    // needed) and accesses inside the region the generated code holds in locals (checked against the
    // region's window before). Either way the JVM's bounds check stands behind them.

    public static long ld8(byte[] b, int i) {
        return b[i] & 0xFFL;
    }

    public static long ld16(byte[] b, int i) {
        return (short) I16.get(b, i) & 0xFFFFL;
    }

    public static long ld32(byte[] b, int i) {
        return (int) I32.get(b, i) & 0xFFFF_FFFFL;
    }

    public static long ld64(byte[] b, int i) {
        return (long) I64.get(b, i);
    }

    public static void st8(byte[] b, int i, long v) {
        b[i] = (byte) v;
    }

    public static void st16(byte[] b, int i, long v) {
        I16.set(b, i, (short) v);
    }

    public static void st32(byte[] b, int i, long v) {
        I32.set(b, i, (int) v);
    }

    public static void st64(byte[] b, int i, long v) {
        I64.set(b, i, v);
    }

    /**
     * {@code bpf_map_lookup_elem(map, r10 + off)} inlined: the map is a constant of the generated code
     * and the key sits in the stack at {@code index}, so neither needs resolving through the run's
     * memory. Answers the value's region (the generated code maps it and caches it in its locals, so
     * no field of the long-lived run state is written), or null for NULL.
     */
    public static Region lookupStackKey(EbpfMap map, int keySize, byte[] stack, int index) {
        if (index < 0 || index > stack.length - keySize) {
            throw new MemoryAccessException("read of a " + keySize + "-byte key at stack index " + index + ": outside the stack", 0, keySize);
        }
        try {
            return map.lookupRegion(stack, index);
        } catch (MapException refused) {
            return null;
        }
    }

    /** The region a helper's result points into, if it is one the fast path may cache (not a context). */
    public static Region returnedRegion(Memory memory, long r0) {
        Object entry = memory.entry(r0);
        return entry instanceof Region && ((Region) entry).kind() != Region.Kind.CONTEXT ? (Region) entry : null;
    }

    /** The bytes of {@code region} a program may write: its length, or -1 if it is read-only. */
    public static int writableLength(Region region) {
        return region.writable() ? region.length() : -1;
    }

    /** Charges one backward jump or call against an unverified program's budget. */
    public static void charge(RunState s, int pc) {
        if (--s.budget < 0) {
            throw new ExecutionException(pc, "instruction budget exhausted (the program is not verified and may not terminate)", null);
        }
    }

    /** Enters a local call or callx: one call frame deeper, at most {@link RunState#MAX_CALL_DEPTH}. */
    public static void enterCall(RunState s, int pc) {
        int d = s.depth;
        if (d >= RunState.MAX_CALL_DEPTH) {
            throw new ExecutionException(pc, "call nests deeper than " + RunState.MAX_CALL_DEPTH + " frames", null);
        }
        s.depth = d + 1;
    }

    /**
     * The exception a failure at {@code pc} leaves the run with: failures that already name their
     * instruction (program code a helper called back into, the end of a legacy packet load) pass
     * through, other exceptions name {@code pc} and the instruction; JVM errors other than a stack
     * overflow are not the program's to handle and pass through too.
     */
    public static Throwable fault(Throwable e, int pc, RunState s) {
        if (e instanceof ExecutionException || e instanceof RunState.LegacyPacketExit) {
            return e;
        }
        if (e instanceof StackOverflowError) {
            return new ExecutionException(pc, "Java stack exhausted (helpers calling back into the program too deeply)", null);
        }
        if (e instanceof IndexOutOfBoundsException) {
            return new ExecutionException(pc, ProgramCode.describe(s.program.code().raw, pc) + ": outside the stack ("
                    + RunState.STACK_SIZE + " bytes for " + (RunState.MAX_CALL_DEPTH + 1) + " frames): " + e.getMessage(), e);
        }
        if (e instanceof RuntimeException) {
            String message = e.getMessage() != null ? e.getMessage() : e.toString();
            return new ExecutionException(pc, ProgramCode.describe(s.program.code().raw, pc) + ": " + message, e);
        }
        return e;
    }

    /** As {@link #fault}, for a failure inside helper {@code index} of the running program. */
    public static Throwable helperFault(Throwable e, int pc, RunState s, int index) {
        if (e instanceof ExecutionException || e instanceof RunState.LegacyPacketExit || !(e instanceof RuntimeException)) {
            return fault(e, pc, s);
        }
        Helper helper = s.program.code().helpers[index];
        String name = helper != null ? helper.name() : s.program.code().helperNames[index];
        return RunState.helperFailure(pc, name, (RuntimeException) e);
    }

    /** A callx (or callback) to a code address that is not a function entry of the program. */
    public static ExecutionException notAFunction(int pc, int target) {
        return new ExecutionException(pc, "call to instruction " + target + ", which is not a function entry of this program", null);
    }

    /** Control fell off the end of the code. */
    public static ExecutionException pastTheEnd(int pc) {
        return new ExecutionException(pc, "control ran past the last instruction", null);
    }
}

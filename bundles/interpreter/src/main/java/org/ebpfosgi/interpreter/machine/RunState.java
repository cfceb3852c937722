package org.ebpfosgi.interpreter.machine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.MemoryAccessException;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.api.program.ContextDescriptor;

/**
 * Everything one thread needs to run one program: its address space, the stack (one region holding
 * every call frame), the saved registers of the call frames, and the helper context. Loads and
 * stores go through {@link #ld32} and friends: a checked fast path for the stack and for the last
 * region touched, and {@link Memory} for everything else. Not thread-safe; not re-entrant (a nested
 * run on the same thread gets a state of its own).
 */
public final class RunState implements HelperContext {
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Bytes of stack per call frame, as in Linux. */
    public static final int FRAME_SIZE = 512;
    /** Nested local calls (and helper callbacks) allowed below the program's own frame. */
    public static final int MAX_CALL_DEPTH = 8;
    public static final int STACK_SIZE = FRAME_SIZE * (MAX_CALL_DEPTH + 1);
    /** Tail calls one run may chain, as Linux's MAX_TAIL_CALL_CNT. */
    public static final int MAX_TAIL_CALLS = 33;

    public final Memory memory;
    /** The thread this state was made for: a state is never shared between threads. */
    final Thread thread = Thread.currentThread();
    /** Every call frame's 512 bytes; the JIT indexes it directly for accesses relative to r10. */
    public final byte[] stack = new byte[STACK_SIZE];
    /** Tagged address of stack byte 0; the main frame's r10 is {@code stackBase + STACK_SIZE}. */
    public final long stackBase;
    /** r6..r9 of each caller frame, four per frame. */
    private final long[] savedRegisters = new long[4 * (MAX_CALL_DEPTH + 1)];
    private final int[] returnPcs = new int[MAX_CALL_DEPTH + 1];

    /**
     * The program running now (a tail call changes it; null between runs) and its map handles / value
     * pointers in {@link #memory}.
     */
    public MachineProgram program;
    public long[] mapHandles;
    public long[] mapValues;
    /**
     * The code of the program this state belongs to. Not the program itself: the state lives in that
     * program's {@code ThreadLocal}, and a thread-local value that reaches its own {@code ThreadLocal}
     * keeps it, and so the program, alive for as long as the thread runs (every unloaded program would
     * stay in memory on every hook thread that ever ran it).
     */
    private final ProgramCode ownerCode;
    private final long[] ownerMapHandles;
    private final long[] ownerMapValues;

    // The last region other than the stack that a load or store resolved, else the stack itself: the
    // fast path's cache (the interpreter tests it before the stack).
    // Public for the JIT, which mirrors them in locals of its generated code and reloads them after any
    // call that may change them. Engines read them; only this class writes them.
    public long cachedBase;
    public byte[] cachedBytes = stack;
    public int cachedOffset;
    /** Readable length, or -1 if loads must go through Memory (contexts: their pointer fields). */
    public int cachedReadLength = -1;
    /** Writable length, or -1 if read-only. */
    public int cachedWriteLength = -1;

    /** What the engine keeps with this thread's state between runs (the interpreter: its register files). */
    public Object engineCache;

    // Per run.
    public boolean busy;
    private Object hookContext;
    /** Backward jumps and calls left in this run; engines decrement it and abort below zero. */
    public long budget;
    /** Call frames below the program's own: 0 in the program, up to {@link #MAX_CALL_DEPTH}. */
    public int depth;
    private int tailCalls;
    /** Set by a successful {@code bpf_tail_call}; the engine switches programs when the helper returns. */
    public ExecutableProgram tailCallTarget;
    private long entryR1;
    private long entryR2;
    private long packetStart = -1;
    private int packetLength;

    /**
     * A state over {@code memory}. If {@code persistent}, the stack and the maps become entries that
     * survive {@link Memory#reset()} (the program's own per-thread memory); otherwise they last one run
     * (a memory the caller made).
     */
    public RunState(MachineProgram owner, Memory memory, boolean persistent) {
        this.ownerCode = owner.code();
        this.memory = memory;
        this.stackBase = memory.map(Region.of(Region.Kind.STACK, ownerCode.image().name() + " stack", stack));
        this.ownerMapHandles = mapHandles(ownerCode, memory);
        this.ownerMapValues = mapValues(ownerCode, memory);
        if (persistent) {
            memory.markPersistent();
        }
        this.mapHandles = ownerMapHandles;
        this.mapValues = ownerMapValues;
    }

    private static long[] mapHandles(ProgramCode code, Memory memory) {
        long[] handles = new long[code.maps.length];
        for (int i = 0; i < handles.length; i++) {
            handles[i] = memory.mapHandle(code.maps[i]);
        }
        return handles;
    }

    private static long[] mapValues(ProgramCode code, Memory memory) {
        long[] pointers = new long[code.mapValues.length];
        for (int i = 0; i < pointers.length; i++) {
            if (code.mapValues[i] != null) {
                pointers[i] = memory.map(code.mapValues[i]);
            }
        }
        return pointers;
    }

    /** Starts a run of {@code owner} (the program this state was made for). */
    public void begin(MachineProgram owner, Object hookContext, long budget, long r1, long r2) {
        busy = true;
        this.hookContext = hookContext;
        this.budget = budget;
        this.depth = 0;
        this.tailCalls = 0;
        this.tailCallTarget = null;
        this.entryR1 = r1;
        this.entryR2 = r2;
        this.packetStart = -1;
        this.program = owner;
        this.mapHandles = ownerMapHandles;
        this.mapValues = ownerMapValues;
        forgetRegion();
    }

    public void end() {
        hookContext = null;
        tailCallTarget = null;
        busy = false;
        if (runEnd != null && !runEnd.isEmpty()) {
            for (Runnable cleanup : runEnd) {
                try {
                    cleanup.run();
                } catch (RuntimeException e) {
                    // A failing cleanup must not hide the run's own outcome or skip the others.
                }
            }
            runEnd.clear();
        }
        program = null; // see ownerCode
    }

    /** Cleanups helpers asked for in this run (allocated on first use: most runs have none). */
    private java.util.ArrayList<Runnable> runEnd;

    @Override
    public void atRunEnd(Runnable cleanup) {
        if (runEnd == null) {
            runEnd = new java.util.ArrayList<>(2);
        }
        runEnd.add(cleanup);
    }

    /** Helpers may map or reset regions; the cache must not outlive what it mirrors. */
    public void forgetRegion() {
        cachedBase = stackBase;
        cachedBytes = stack;
        cachedOffset = 0;
        cachedReadLength = STACK_SIZE;
        cachedWriteLength = STACK_SIZE;
    }

    // ---- loads and stores: stack, then the cached region, then Memory (which checks everything) ----

    public long ld8(long a) {
        long o = a - stackBase;
        if (o >= 0 && o < STACK_SIZE) {
            return stack[(int) o] & 0xFFL;
        }
        o = a - cachedBase;
        if (o >= 0 && o < cachedReadLength) {
            return cachedBytes[cachedOffset + (int) o] & 0xFFL;
        }
        return slowLoad(a, 1);
    }

    public long ld16(long a) {
        long o = a - stackBase;
        if (o >= 0 && o <= STACK_SIZE - 2) {
            return (short) I16.get(stack, (int) o) & 0xFFFFL;
        }
        o = a - cachedBase;
        if (o >= 0 && o <= cachedReadLength - 2) {
            return (short) I16.get(cachedBytes, cachedOffset + (int) o) & 0xFFFFL;
        }
        return slowLoad(a, 2);
    }

    public long ld32(long a) {
        long o = a - stackBase;
        if (o >= 0 && o <= STACK_SIZE - 4) {
            return (int) I32.get(stack, (int) o) & 0xFFFF_FFFFL;
        }
        o = a - cachedBase;
        if (o >= 0 && o <= cachedReadLength - 4) {
            return (int) I32.get(cachedBytes, cachedOffset + (int) o) & 0xFFFF_FFFFL;
        }
        return slowLoad(a, 4);
    }

    public long ld64(long a) {
        long o = a - stackBase;
        if (o >= 0 && o <= STACK_SIZE - 8) {
            return (long) I64.get(stack, (int) o);
        }
        o = a - cachedBase;
        if (o >= 0 && o <= cachedReadLength - 8) {
            return (long) I64.get(cachedBytes, cachedOffset + (int) o);
        }
        return slowLoad(a, 8);
    }

    public void st8(long a, long v) {
        long o = a - stackBase;
        if (o >= 0 && o < STACK_SIZE) {
            stack[(int) o] = (byte) v;
            return;
        }
        o = a - cachedBase;
        if (o >= 0 && o < cachedWriteLength) {
            cachedBytes[cachedOffset + (int) o] = (byte) v;
            return;
        }
        slowStore(a, 1, v);
    }

    public void st16(long a, long v) {
        long o = a - stackBase;
        if (o >= 0 && o <= STACK_SIZE - 2) {
            I16.set(stack, (int) o, (short) v);
            return;
        }
        o = a - cachedBase;
        if (o >= 0 && o <= cachedWriteLength - 2) {
            I16.set(cachedBytes, cachedOffset + (int) o, (short) v);
            return;
        }
        slowStore(a, 2, v);
    }

    public void st32(long a, long v) {
        long o = a - stackBase;
        if (o >= 0 && o <= STACK_SIZE - 4) {
            I32.set(stack, (int) o, (int) v);
            return;
        }
        o = a - cachedBase;
        if (o >= 0 && o <= cachedWriteLength - 4) {
            I32.set(cachedBytes, cachedOffset + (int) o, (int) v);
            return;
        }
        slowStore(a, 4, v);
    }

    public void st64(long a, long v) {
        long o = a - stackBase;
        if (o >= 0 && o <= STACK_SIZE - 8) {
            I64.set(stack, (int) o, v);
            return;
        }
        o = a - cachedBase;
        if (o >= 0 && o <= cachedWriteLength - 8) {
            I64.set(cachedBytes, cachedOffset + (int) o, v);
            return;
        }
        slowStore(a, 8, v);
    }

    private long slowLoad(long a, int size) {
        Region r = memory.region(a, size, false);
        if (r.kind() == Region.Kind.CONTEXT) {
            return memory.load(a, size); // pointer fields (xdp_md.data) are Memory's business
        }
        remember(a, r);
        // Memory.region checked the access: read it here rather than have Memory check it again.
        byte[] b = r.bytes();
        int i = r.base() + (int) a;
        switch (size) {
            case 1: return b[i] & 0xFFL;
            case 2: return (short) I16.get(b, i) & 0xFFFFL;
            case 4: return (int) I32.get(b, i) & 0xFFFF_FFFFL;
            default: return (long) I64.get(b, i);
        }
    }

    private void slowStore(long a, int size, long v) {
        Region r = memory.region(a, size, true);
        remember(a, r);
        byte[] b = r.bytes();
        int i = r.base() + (int) a;
        switch (size) {
            case 1: b[i] = (byte) v; break;
            case 2: I16.set(b, i, (short) v); break;
            case 4: I32.set(b, i, (int) v); break;
            default: I64.set(b, i, v); break;
        }
    }

    private void remember(long a, Region r) {
        cachedBase = a & 0xFFFF_FFFF_0000_0000L;
        cachedBytes = r.bytes();
        cachedOffset = r.base();
        cachedReadLength = r.kind() == Region.Kind.CONTEXT ? -1 : r.length();
        cachedWriteLength = r.writable() ? r.length() : -1;
    }

    public long atomic(int op, long a, int size, long operand, long expected) {
        Memory.AtomicOp kind;
        switch (op & ~Ops.ATOMIC_FETCH) {
            case Ops.ATOMIC_ADD: kind = Memory.AtomicOp.ADD; break;
            case Ops.ATOMIC_OR: kind = Memory.AtomicOp.OR; break;
            case Ops.ATOMIC_AND: kind = Memory.AtomicOp.AND; break;
            case Ops.ATOMIC_XOR: kind = Memory.AtomicOp.XOR; break;
            case Ops.ATOMIC_XCHG & ~Ops.ATOMIC_FETCH: kind = Memory.AtomicOp.XCHG; break;
            default: kind = Memory.AtomicOp.CMPXCHG; break;
        }
        return memory.atomic(kind, a, size, operand, expected);
    }

    // ---- legacy packet loads (LD_ABS / LD_IND) ----

    /**
     * The packet for legacy loads: the context's data..data_end if the program type has packet
     * pointers, else the region r1 pointed into when the run began, from that offset to its end.
     */
    private void findPacket() {
        ContextDescriptor ctx = program.code().image().context();
        if (ctx.hasPacket()) {
            long data = memory.load(entryR1 + ctx.dataOffset(), 4);
            long end = memory.load(entryR1 + ctx.endOffset(), 4);
            long length = end - data;
            packetStart = data;
            packetLength = length >= 0 && length <= Integer.MAX_VALUE ? (int) length : 0;
        } else {
            Object entry = memory.entry(entryR1);
            packetStart = entryR1;
            packetLength = entry instanceof Region ? Math.max(0, ((Region) entry).length() - (int) entryR1) : 0;
        }
    }

    /**
     * Reads {@code size} bytes at {@code offset} of the packet in network byte order; Linux ends the
     * program with r0 = 0 when the read is out of bounds, so this throws {@link LegacyPacketExit}.
     */
    public long legacyLoad(long offset, int size) {
        if (packetStart == -1) {
            findPacket();
        }
        if (offset < 0 || offset > packetLength - size) {
            throw LegacyPacketExit.INSTANCE;
        }
        long v = memory.load(packetStart + offset, size);
        switch (size) {
            case 4: return Integer.reverseBytes((int) v) & 0xFFFF_FFFFL;
            case 2: return Short.reverseBytes((short) v) & 0xFFFFL;
            default: return v;
        }
    }

    /** Thrown by an out-of-bounds legacy packet load: the run ends with r0 = 0. */
    public static final class LegacyPacketExit extends RuntimeException {
        private static final long serialVersionUID = 1L;
        public static final LegacyPacketExit INSTANCE = new LegacyPacketExit();

        private LegacyPacketExit() {
            super("legacy packet load out of bounds", null, false, false);
        }
    }

    // ---- helpers ----

    public long callHelper(int pc, int index, long r1, long r2, long r3, long r4, long r5) {
        Helper helper = program.code().helpers[index];
        if (helper == null) {
            throw new ExecutionException(pc, program.code().helperNames[index] + " is not available to program '"
                    + program.code().image().name() + "'", null);
        }
        long r0;
        try {
            r0 = helper.call(this, r1, r2, r3, r4, r5);
        } catch (ExecutionException | LegacyPacketExit e) {
            throw e; // from program code the helper called back into: it already names its instruction
        } catch (RuntimeException e) {
            throw helperFailure(pc, helper.name(), e);
        }
        helperReturned(r0);
        return r0;
    }

    /** How a helper's failure ends the run: a bad pointer it was given, or any other exception. */
    public static ExecutionException helperFailure(int pc, String helperName, RuntimeException e) {
        if (e instanceof MemoryAccessException) {
            return new ExecutionException(pc, "helper " + helperName + ": " + e.getMessage(), e);
        }
        return new ExecutionException(pc, "helper " + helperName + " failed: " + e, e);
    }

    /**
     * Called when a helper returns {@code r0}. Helpers may map regions, so the cache must not outlive
     * what it mirrors; and if the helper returned a pointer (a map value), the program is about to use
     * it, so that region becomes the cached one and its first access takes the fast path.
     */
    public void helperReturned(long r0) {
        Object entry = memory.entry(r0);
        if (entry instanceof Region && ((Region) entry).kind() != Region.Kind.CONTEXT) {
            remember(r0, (Region) entry);
        } else {
            forgetRegion();
        }
    }

    /** callx to a value that is not a code address: the helper with that id, as the conformance suite expects. */
    public long callHelperById(int pc, long id, long r1, long r2, long r3, long r4, long r5) {
        Helper helper = id >= Integer.MIN_VALUE && id <= Integer.MAX_VALUE ? program.code().image().helpers().get((int) id) : null;
        if (helper == null) {
            throw new ExecutionException(pc, "callx: 0x" + Long.toHexString(id) + " is neither a code address nor an available helper id", null);
        }
        long r0;
        try {
            r0 = helper.call(this, r1, r2, r3, r4, r5);
        } catch (ExecutionException | LegacyPacketExit e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ExecutionException(pc, "helper " + helper.name() + " failed: " + e, e);
        }
        helperReturned(r0);
        return r0;
    }

    @Override
    public Memory memory() {
        return memory;
    }

    @Override
    public String programName() {
        return program.code().image().name();
    }

    @Override
    public Object hookContext() {
        return hookContext;
    }

    @Override
    public long callFunction(long codeAddress, long r1, long r2, long r3, long r4, long r5) {
        ProgramCode code = program.code();
        long pc = codeAddress & 0xFFFF_FFFFL;
        if (codeAddress >>> 32 != ProgramCode.CODE_ADDRESS_TAG || pc >= code.raw.length || !code.instructionStart[(int) pc]) {
            throw new IllegalArgumentException("0x" + Long.toHexString(codeAddress) + " is not a code address of program '"
                    + code.image.name() + "'");
        }
        if (depth >= MAX_CALL_DEPTH) {
            throw new IllegalStateException("callback exceeds " + MAX_CALL_DEPTH + " nested call frames");
        }
        int callerDepth = depth;
        try {
            return program.execute(this, (int) pc, callerDepth + 1, r1, r2, r3, r4, r5);
        } finally {
            depth = callerDepth;
        }
    }

    @Override
    public boolean requestTailCall(Object target) {
        if (!(target instanceof ExecutableProgram) || depth != 0 || tailCalls >= MAX_TAIL_CALLS || tailCallTarget != null) {
            return false;
        }
        tailCalls++;
        tailCallTarget = (ExecutableProgram) target;
        return true;
    }

    /** Switches this state to {@code target} (a tail call), mapping its maps into this run's memory. */
    public void enter(MachineProgram target) {
        program = target;
        if (target.code() == ownerCode) {
            mapHandles = ownerMapHandles;
            mapValues = ownerMapValues;
        } else {
            mapHandles = mapHandles(target.code(), memory);
            mapValues = mapValues(target.code(), memory);
        }
        packetStart = -1;
    }

    /**
     * Runs the program a {@code bpf_tail_call} asked for ({@link #tailCallTarget}, cleared here) from its
     * first instruction with r1 = {@code context}, in the frame of the program that made the call, and
     * answers its r0. A program of this machine runs on this state; any other engine's program runs
     * on this run's memory through its own {@code run}.
     */
    public long runTailCall(long context) {
        ExecutableProgram next = tailCallTarget;
        tailCallTarget = null;
        if (next instanceof MachineProgram) {
            MachineProgram target = (MachineProgram) next;
            enter(target);
            return target.execute(this, 0, 0, context, 0, 0, 0, 0);
        }
        return next.run(memory, context, entryR2, hookContext);
    }

    /** Enters a local call from {@code pc}: saves r6..r9 and the return pc, moves r10 one frame down. */
    public void pushFrame(long[] r, int pc) {
        int d = depth;
        if (d >= MAX_CALL_DEPTH) {
            throw new ExecutionException(pc, "call nests deeper than " + MAX_CALL_DEPTH + " frames", null);
        }
        int k = d * 4;
        savedRegisters[k] = r[6];
        savedRegisters[k + 1] = r[7];
        savedRegisters[k + 2] = r[8];
        savedRegisters[k + 3] = r[9];
        returnPcs[d] = pc + 1;
        r[10] -= FRAME_SIZE;
        depth = d + 1;
    }

    /** Returns from a local call: restores r6..r10 and answers the pc to continue at. */
    public int popFrame(long[] r) {
        int d = --depth;
        int k = d * 4;
        r[6] = savedRegisters[k];
        r[7] = savedRegisters[k + 1];
        r[8] = savedRegisters[k + 2];
        r[9] = savedRegisters[k + 3];
        r[10] += FRAME_SIZE;
        return returnPcs[d];
    }

    public long entryR2() {
        return entryR2;
    }

    public Object hookContextOfRun() {
        return hookContext;
    }
}

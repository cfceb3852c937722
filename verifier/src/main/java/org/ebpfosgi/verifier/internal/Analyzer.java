package org.ebpfosgi.verifier.internal;

import static org.ebpfosgi.isa.Opcodes.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import org.ebpfosgi.api.helper.ArgKind;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.program.ContextDescriptor;
import org.ebpfosgi.isa.Instruction;

/**
 * The abstract interpreter: a fixpoint over the inlined control-flow graph (joins where paths meet,
 * widening at loop heads), then one checking pass over the stable states in which every safety
 * condition of every instruction is asserted. A failed condition becomes a finding with the
 * instruction's index; the analysis goes on as if it had held, so one run reports every problem.
 */
final class Analyzer {
    /** Widen at a loop head after this many growing visits. */
    private static final int WIDEN_AFTER = 3;
    private static final int STOP_SYMBOLS_AFTER = 12;
    /** Transfers allowed per node of the graph before the analysis gives up (it must answer, never hang). */
    private static final long STEPS_PER_NODE = 400;
    private static final long MAX_STEPS = 4_000_000;

    private final Instruction[] code;
    private final Platform platform;
    private final ControlFlow cfg;
    private State[] in;
    /** Findings by pc, in the order found; null while the fixpoint runs. */
    private Map<Integer, List<String>> findings;
    private final List<State> exits = new ArrayList<>();
    private List<Termination.Loop> loops = List.of();
    private int node;

    Analyzer(Instruction[] code, Platform platform, ControlFlow cfg) {
        this.code = code;
        this.platform = platform;
        this.cfg = cfg;
    }

    /** Runs the analysis from {@code initial}; returns findings by pc (empty: safe). */
    Map<Integer, List<String>> run(State initial) {
        int n = cfg.nodeCount();
        in = new State[n];
        int[] visits = new int[n];
        in[0] = initial;
        PriorityQueue<Integer> work = new PriorityQueue<>();
        boolean[] queued = new boolean[n];
        work.add(0);
        queued[0] = true;
        long steps = 0;
        long maxSteps = Math.min(STEPS_PER_NODE * n + 100_000, MAX_STEPS);
        while (!work.isEmpty()) {
            if (++steps > maxSteps) {
                findings = new LinkedHashMap<>();
                fail(0, "the analysis did not settle within " + maxSteps + " steps: the program is too complex to verify");
                return findings;
            }
            int x = work.poll();
            queued[x] = false;
            for (Out out : transfer(x, in[x])) {
                State old = in[out.node];
                State joined;
                if (old == null) {
                    joined = out.state;
                } else if (out.state.leq(old)) {
                    continue;
                } else {
                    int v = ++visits[out.node];
                    boolean widen = cfg.loopHead[out.node] && v > WIDEN_AFTER;
                    // Past a few rounds a loop head stops making symbols, so the widened state must settle.
                    joined = old.join(out.state, widen, widen && v > STOP_SYMBOLS_AFTER ? -1 : out.node);
                }
                in[out.node] = joined;
                if (!queued[out.node]) {
                    queued[out.node] = true;
                    work.add(out.node);
                }
            }
        }
        findings = new LinkedHashMap<>();
        for (int x = 0; x < n; x++) {
            if (in[x] != null) {
                transfer(x, in[x]);
            }
        }
        Map<Integer, List<String>> found = findings;
        findings = null; // the termination proof re-runs transfers: no new findings from them
        loops = new Termination(cfg, code, in, this::edgeState).loops();
        return found;
    }

    /** The join of the states at the program's exits; null if no exit is reachable. */
    State exitState() {
        State s = null;
        for (State e : exits) {
            s = s == null ? e : s.join(e, false);
        }
        return s;
    }

    /** Every loop with a bound on its iterations, or why none was found. */
    List<Termination.Loop> loops() {
        return loops;
    }

    /** The state that node {@code from} hands to node {@code to}. */
    private State edgeState(int from, int to) {
        if (in[from] == null) {
            return null;
        }
        int saved = exits.size();
        State result = null;
        for (Out o : transfer(from, in[from])) {
            if (o.node == to) {
                result = result == null ? o.state : result.join(o.state, false);
            }
        }
        while (exits.size() > saved) {
            exits.remove(exits.size() - 1);
        }
        return result;
    }

    private record Out(int node, State state) {
    }

    private void fail(int pc, String message) {
        if (findings != null) {
            List<String> list = findings.computeIfAbsent(pc, k -> new ArrayList<>());
            if (!list.contains(message)) {
                list.add(message);
            }
        }
    }

    // ---- transfer ----

    private List<Out> transfer(int x, State pre) {
        node = x;
        int pc = cfg.nodePc[x];
        List<Out> outs = new ArrayList<>(2);
        if (cfg.isEnd(x)) {
            if (cfg.nodeContext[x] == 0) {
                exits.add(pre);
            } else {
                fail(pc - 1, "a function runs past the end of the program");
            }
            return outs;
        }
        int depth = cfg.contexts.get(cfg.nodeContext[x]).depth();
        Instruction insn = code[pc];
        State s = pre.copy();
        List<ControlFlow.Edge> succ = cfg.successors.get(x);
        int cls = insn.instructionClass();
        switch (cls) {
            case ALU, ALU64 -> alu(pc, insn, s);
            case LD -> load(pc, insn, s);
            case LDX -> loadX(pc, insn, s, depth);
            case ST, STX -> store(pc, insn, s, depth);
            default -> {
                if (insn.isExit()) {
                    exit(pc, s, depth, succ, outs);
                    return outs;
                }
                if (insn.operation() == CALL) {
                    if (insn.isLocalCall()) {
                        callLocal(s, depth, succ, outs);
                        return outs;
                    }
                    callHelper(pc, insn, s, depth);
                } else if (insn.operation() != JA) {
                    branch(pc, insn, s, succ, outs);
                    return outs;
                }
            }
        }
        for (ControlFlow.Edge e : succ) {
            outs.add(new Out(e.to(), s));
        }
        return outs;
    }

    private Value operand(int pc, State s, int reg) {
        Value v = s.regs[reg];
        if (v.has(Value.UNINIT)) {
            fail(pc, "Invalid type (r" + reg + ".type != uninit)");
            v = v.without(Value.UNINIT);
            if (v == null) {
                v = Value.ANY_NUMBER;
            }
        }
        return v;
    }

    private void alu(int pc, Instruction insn, State s) {
        boolean is64 = insn.instructionClass() == ALU64;
        int op = insn.operation();
        int dst = insn.dst();
        if (op == END) {
            Value v = operand(pc, s, dst);
            int bits = insn.imm();
            Num n = v.isNumber() ? v.num : Num.TOP;
            boolean swap = is64 || (insn.opcode() & SOURCE_MASK) == TO_BE;
            Num r;
            if (n.isConstant() && swap) {
                long c = n.smin;
                r = Num.of(bits == 16 ? Short.reverseBytes((short) c) & 0xFFFFL
                        : bits == 32 ? Integer.reverseBytes((int) c) & Num.U32 : Long.reverseBytes(c));
            } else {
                r = swap ? (bits == 64 ? Num.TOP : Num.unsigned(0, (1L << bits) - 1)) : n.truncate(bits);
            }
            s.regs[dst] = Value.number(r);
            return;
        }
        Value src;
        if (insn.usesSrcRegister()) {
            src = op == NEG ? Value.constant(0) : operand(pc, s, insn.src());
        } else {
            src = Value.constant(is64 ? insn.imm() : insn.imm() & Num.U32);
        }
        int addresses = Value.POINTERS | Value.MAP_FD | Value.MAP_PROGRAMS | Value.FUNC;
        if (!is64 && ((src.kinds & addresses) != 0 || op != MOV && (s.regs[dst].kinds & addresses) != 0)) {
            // 32 bits of an address: neither a usable pointer nor a number a program may keep.
            int reg = (src.kinds & addresses) != 0 && insn.usesSrcRegister() ? insn.src() : dst;
            fail(pc, "Invalid type (r" + reg + ".type == number)");
        }
        if ((op == DIV || op == MOD) && (src.kinds & addresses) != 0) {
            fail(pc, "Only numbers can be used as divisors (r" + insn.src() + " != 0)");
        }
        if (op == MOV) {
            int ext = insn.offset();
            if (ext == 8 || ext == 16 || (ext == 32 && is64)) {
                Num n = src.isNumber() ? src.num : Num.TOP;
                Num r = n.signExtend(ext);
                s.regs[dst] = Value.number(is64 ? r : r.low32());
            } else if (is64) {
                s.regs[dst] = src;
            } else {
                s.regs[dst] = Value.number(src.isNumber() ? src.num.low32() : Num.TOP32);
            }
            return;
        }
        Value d = operand(pc, s, dst);
        if (is64 && op == SUB && (src.kinds & addresses) != 0
                && !(d.kinds == src.kinds && Integer.bitCount(d.kinds) == 1
                        && (d.kinds & (Value.CTX | Value.STACK | Value.PACKET)) != 0)) {
            // Two map values may lie in different regions: their difference would only reveal addresses.
            fail(pc, "Cannot subtract pointers to different regions (r" + insn.src() + ".type == number or r" + dst
                    + ".type == r" + insn.src() + ".type in {ctx, stack, packet})");
            s.regs[dst] = Value.ANY_NUMBER;
            return;
        }
        if ((d.kinds | src.kinds) == Value.NUMBER) {
            Value result = Value.number(arithmetic(op, d.num, src.num, is64, insn.offset()));
            if (is64 && (op == ADD || op == SUB) && d.symbol != 0 && src.isConstant()) {
                long k = op == ADD ? d.symbolOffset + src.num.smin : d.symbolOffset - src.num.smin;
                result = result.withSymbol(d.symbol, k);
            } else if (is64 && op == ADD && src.symbol != 0 && d.isConstant()) {
                result = result.withSymbol(src.symbol, src.symbolOffset + d.num.smin);
            }
            s.regs[dst] = result;
            return;
        }
        if ((d.kinds & (Value.MAP_FD | Value.MAP_PROGRAMS | Value.FUNC)) != 0
                || (src.kinds & (Value.MAP_FD | Value.MAP_PROGRAMS | Value.FUNC)) != 0) {
            fail(pc, "Invalid type (arithmetic on a map handle or code address)");
            s.regs[dst] = Value.ANY_NUMBER;
            return;
        }
        if (op == ADD && (d.kinds & Value.POINTERS) != 0 && (src.kinds & Value.POINTERS) != 0) {
            fail(pc, "Only numbers can be added to pointers (r" + insn.src() + ".type in {ctx, stack, packet, shared} -> r"
                    + dst + ".type == number)");
            s.regs[dst] = Value.ANY_NUMBER;
        } else if (is64 && op == ADD && d.only(Value.POINTERS) && src.isNumber()) {
            s.regs[dst] = movePointer(s, d, src, false);
        } else if (is64 && op == ADD && src.only(Value.POINTERS) && d.isNumber()) {
            s.regs[dst] = movePointer(s, src, d, false);
        } else if (is64 && op == SUB && d.only(Value.POINTERS) && src.isNumber()) {
            s.regs[dst] = movePointer(s, d, src, true);
        } else if (is64 && op == SUB && d.only(Value.POINTERS) && src.only(Value.POINTERS)) {
            s.regs[dst] = Value.number(pointerDifference(pc, s, d, src));
        } else if (d.only(Value.POINTERS | Value.NUMBER) && src.isNumber() && (op == ADD || op == SUB) && is64
                && d.has(Value.NUMBER)) {
            // A maybe-NULL pointer moved before its check: both parts move.
            Value moved = movePointer(s, d.without(Value.NUMBER), src, op == SUB);
            Num num = arithmetic(op, d.num, src.num, true, 0);
            s.regs[dst] = moved.join(Value.number(num)).withId(0);
        } else {
            // Anything else on a pointer yields bits of an address, which a program must not learn.
            if (is64) {
                int reg = (d.kinds & addresses) != 0 ? dst : insn.src();
                fail(pc, "Invalid type (r" + reg + ".type == number): only a number can be added to or subtracted"
                        + " from a pointer");
            }
            s.regs[dst] = is64 ? Value.ANY_NUMBER : Value.number(Num.TOP32);
        }
    }

    private Num pointerDifference(int pc, State s, Value a, Value b) {
        if (a.kinds != b.kinds || Integer.bitCount(a.kinds) != 1) {
            fail(pc, "Cannot subtract pointers to different regions");
            return Num.TOP;
        }
        if (a.has(Value.STACK)) {
            return a.stackOffset.sub(b.stackOffset);
        }
        if (a.has(Value.CTX)) {
            return a.ctxOffset.sub(b.ctxOffset);
        }
        if (a.packetBase == b.packetBase && a.packetBase != Value.BASE_META) {
            return a.packetOffset.sub(b.packetOffset);
        }
        return packetPosition(s, a).sub(packetPosition(s, b));
    }

    /** A packet pointer's offset from the packet's start, its end being packet_size. */
    private static Num packetPosition(State s, Value v) {
        if (v.packetBase == Value.BASE_END) {
            return s.packetSize.add(v.packetOffset);
        }
        if (v.packetBase == Value.BASE_META) {
            return Num.TOP;
        }
        return s.absoluteOffset(v);
    }

    private Value movePointer(State s, Value p, Value amount, boolean subtract) {
        Num by = amount.num;
        Value.Builder b = p.toBuilder();
        b.id = 0;
        Num delta = subtract ? by.neg() : by;
        if (p.has(Value.CTX)) b.ctxOffset = p.ctxOffset.add(delta);
        if (p.has(Value.STACK)) b.stackOffset = p.stackOffset.add(delta);
        if (p.has(Value.SHARED)) b.sharedOffset = p.sharedOffset.add(delta);
        if (p.has(Value.PACKET)) {
            if (delta.isConstant() || p.packetBase < 0) {
                b.packetOffset = p.packetOffset.add(delta);
            } else if (!subtract && p.packetBase == Value.BASE_START && amount.symbol != 0
                    && s.variables.containsKey(amount.symbol)) {
                // The number's symbol becomes the pointer's variable: pointers built from its copies stay related.
                b.packetBase = amount.symbol;
                b.packetOffset = p.packetOffset.add(Num.of(amount.symbolOffset));
            } else {
                // A variable offset: a new variable, so a later bounds check on this pointer proves its own accesses.
                int var = State.symbolAt(node, 15);
                Num base = p.packetBase > 0 ? s.variables.getOrDefault(p.packetBase, Num.TOP) : Num.of(0);
                Num range = base.add(delta);
                s.retireVariable(var);
                s.defineVariable(var, range);
                b.packetBase = var;
                b.packetOffset = p.packetOffset;
            }
        }
        return b.build();
    }

    static Num arithmetic(int op, Num a, Num b, boolean is64, int offset) {
        if (!is64) {
            boolean signed = (op == DIV || op == MOD) && offset == 1;
            Num x = signed || op == ARSH ? a.low32Signed() : a.low32();
            Num y = signed ? b.low32Signed() : b.low32();
            Num r = switch (op) {
                case ARSH -> x.arsh(maskShift(y, 31));
                case LSH, RSH -> op == LSH ? x.lsh(maskShift(y, 31), 64) : x.rsh(maskShift(y, 31), 64);
                default -> arithmetic(op, x, y, true, offset);
            };
            return r == null ? Num.TOP32 : r.low32();
        }
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> offset == 1 ? a.sdiv(b) : a.udiv(b);
            case MOD -> offset == 1 ? a.smod(b) : a.umod(b);
            case OR -> a.or(b);
            case AND -> a.and(b);
            case XOR -> a.xor(b);
            case LSH -> a.lsh(maskShift(b, 63), 64);
            case RSH -> a.rsh(maskShift(b, 63), 64);
            case ARSH -> a.arsh(maskShift(b, 63));
            case NEG -> a.neg();
            default -> Num.TOP;
        };
    }

    private static Num maskShift(Num shift, int mask) {
        if (shift.isConstant()) {
            return Num.of(shift.smin & mask);
        }
        return Long.compareUnsigned(shift.umax, mask) <= 0 ? shift : Num.unsigned(0, mask);
    }

    // ---- loads and stores ----

    private void load(int pc, Instruction insn, State s) {
        if (insn.isLddw()) {
            int dst = insn.dst();
            switch (insn.src()) {
                case PSEUDO_NONE -> s.regs[dst] = Value.constant(insn.imm64());
                case PSEUDO_MAP_FD, PSEUDO_MAP_IDX -> {
                    Platform.MapShape m = platform.map(insn.imm());
                    if (m == null) {
                        fail(pc, "invalid map reference " + insn.imm());
                        s.regs[dst] = Value.ANY_NUMBER;
                    } else {
                        s.regs[dst] = handle(insn.imm(), m);
                    }
                }
                case PSEUDO_MAP_VALUE, PSEUDO_MAP_IDX_VALUE -> {
                    Platform.MapShape m = platform.map(insn.imm());
                    if (m == null) {
                        fail(pc, "invalid map reference " + insn.imm());
                        s.regs[dst] = Value.ANY_NUMBER;
                    } else {
                        if (m.type() != Platform.ARRAY) {
                            fail(pc, "a map value address needs an array map; map " + insn.imm() + " (" + m.name()
                                    + ") has type " + m.type());
                        }
                        s.regs[dst] = Value.shared(Num.of(insn.imm64() >>> 32), Num.of(m.valueSize()));
                    }
                }
                case PSEUDO_FUNC -> s.regs[dst] = Value.function(insn.targetSlot());
                default -> {
                    fail(pc, "unsupported lddw source " + insn.src());
                    s.regs[dst] = Value.ANY_NUMBER;
                }
            }
            return;
        }
        // Legacy packet loads (ABS/IND): the engine checks the packet; r1-r5 are scratch, r0 the value.
        if (!platform.context.hasPacket()) {
            fail(pc, "packet loads need a program type with a packet");
        }
        if (insn.mode() == IND) {
            operand(pc, s, insn.src());
        }
        for (int r = 1; r <= 5; r++) {
            s.regs[r] = Value.UNINITIALIZED;
        }
        s.regs[0] = Value.number(Num.unsigned(0, insn.accessBytes() == 8 ? -1 : (1L << (insn.accessBytes() * 8)) - 1));
    }

    private Value handle(int index, Platform.MapShape m) {
        return Value.mapHandle(index, m.type() == Platform.PROG_ARRAY, m.keySize(), m.valueSize(), m.inner());
    }

    private void loadX(int pc, Instruction insn, State s, int depth) {
        int width = insn.accessBytes();
        Value base = s.regs[insn.src()];
        Value result = access(pc, s, insn.src(), base, insn.offset(), width, null, depth);
        if (insn.mode() == MEMSX && result.isNumber()) {
            result = Value.number(result.num.signExtend(width * 8));
        } else if (insn.mode() == MEMSX) {
            result = Value.number(Num.TOP.signExtend(width * 8));
        }
        s.regs[insn.dst()] = result;
    }

    private void store(int pc, Instruction insn, State s, int depth) {
        int width = insn.accessBytes();
        Value base = s.regs[insn.dst()];
        if (insn.instructionClass() == STX && insn.mode() == ATOMIC) {
            atomic(pc, insn, s, base, width, depth);
            return;
        }
        Value value = insn.instructionClass() == ST ? Value.constant(insn.imm()) : operand(pc, s, insn.src());
        access(pc, s, insn.dst(), base, insn.offset(), width, value, depth);
    }

    private void atomic(int pc, Instruction insn, State s, Value base, int width, int depth) {
        Value value = operand(pc, s, insn.src());
        if (!value.isNumber()) {
            fail(pc, "Invalid type (r" + insn.src() + ".type == number)");
        }
        if (!base.only(Value.STACK | Value.SHARED)) {
            fail(pc, "Invalid type (r" + insn.dst() + ".type in {stack, shared}) for an atomic operation");
        }
        Value old = access(pc, s, insn.dst(), base, insn.offset(), width, null, depth);
        if (!old.isNumber()) {
            fail(pc, "Invalid type (the memory of an atomic operation must hold a number)");
        }
        access(pc, s, insn.dst(), base, insn.offset(), width, Value.ANY_NUMBER, depth);
        int op = insn.imm();
        Value fetched = Value.number(width == 8 ? Num.TOP : Num.TOP32).join(old.isNumber() ? old : Value.ANY_NUMBER);
        if (op == ATOMIC_CMPXCHG) {
            operand(pc, s, 0);
            s.regs[0] = fetched;
        } else if ((op & FETCH) != 0) {
            s.regs[insn.src()] = fetched;
        }
    }

    /**
     * Checks an access of {@code width} bytes at {@code reg + offset}; returns what a load reads, and for
     * a store ({@code stored} non-null) records the write. Each kind the register may hold is checked.
     */
    private Value access(int pc, State s, int reg, Value p, int offset, int width, Value stored, int depth) {
        String where = "valid_access(r" + reg + ".offset" + (offset == 0 ? "" : offset > 0 ? "+" + offset : "" + offset)
                + ", width=" + width + ")" + (stored != null ? " for write" : " for read");
        if (p.has(Value.UNINIT) || !p.only(Value.POINTERS)) {
            if (p.has(Value.NUMBER) && p.without(Value.NUMBER) != null && p.num.contains(0) && !p.has(Value.UNINIT)) {
                fail(pc, "Possible null access (" + where + ")");
            } else {
                fail(pc, "Invalid type (r" + reg + ".type in {ctx, stack, packet, shared})");
            }
            p = p.without(Value.UNINIT | Value.NUMBER | Value.MAP_FD | Value.MAP_PROGRAMS | Value.FUNC);
            if (p == null) {
                return Value.ANY_NUMBER;
            }
        }
        if (stored != null && !stored.isNumber() && (p.kinds & ~Value.STACK) != 0) {
            fail(pc, "Only numbers can be stored to externally-visible regions (" + where + ")");
        }
        Value result = null;
        if (p.has(Value.CTX)) {
            result = join(result, contextAccess(pc, p.ctxOffset.add(Num.of(offset)), width, stored, where));
        }
        if (p.has(Value.STACK)) {
            result = join(result, stackAccess(pc, s, p.stackOffset.add(Num.of(offset)), width, stored, where, depth));
        }
        if (p.has(Value.PACKET)) {
            packetAccess(pc, s, p, offset, width, where);
            result = join(result, Value.number(widthRange(width)));
        }
        if (p.has(Value.SHARED)) {
            Num lo = p.sharedOffset.add(Num.of(offset));
            if (lo.smin < 0) {
                fail(pc, "Lower bound must be at least 0 (" + where + ")");
            }
            if (lo.smax > Integer.MAX_VALUE || lo.smax + width > p.sharedSize.smin) {
                fail(pc, "Upper bound must be at most r" + reg + ".shared_region_size (" + where + ")");
            }
            result = join(result, Value.number(widthRange(width)));
        }
        return result == null ? Value.ANY_NUMBER : result;
    }

    private static Value join(Value a, Value b) {
        return a == null ? b : a.join(b);
    }

    static Num widthRange(int width) {
        return width == 8 ? Num.TOP : Num.unsigned(0, (1L << (width * 8)) - 1);
    }

    private Value contextAccess(int pc, Num at, int width, Value stored, String where) {
        ContextDescriptor ctx = platform.context;
        if (at.smin < 0) {
            fail(pc, "Lower bound must be at least 0 (" + where + ")");
            return Value.ANY_NUMBER;
        }
        if (at.smax > Integer.MAX_VALUE || at.smax + width > ctx.size()) {
            fail(pc, "Upper bound must be at most " + ctx.size() + " (" + where + ")");
            return Value.ANY_NUMBER;
        }
        int[] slots = {ctx.dataOffset(), ctx.endOffset(), ctx.metaOffset()};
        int[] bases = {Value.BASE_START, Value.BASE_END, Value.BASE_META};
        // Linux contexts hold 32-bit pointer fields; ebpf-for-windows ones (bind_md) 64-bit.
        int field = Math.abs(ctx.endOffset() - ctx.dataOffset()) >= 8 ? 8 : 4;
        int overlapping = 0;
        int exact = -1;
        for (int i = 0; i < 3; i++) {
            int slot = slots[i];
            if (slot >= 0 && at.smin < slot + field && at.smax + width > slot) {
                overlapping++;
                if (at.isConstant() && at.smin == slot && (width == 4 && field == 4 || width == 8)) {
                    exact = i;
                }
            }
        }
        if (overlapping > 0) {
            if (stored != null) {
                fail(pc, "Cannot write to context pointer field (" + where + ")");
                return null;
            }
            // A whole pointer field gives the pointer; any other read of those bytes is neither pointer nor number.
            return overlapping == 1 && exact >= 0 ? Value.packet(bases[exact], Num.of(0)) : Value.UNINITIALIZED;
        }
        return stored == null ? Value.number(widthRange(width)) : null;
    }

    private Value stackAccess(int pc, State s, Num at, int width, Value stored, String where, int depth) {
        long low = StackContents.SIZE - (long) StackContents.FRAME * (depth + 1);
        if (at.smin < low) {
            fail(pc, "Lower bound must be at least r10.stack_offset - subprogram_stack_size (" + where + ")");
            return Value.ANY_NUMBER;
        }
        if (at.smax + width > StackContents.SIZE) {
            fail(pc, "Upper bound must be at most the stack's top (" + where + ")");
            return Value.ANY_NUMBER;
        }
        int from = (int) at.smin;
        int to = (int) at.smax + width;
        if (stored != null) {
            if (at.isConstant()) {
                s.stack = s.stack.write(from, width, width == 8 || !stored.isNumber() ? stored : null);
            } else {
                // Somewhere in [from, to): bytes already initialized stay so, with values nobody tracks.
                s.stack = s.stack.mixValues(from, to, stored);
            }
            return null;
        }
        int missing = s.stack.firstUninitialized(from, to);
        if (missing >= 0) {
            fail(pc, "Stack content is not numeric (" + where + ")");
            return Value.ANY_NUMBER;
        }
        return at.isConstant() ? s.stack.read(from, width) : Value.number(widthRange(width));
    }

    private void packetAccess(int pc, State s, Value p, int offset, int width, String where) {
        Num c = p.packetOffset.add(Num.of(offset));
        if (p.packetBase == Value.BASE_END) {
            fail(pc, "Upper bound must be at most packet_size (" + where + ")");
            return;
        }
        if (p.packetBase == Value.BASE_META) {
            // The metadata pointer is the packet's start minus the metadata's size, proven by comparing them.
            if (c.smin < 0) {
                fail(pc, "Lower bound must be at least meta_offset (" + where + ")");
            }
            if (c.smax + width > s.metaProven) {
                fail(pc, "Upper bound must be at most the packet's start (" + where + ")");
            }
            return;
        }
        Num abs = p.packetBase > 0 ? s.absoluteOffset(p).add(Num.of(offset)) : c;
        if (abs.smin < 0) {
            fail(pc, "Lower bound must be at least 0 (" + where + ")");
        }
        long needed = c.smax + width;
        boolean ok = abs.smax <= State.MAX_PACKET && abs.smax + width <= s.packetMin();
        if (!ok && p.packetBase > 0) {
            Long k = s.proven.get(p.packetBase);
            ok = k != null && needed <= k && c.smax <= State.MAX_PACKET;
        }
        if (!ok) {
            fail(pc, "Upper bound must be at most packet_size (" + where + ")");
        }
    }

    // ---- branches ----

    private void branch(int pc, Instruction insn, State s, List<ControlFlow.Edge> succ, List<Out> outs) {
        boolean is64 = insn.instructionClass() == JMP;
        int op = insn.operation();
        int a = insn.dst();
        Value left = operand(pc, s, a);
        s.regs[a] = left;
        int b = insn.usesSrcRegister() ? insn.src() : -1;
        Value right = b >= 0 ? operand(pc, s, b) : Value.constant(is64 ? insn.imm() : insn.imm() & Num.U32);
        if (b >= 0) {
            s.regs[b] = right;
        }
        int addresses = Value.POINTERS | Value.MAP_FD | Value.MAP_PROGRAMS | Value.FUNC;
        if (!is64 && ((left.kinds | right.kinds) & addresses) != 0) {
            fail(pc, "Invalid type (r" + ((left.kinds & addresses) != 0 ? a : b) + ".type == number)");
        } else {
            comparable(pc, a, left, b, right);
        }
        for (ControlFlow.Edge e : succ) {
            boolean taken = e.kind() == ControlFlow.EdgeKind.TAKEN;
            State t = Conditions.assume(s, op, taken, a, left, b, right, is64);
            if (t != null) {
                outs.add(new Out(e.to(), t));
            }
        }
    }

    /**
     * What a comparison may relate: numbers, a pointer with NULL, or two pointers into one kind of region.
     * Anything else would only reveal addresses (and map handles are not comparable at all).
     */
    private void comparable(int pc, int a, Value left, int b, Value right) {
        int handles = Value.MAP_FD | Value.MAP_PROGRAMS | Value.FUNC;
        boolean nullCheck = right.isConstant() && right.num.smin == 0 || left.isConstant() && left.num.smin == 0;
        if (((left.kinds | right.kinds) & handles) != 0 && !nullCheck) {
            fail(pc, "Invalid type (r" + ((left.kinds & handles) != 0 ? a : b) + ".type in {number, ctx, stack, packet, shared})");
            return;
        }
        boolean leftPointer = (left.kinds & Value.POINTERS) != 0;
        boolean rightPointer = (right.kinds & Value.POINTERS) != 0;
        if (leftPointer && rightPointer) {
            if ((left.kinds & Value.POINTERS) != (right.kinds & Value.POINTERS)) {
                fail(pc, "Invalid type (r" + a + " and r" + b + " point into different kinds of regions)");
            }
        } else if (leftPointer || rightPointer) {
            Value number = leftPointer ? right : left;
            if (!(number.isConstant() && number.num.smin == 0)) {
                fail(pc, "Invalid type (r" + (leftPointer ? b : a) + " must be 0 to be compared with the pointer in r"
                        + (leftPointer ? a : b) + ")");
            }
        }
    }

    // ---- calls ----

    private void callLocal(State s, int depth, List<ControlFlow.Edge> succ, List<Out> outs) {
        State callee = s.copy();
        for (int r = 6; r <= 9; r++) {
            callee.regs[r] = Value.UNINITIALIZED;
        }
        int top = StackContents.SIZE - StackContents.FRAME * (depth + 1);
        callee.regs[10] = Value.stack(Num.of(top));
        callee.stack = callee.stack.forget(top - StackContents.FRAME, top, false);
        for (ControlFlow.Edge e : succ) {
            outs.add(new Out(e.to(), callee));
        }
    }

    private void exit(int pc, State s, int depth, List<ControlFlow.Edge> succ, List<Out> outs) {
        Value r0 = s.regs[0];
        // A function may return nothing (the caller then cannot read r0); the program must return a number.
        if (r0.has(Value.UNINIT) && depth == 0) {
            fail(pc, "Invalid type (r0.type != uninit)");
        } else if (!r0.isNumber() && depth == 0) {
            fail(pc, "Invalid type (r0.type == number): the program must return a number");
        }
        if (depth == 0) {
            exits.add(s);
            return;
        }
        for (ControlFlow.Edge e : succ) {
            int callerNode = cfg.node(cfg.contexts.get(cfg.nodeContext[node]).parent(),
                    cfg.contexts.get(cfg.nodeContext[node]).callSite());
            State caller = in[callerNode];
            State back = s.copy();
            for (int r = 1; r <= 5; r++) {
                back.regs[r] = Value.UNINITIALIZED;
            }
            for (int r = 6; r <= 10; r++) {
                back.regs[r] = caller.regs[r];
            }
            int top = StackContents.SIZE - StackContents.FRAME * depth;
            back.stack = back.stack.forget(top - StackContents.FRAME, top, false);
            for (int r = 0; r <= 10; r++) {
                Value v = back.regs[r];
                if (v.has(Value.STACK) && v.stackOffset.smax >= top - StackContents.FRAME && v.stackOffset.smin < top) {
                    back.regs[r] = r == 0 ? Value.UNINITIALIZED : v; // a pointer into the dead frame is unusable
                }
            }
            outs.add(new Out(e.to(), back));
        }
    }

    private void callHelper(int pc, Instruction insn, State s, int depth) {
        Platform.HelperSignature h;
        String what;
        if (insn.src() == CALL_KFUNC) {
            h = insn.imm() >= 0 && insn.imm() < platform.namedHelpers.size() ? platform.namedHelpers.get(insn.imm()) : null;
            what = "named helper #" + insn.imm();
        } else if (insn.src() == CALL_HELPER && !insn.usesSrcRegister() && insn.dst() == 0) {
            h = platform.helpers.get(insn.imm());
            what = "helper function id " + insn.imm();
        } else if (insn.usesSrcRegister() && s.regs[insn.dst()].isConstant()
                && s.regs[insn.dst()].num.smin >= 0 && s.regs[insn.dst()].num.smin <= Integer.MAX_VALUE) {
            // callx through a register holding a number calls the helper with that id, as the engines do.
            int id = (int) s.regs[insn.dst()].num.smin;
            h = platform.helpers.get(id);
            what = "helper function id " + id + " (callx r" + insn.dst() + ")";
        } else {
            fail(pc, "callx needs a helper id known here in r" + insn.dst() + " (calls through code addresses are not verified)");
            clobber(s);
            s.regs[0] = Value.ANY_NUMBER;
            return;
        }
        if (h == null) {
            fail(pc, "invalid " + what + " (no helper with it is registered for this program)");
            clobber(s);
            s.regs[0] = Value.ANY_NUMBER;
            return;
        }
        HelperPrototype proto = h.prototype();
        List<ArgKind> args = proto.args();
        Value mapArg = null;
        Num allocSize = null;
        for (int i = 0; i < args.size(); i++) {
            int reg = i + 1;
            ArgKind kind = args.get(i);
            Value v = s.regs[reg];
            String label = h.name() + " argument " + reg;
            if (v.has(Value.UNINIT)) {
                fail(pc, "Invalid type (r" + reg + ".type != uninit) for " + label);
                continue;
            }
            switch (kind) {
                case ANYTHING -> { }
                case CONST_SIZE, CONST_SIZE_OR_ZERO -> {
                    if (!v.isNumber()) {
                        fail(pc, "Invalid type (r" + reg + ".type == number) for " + label);
                    } else if (kind == ArgKind.CONST_SIZE && v.num.smin <= 0 || v.num.smin < 0) {
                        fail(pc, "Lower bound must be at least " + (kind == ArgKind.CONST_SIZE ? 1 : 0)
                                + " (r" + reg + ".value) for " + label);
                    }
                    if (allocSize == null && v.isNumber()) {
                        allocSize = v.num;
                    }
                }
                case PTR_TO_CTX -> {
                    if (v.kinds != Value.CTX || !v.ctxOffset.equals(Num.of(0))) {
                        fail(pc, "Invalid type (r" + reg + ".type == ctx, unmodified) for " + label
                                + ", found " + v.kindText());
                    }
                }
                case PTR_TO_MAP, PTR_TO_MAP_OF_PROGRAMS -> {
                    int want = kind == ArgKind.PTR_TO_MAP ? Value.MAP_FD : Value.MAP_PROGRAMS;
                    if (v.kinds != want && !(kind == ArgKind.PTR_TO_MAP && v.kinds == Value.MAP_PROGRAMS)) {
                        fail(pc, "Invalid type (r" + reg + ".type == " + Value.KIND_NAMES[Integer.numberOfTrailingZeros(want)]
                                + ") for " + label + ", found " + v.kindText());
                    } else {
                        mapArg = v;
                    }
                }
                case PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE -> {
                    if (mapArg == null) {
                        break;
                    }
                    int size = kind == ArgKind.PTR_TO_MAP_KEY ? mapArg.keySize : mapArg.valueSize;
                    boolean writes = kind == ArgKind.PTR_TO_MAP_VALUE && h.name().matches(".*_(pop|peek)_elem");
                    memoryArgument(pc, s, reg, v, Num.of(size), depth, !writes, writes, label);
                    if (!writes) {
                        numericBytes(pc, s, reg, v, size, label);
                    }
                }
                case PTR_TO_READABLE_MEM, PTR_TO_READABLE_MEM_OR_NULL, PTR_TO_WRITABLE_MEM -> {
                    Value size = i + 1 < 5 ? s.regs[reg + 1] : Value.ANY_NUMBER;
                    Num n = size.isNumber() ? size.num : Num.TOP;
                    if (kind == ArgKind.PTR_TO_READABLE_MEM_OR_NULL && v.has(Value.NUMBER) && v.num.contains(0)) {
                        Value rest = v.without(Value.NUMBER);
                        if (rest == null) {
                            break;
                        }
                        v = rest;
                    }
                    if (n.umax == 0 && n.umin == 0) {
                        break;
                    }
                    memoryArgument(pc, s, reg, v, n, depth, kind != ArgKind.PTR_TO_WRITABLE_MEM,
                            kind == ArgKind.PTR_TO_WRITABLE_MEM, label);
                }
                case PTR_TO_FUNC -> {
                    if (v.kinds != Value.FUNC) {
                        fail(pc, "Invalid type (r" + reg + ".type == func) for " + label + ", found " + v.kindText());
                    }
                }
                case PTR_TO_ALLOC_MEM -> {
                    if (v.kinds != Value.SHARED || !v.sharedOffset.equals(Num.of(0))) {
                        fail(pc, "Invalid type (r" + reg + ".type == reserved ring buffer memory, unmodified) for "
                                + label + ", found " + v.kindText());
                    }
                }
            }
        }
        clobber(s);
        if (proto.reallocatesPacket()) {
            s.invalidatePacket();
        }
        s.regs[0] = switch (proto.returns()) {
            case INTEGER -> Value.ANY_NUMBER;
            case VOID -> Value.UNINITIALIZED;
            case PTR_TO_MAP_VALUE_OR_NULL -> {
                Platform.MapShape inner = mapArg == null ? null : platform.map(mapArg.inner);
                if (inner != null) {
                    // A map of maps holds map handles: what the lookup finds is the inner map.
                    yield maybeNull(s, handle(mapArg.inner, inner));
                }
                yield maybeNull(s, Value.shared(Num.of(0), Num.of(mapArg == null ? 0 : mapArg.valueSize)));
            }
            case PTR_TO_ALLOC_MEM_OR_NULL -> maybeNull(s, Value.shared(Num.of(0),
                    allocSize == null || !allocSize.isConstant() ? Num.of(0) : allocSize));
        };
    }

    /** A pointer or NULL, linked by a fresh id so a check on any copy refines all of them. */
    private Value maybeNull(State s, Value pointer) {
        int id = node + 1;
        for (int r = 0; r <= 10; r++) {
            if (s.regs[r].id == id) {
                s.regs[r] = s.regs[r].withId(0);
            }
        }
        return pointer.join(Value.constant(0)).withId(id);
    }

    private static void clobber(State s) {
        for (int r = 1; r <= 5; r++) {
            s.regs[r] = Value.UNINITIALIZED;
        }
    }

    private void memoryArgument(int pc, State s, int reg, Value p, Num size, int depth, boolean reads, boolean writes,
                                String label) {
        if (size.umax > Integer.MAX_VALUE || size.smin < 0) {
            fail(pc, "Upper bound of the size of " + label + " is unknown (it must be a bounded number)");
            return;
        }
        int width = (int) size.umax;
        if (width == 0) {
            return;
        }
        if (!p.only(Value.STACK | Value.PACKET | Value.SHARED)) {
            if (p.has(Value.NUMBER) && p.without(Value.NUMBER) != null) {
                fail(pc, "Possible null access (r" + reg + ") for " + label);
            } else {
                fail(pc, "Invalid type (r" + reg + ".type in {stack, packet, shared}) for " + label
                        + ", found " + p.kindText());
            }
            return;
        }
        String where = "within(r" + reg + ":" + label + ", size=" + width + ")";
        if (p.has(Value.STACK)) {
            Num at = p.stackOffset;
            // The frames of the program and its callers; deeper ones belong to calls not made yet.
            long floor = StackContents.SIZE - (long) StackContents.FRAME * (depth + 1);
            if (at.smin < floor) {
                fail(pc, "Lower bound must be at least r10.stack_offset - subprogram_stack_size (" + where + ")");
            } else if (at.smax + width > StackContents.SIZE) {
                fail(pc, "Upper bound must be at most the stack's top (" + where + ")");
            } else if (reads && s.stack.firstUninitialized((int) at.smin, (int) at.smax + width) >= 0) {
                fail(pc, "Stack content is not numeric (" + where + ")");
            } else if (writes) {
                s.stack = at.isConstant() ? s.stack.write((int) at.smin, width, null)
                        : s.stack.mixValues((int) at.smin, (int) at.smax + width, Value.ANY_NUMBER);
            }
        }
        if (p.has(Value.PACKET)) {
            packetAccess(pc, s, p, 0, width, where);
        }
        if (p.has(Value.SHARED)) {
            if (p.sharedOffset.smin < 0) {
                fail(pc, "Lower bound must be at least 0 (" + where + ")");
            }
            if (p.sharedOffset.smax + width > p.sharedSize.smin) {
                fail(pc, "Upper bound must be at most r" + reg + ".shared_region_size (" + where + ")");
            }
        }
    }

    /** Keys and values handed to a map must be numbers: a pointer stored in a map would leak an address. */
    private void numericBytes(int pc, State s, int reg, Value p, int size, String label) {
        if (!p.has(Value.STACK)) {
            return;
        }
        long from = p.stackOffset.smin;
        long to = p.stackOffset.smax + size;
        if (from < 0 || to > StackContents.SIZE || size <= 0) {
            return; // out of bounds: reported by the memory check
        }
        for (int slot = (int) (from >> 3); slot <= (int) ((to - 1) >> 3); slot++) {
            Value v = s.stack.slot(slot);
            if (v != null && !v.isNumber()) {
                int at = slot * 8 - StackContents.SIZE + StackContents.FRAME;
                fail(pc, "Illegal map update with a non-numerical value [" + at + "-" + (at + 8) + ") (within(r" + reg
                        + ":" + label + "))");
                return;
            }
        }
    }
}

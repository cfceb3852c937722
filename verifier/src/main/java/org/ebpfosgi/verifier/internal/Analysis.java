package org.ebpfosgi.verifier.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ebpfosgi.api.verifier.Diagnostic;
import org.ebpfosgi.isa.Decoder;
import org.ebpfosgi.isa.Instruction;
import org.ebpfosgi.isa.InvalidProgramException;

/**
 * Entry point of the analysis: decode, build the inlined control flow, run the abstract interpreter,
 * and turn its findings into diagnostics. Also speaks PREVAIL's constraint language for initial and
 * final states, which its YAML test cases use.
 */
public final class Analysis {
    /** PREVAIL numbers stack offsets from the bottom of a 512-byte frame: its r10 is at 512. */
    private static final int PREVAIL_STACK_SHIFT = StackContents.SIZE - StackContents.FRAME;

    private Analysis() {
    }

    /** Verifies a program the way it will run: r1 is the context, r10 the top of the stack. */
    public static AnalysisResult analyze(long[] code, Platform platform) {
        State initial = new State();
        initial.regs[1] = Value.ctx(Num.of(0));
        initial.regs[10] = Value.stack(Num.of(StackContents.SIZE));
        return analyze(code, platform, initial, false);
    }

    /**
     * Verifies code from an initial state given by PREVAIL-style constraints ({@code r1.type=packet},
     * {@code r1.svalue=[0, 255]}, {@code packet_size=20}, ...), with PREVAIL's test conventions: registers not
     * mentioned are uninitialized (r10 too), and running past the last instruction is the exit.
     *
     * @throws IllegalArgumentException for a constraint it does not understand
     */
    public static AnalysisResult analyze(long[] code, Platform platform, List<String> preconditions) {
        return analyze(code, platform, preconditions, java.util.Set.of());
    }

    /**
     * As {@link #analyze(long[], Platform, List)}, where the conditional jumps at {@code assumptions} stand for
     * PREVAIL's {@code assume}: only their taken edge exists.
     */
    public static AnalysisResult analyze(long[] code, Platform platform, List<String> preconditions,
                                         java.util.Set<Integer> assumptions) {
        return analyze(code, platform, Preconditions.parse(preconditions, platform), true, assumptions);
    }

    static AnalysisResult analyze(long[] words, Platform platform, State initial, boolean endIsExit) {
        return analyze(words, platform, initial, endIsExit, java.util.Set.of());
    }

    static AnalysisResult analyze(long[] words, Platform platform, State initial, boolean endIsExit,
                                  java.util.Set<Integer> assumptions) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        int endPc = -1;
        if (endIsExit) {
            // A sentinel past the end gives jumps to the end a target; reaching it is the exit.
            endPc = words.length;
            words = java.util.Arrays.copyOf(words, words.length + 1);
            words[endPc] = org.ebpfosgi.isa.Opcodes.JMP | org.ebpfosgi.isa.Opcodes.EXIT;
        }
        List<Instruction> decoded;
        try {
            decoded = Decoder.decode(words);
        } catch (InvalidProgramException e) {
            diagnostics.add(new Diagnostic(Diagnostic.Severity.ERROR, e.index(), Integer.toString(e.index()), e.getMessage()));
            return new AnalysisResult(diagnostics, false, new TreeSet<>());
        }
        Instruction[] code = new Instruction[words.length];
        for (Instruction insn : decoded) {
            code[insn.slot()] = insn;
        }
        ControlFlow cfg = new ControlFlow(code, endPc, assumptions);
        if (!cfg.build()) {
            diagnostics.add(new Diagnostic(Diagnostic.Severity.ERROR, cfg.problemPc, Integer.toString(cfg.problemPc), cfg.problem));
            return new AnalysisResult(diagnostics, false, new TreeSet<>());
        }
        Analyzer analyzer = new Analyzer(code, platform, cfg);
        Map<Integer, List<String>> findings = analyzer.run(initial);
        for (Map.Entry<Integer, List<String>> e : new java.util.TreeMap<>(findings).entrySet()) {
            for (String message : e.getValue()) {
                diagnostics.add(new Diagnostic(Diagnostic.Severity.ERROR, e.getKey(), Integer.toString(e.getKey()), message));
            }
        }
        boolean terminates = true;
        for (Termination.Loop loop : analyzer.loops()) {
            if (loop.iterations() < 0) {
                terminates = false;
                diagnostics.add(new Diagnostic(Diagnostic.Severity.WARNING, loop.headPc(), Integer.toString(loop.headPc()),
                        "termination of the loop starting here is not proven (" + loop.problem()
                                + "); runs stay bounded by the instruction budget"));
            }
        }
        State exit = analyzer.exitState();
        return new AnalysisResult(diagnostics, exit != null, exit == null ? new TreeSet<>() : constraints(exit), terminates);
    }

    /** A state in PREVAIL's constraint language, as its test cases write post-conditions. */
    static TreeSet<String> constraints(State s) {
        TreeSet<String> out = new TreeSet<>();
        for (int r = 0; r < s.regs.length; r++) {
            Value v = s.regs[r];
            if (v.has(Value.UNINIT)) {
                continue;
            }
            String name = "r" + r;
            out.add(name + ".type=" + (Integer.bitCount(v.kinds) == 1 ? v.kindText() : "in " + v.kindText()));
            if (v.num != null) {
                out.add(name + ".svalue=" + v.num.signedText());
                out.add(name + ".uvalue=" + v.num.unsignedText());
            }
            if (v.ctxOffset != null) out.add(name + ".ctx_offset=" + v.ctxOffset.signedText());
            if (v.stackOffset != null) out.add(name + ".stack_offset=" + v.stackOffset.sub(Num.of(PREVAIL_STACK_SHIFT)).signedText());
            if (v.packetOffset != null) {
                out.add(name + ".packet_offset=" + (v.packetBase == Value.BASE_END && v.packetOffset.equals(Num.of(0))
                        ? "packet_size" : s.absoluteOffset(v).signedText()));
            }
            if (v.sharedOffset != null) {
                out.add(name + ".shared_offset=" + v.sharedOffset.signedText());
                out.add(name + ".shared_region_size=" + v.sharedSize.signedText());
            }
            if (v.map >= 0) out.add(name + "." + (v.has(Value.MAP_PROGRAMS) ? "map_fd_programs" : "map_fd") + "=" + v.map);
        }
        if (!s.packetSize.equals(Num.unsigned(0, State.MAX_PACKET))) {
            out.add("packet_size=" + s.packetSize.signedText());
        }
        return out;
    }

    /** Parses PREVAIL preconditions into an initial state. */
    static final class Preconditions {
        private static final Pattern REG = Pattern.compile("r(\\d+)\\.(\\w+)=(.+)");
        private static final Pattern STACK = Pattern.compile("s\\[(\\d+)\\.\\.\\.(\\d+)\\]\\.(\\w+)=(.+)");

        static State parse(List<String> constraints, Platform platform) {
            State s = new State();
            Value.Builder[] regs = new Value.Builder[11];
            boolean[] numbersSet = new boolean[11];
            for (String c : constraints) {
                String t = c.trim();
                Matcher m = REG.matcher(t);
                Matcher st = STACK.matcher(t);
                if (m.matches()) {
                    int r = Integer.parseInt(m.group(1));
                    if (r > 10) {
                        throw new IllegalArgumentException("no register r" + r + " in '" + c + "'");
                    }
                    Value.Builder b = regs[r] == null ? (regs[r] = new Value.Builder(0)) : regs[r];
                    String field = m.group(2);
                    String value = m.group(3).trim();
                    switch (field) {
                        case "type" -> b.kinds |= kind(value, c);
                        case "svalue", "uvalue" -> {
                            if (value.startsWith("r")) {
                                break; // relational: ours are separate intervals
                            }
                            Num n = interval(value, field.equals("uvalue"), c);
                            b.num = b.num == null || !numbersSet[r] ? n : b.num.meet(n);
                            numbersSet[r] = true;
                        }
                        case "ctx_offset" -> b.ctxOffset = interval(value, false, c);
                        case "stack_offset" -> b.stackOffset = interval(value, false, c).add(Num.of(PREVAIL_STACK_SHIFT));
                        case "packet_offset" -> {
                            if (value.equals("packet_size")) {
                                b.packetBase = Value.BASE_END;
                                b.packetOffset = Num.of(0);
                            } else if (b.packetBase != Value.BASE_END) {
                                b.packetOffset = interval(value, false, c);
                            }
                        }
                        case "shared_offset" -> b.sharedOffset = interval(value, false, c);
                        case "shared_region_size" -> b.sharedSize = interval(value, false, c);
                        case "map_fd", "map_fd_programs" -> {
                            b.map = (int) interval(value, false, c).smin;
                            Platform.MapShape shape = field.equals("map_fd") ? platform.map(b.map) : platform.programArray(b.map);
                            if (shape != null) {
                                b.keySize = shape.keySize();
                                b.valueSize = shape.valueSize();
                                b.inner = shape.inner();
                            }
                        }
                        case "stack_numeric_size" -> { }
                        default -> throw new IllegalArgumentException("unknown register field in '" + c + "'");
                    }
                } else if (st.matches()) {
                    int from = Integer.parseInt(st.group(1)) + PREVAIL_STACK_SHIFT;
                    int to = Integer.parseInt(st.group(2)) + 1 + PREVAIL_STACK_SHIFT;
                    if (to > StackContents.SIZE || from >= to) {
                        throw new IllegalArgumentException("stack range out of bounds in '" + c + "'");
                    }
                    if (st.group(3).equals("type")) {
                        if (!st.group(4).trim().equals("number")) {
                            throw new IllegalArgumentException("only numbers on the stack are supported: '" + c + "'");
                        }
                        s.stack = s.stack.forget(from, to, true);
                    } else if (st.group(3).equals("svalue") || st.group(3).equals("uvalue")) {
                        if (to - from == 8 && (from & 7) == 0) {
                            s.stack = s.stack.write(from, 8, Value.number(interval(st.group(4).trim(),
                                    st.group(3).equals("uvalue"), c)));
                        }
                    } else {
                        throw new IllegalArgumentException("unknown stack field in '" + c + "'");
                    }
                } else if (t.startsWith("packet_size=")) {
                    Num n = interval(t.substring("packet_size=".length()), false, c);
                    Num size = n.meet(Num.unsigned(0, State.MAX_PACKET));
                    s.packetSize = size == null ? Num.unsigned(0, State.MAX_PACKET) : size;
                } else if (t.startsWith("meta_offset=")) {
                    Num n = interval(t.substring("meta_offset=".length()), false, c);
                    s.metaProven = Math.max(0, -n.smax);
                } else {
                    throw new IllegalArgumentException("unsupported precondition '" + c + "'");
                }
            }
            for (int r = 0; r < regs.length; r++) {
                Value.Builder b = regs[r];
                if (b == null) {
                    continue;
                }
                if (b.kinds == 0) {
                    // Values without a type: PREVAIL's "any initialized value", number or pointer.
                    b.kinds = Value.NUMBER | Value.POINTERS;
                    if (b.num == null) {
                        b.num = Num.TOP;
                    }
                }
                if ((b.kinds & Value.POINTERS) != 0 && (b.kinds & Value.NUMBER) == 0 && b.num != null && b.num.contains(0)
                        && b.kinds != (Value.NUMBER | Value.POINTERS)) {
                    // PREVAIL's convention: a pointer whose value may be 0 may be NULL.
                    b.kinds |= Value.NUMBER;
                    b.num = Num.of(0);
                }
                if ((b.kinds & Value.NUMBER) != 0 && b.num == null) b.num = Num.TOP;
                if ((b.kinds & Value.CTX) != 0 && b.ctxOffset == null) b.ctxOffset = Num.of(0);
                if ((b.kinds & Value.STACK) != 0 && b.stackOffset == null) b.stackOffset = Num.unsigned(0, StackContents.SIZE);
                if ((b.kinds & Value.PACKET) != 0 && b.packetOffset == null) b.packetOffset = Num.unsigned(0, State.MAX_PACKET);
                if ((b.kinds & Value.SHARED) != 0 && b.sharedOffset == null) b.sharedOffset = Num.TOP;
                if ((b.kinds & Value.SHARED) != 0 && b.sharedSize == null) b.sharedSize = Num.unsigned(0, Integer.MAX_VALUE);
                s.regs[r] = b.build();
            }
            return s;
        }

        private static int kind(String name, String c) {
            for (int i = 0; i < Value.KIND_NAMES.length; i++) {
                if (Value.KIND_NAMES[i].equals(name)) {
                    return 1 << i;
                }
            }
            throw new IllegalArgumentException("unknown type '" + name + "' in '" + c + "'");
        }

        static Num interval(String text, boolean unsigned, String c) {
            String t = text.trim();
            try {
                if (t.startsWith("[") && t.endsWith("]")) {
                    String[] parts = t.substring(1, t.length() - 1).split(",");
                    if (parts.length != 2) {
                        throw new IllegalArgumentException("malformed interval in '" + c + "'");
                    }
                    long lo = bound(parts[0].trim(), unsigned);
                    long hi = bound(parts[1].trim(), unsigned);
                    Num n = unsigned ? Num.unsigned(lo, hi) : Num.signed(lo, hi);
                    if (n == null) {
                        throw new IllegalArgumentException("empty interval in '" + c + "'");
                    }
                    return n;
                }
                return Num.of(bound(t, unsigned));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed number in '" + c + "'");
            }
        }

        private static long bound(String s, boolean unsigned) {
            return switch (s) {
                case "-oo" -> unsigned ? 0 : Long.MIN_VALUE;
                case "+oo" -> unsigned ? -1 : Long.MAX_VALUE;
                default -> unsigned ? Long.parseUnsignedLong(s) : Long.parseLong(s);
            };
        }
    }
}

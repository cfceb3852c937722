package org.ebpfosgi.isa;

import static org.ebpfosgi.isa.Opcodes.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Assembles eBPF text into 64-bit instruction words (RFC 9669 layout; lddw takes two words).
 *
 * <p>Two syntaxes are accepted, also mixed line by line:
 * <ul>
 * <li>the bpf_conformance syntax: {@code mov32 %r0, 0}, {@code ldxb %r0, [%r1+0x2]}, {@code jne %r1, 5, label},
 * {@code lock fetch add [%r10-8], %r1}, {@code call local f}, {@code call %r2}, {@code ldindb %r1, 4}; a jump to the
 * undefined label {@code exit} goes to the latest {@code exit} instruction before it (or else the first one after
 * it), as that suite's assembler does;</li>
 * <li>the llvm-objdump syntax printed by {@link Disassembler} and used by PREVAIL's tests:
 * {@code r2 = *(u8 *)(r1 + 0x0)}, {@code w0 = w1}, {@code if r1 > 0x5 goto +3}, {@code r0 = 0x1122 ll},
 * {@code lock *(u64 *)(r10 - 8) += r1}, {@code r1 = (s8)r2}, {@code call 1}, {@code callx r2}, {@code gotol +5},
 * labels {@code <name>:} and {@code goto <name>}, plus PREVAIL's {@code s8=}, {@code x=}, {@code cx=},
 * {@code ... fetch}, {@code &==}, {@code map_fd N}, {@code map_val(N) + M}, {@code mva(map_by_idx(N)) + M}
 * spellings, RFC 9669's {@code map_by_fd(N)}, {@code map_val(map_by_idx(N)) + M}, {@code var_addr(N)},
 * {@code code_addr(N)}, and llvm's {@code ld_pseudo r1, 1, N}.</li>
 * </ul>
 * Comments start with {@code #}, {@code ;} or {@code //}. Labels are {@code name:} or {@code <name>:}, alone on a
 * line or before an instruction.
 */
public final class Assembler {
    private Assembler() {
    }

    /** @throws AssemblyException with the 1-based line and the reason, for any text that cannot be encoded */
    public static long[] assemble(String text) {
        Objects.requireNonNull(text, "text");
        return new Assembler.Run().assemble(text);
    }

    private enum FixupKind { OFFSET16, IMM32 }

    private record Fixup(int slot, String label, FixupKind kind, int line) {
    }

    /** One assembly run: output words, labels and forward references. */
    private static final class Run {
        private long[] words = new long[64];
        private int count;
        private final Map<String, Integer> labels = new HashMap<>();
        private final List<Fixup> fixups = new ArrayList<>();
        private final List<Integer> exitSlots = new ArrayList<>();

        long[] assemble(String text) {
            int lineNumber = 0;
            int start = 0;
            int length = text.length();
            while (start <= length) {
                int end = start;
                while (end < length && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                    end++;
                }
                lineNumber++;
                parseLine(text.substring(start, end), lineNumber);
                if (end < length && text.charAt(end) == '\r' && end + 1 < length && text.charAt(end + 1) == '\n') {
                    end++;
                }
                start = end + 1;
            }
            resolve();
            return Arrays.copyOf(words, count);
        }

        private void emit(long word) {
            if (count == words.length) {
                words = Arrays.copyOf(words, count * 2);
            }
            words[count++] = word;
        }

        private void parseLine(String raw, int lineNumber) {
            String line = stripComment(raw);
            LineScanner s = new LineScanner(line, lineNumber);
            while (true) {
                if (s.atEnd()) {
                    return;
                }
                int mark = s.position();
                String label = null;
                if (s.accept("<")) {
                    label = s.identifier();
                    if (label == null || !s.accept(">") || !s.accept(":")) {
                        s.reset(mark);
                        label = null;
                    }
                } else {
                    label = s.identifier();
                    if (label == null || !s.accept(":")) {
                        s.reset(mark);
                        label = null;
                    }
                }
                if (label == null) {
                    break;
                }
                if (labels.putIfAbsent(label, count) != null) {
                    throw new AssemblyException(lineNumber, "label '" + label + "' defined twice");
                }
            }
            instruction(s);
            s.expectEnd();
        }

        private static String stripComment(String line) {
            int cut = line.length();
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '#' || c == ';' || (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/')) {
                    cut = i;
                    break;
                }
            }
            return line.substring(0, cut);
        }

        /**
         * bpf_conformance's assembler lets jumps name {@code exit} without defining it: it means the latest
         * {@code exit} instruction before the jump, or if there is none the first one after it.
         */
        private Integer implicitExit(int jumpSlot) {
            Integer after = null;
            Integer before = null;
            for (int slot : exitSlots) {
                if (slot < jumpSlot) {
                    before = slot;
                } else if (after == null) {
                    after = slot;
                }
            }
            return before != null ? before : after;
        }

        private void resolve() {
            for (Fixup f : fixups) {
                Integer target = labels.get(f.label);
                if (target == null && f.label.equals("exit")) {
                    target = implicitExit(f.slot);
                }
                if (target == null) {
                    throw new AssemblyException(f.line, "undefined label '" + f.label + "'");
                }
                long relative = (long) target - (f.slot + 1);
                long w = words[f.slot];
                if (f.kind == FixupKind.OFFSET16) {
                    if (relative < Short.MIN_VALUE || relative > Short.MAX_VALUE) {
                        throw new AssemblyException(f.line, "jump to '" + f.label + "' is too far for a 16-bit offset");
                    }
                    words[f.slot] = w & ~(0xffffL << 16) | (relative & 0xffffL) << 16;
                } else {
                    words[f.slot] = w & 0xffffffffL | relative << 32;
                }
            }
        }

        // ---------------------------------------------------------------------------------------------------

        private void instruction(LineScanner s) {
            int mark = s.position();
            String word = s.identifier();
            if (word == null) {
                if (s.peek() == '*') {
                    llvmStore(s);
                    return;
                }
                throw s.error("expected an instruction");
            }
            switch (word) {
                case "exit" -> {
                    exitSlots.add(count);
                    emit(encode(JMP | EXIT, 0, 0, 0, 0));
                }
                case "call" -> call(s);
                case "callx" -> emit(encode(JMP | CALL | X, s.expectRegister("r"), 0, 0, 0));
                case "lock" -> {
                    if (s.peek() == '*') {
                        llvmLock(s);
                    } else {
                        conformanceLock(s);
                    }
                }
                case "if" -> llvmIf(s);
                case "goto" -> jumpTarget(s, JMP | JA, 0, 0, 0, FixupKind.OFFSET16);
                case "gotol" -> jumpTarget(s, JMP32 | JA, 0, 0, 0, FixupKind.IMM32);
                case "ld_pseudo" -> ldPseudo(s);
                case "assume" -> throw s.error("'assume' is a verifier assertion, not an eBPF instruction");
                default -> {
                    s.reset(mark);
                    int reg = s.register("r");
                    boolean alu32 = false;
                    if (reg < 0) {
                        reg = s.register("w");
                        alu32 = reg >= 0;
                    }
                    if (reg >= 0) {
                        llvmRegister(s, reg, alu32);
                    } else {
                        s.identifier();
                        conformance(s, word);
                    }
                }
            }
        }

        // ---- shared pieces ----

        private void call(LineScanner s) {
            if (s.acceptWord("local")) {
                callLocal(s);
            } else if (s.acceptWord("kfunc")) {
                emit(encode(JMP | CALL, 0, CALL_KFUNC, 0, s.imm32()));
            } else if (s.peek() == '<') {
                callLocal(s);
            } else if (s.peek() == '%') {
                emit(encode(JMP | CALL | X, s.expectRegister("%r"), 0, 0, 0));
            } else if (s.atNumber()) {
                emit(encode(JMP | CALL, 0, CALL_HELPER, 0, s.imm32()));
            } else {
                throw s.error("expected a helper number, 'local' target or register after 'call'");
            }
        }

        private void callLocal(LineScanner s) {
            jumpTarget(s, JMP | CALL, 0, CALL_LOCAL, 0, FixupKind.IMM32);
        }

        /** Emits a jump-like instruction whose target (number, label or &lt;label&gt;) is parsed now. */
        private void jumpTarget(LineScanner s, int opcode, int dst, int src, int imm, FixupKind kind) {
            if (s.atNumber()) {
                if (kind == FixupKind.OFFSET16) {
                    emit(encode(opcode, dst, src, s.offset16(), imm));
                } else {
                    emit(encode(opcode, dst, src, 0, s.imm32()));
                }
                skipAnnotation(s);
                return;
            }
            String label;
            if (s.accept("<")) {
                label = s.identifier();
                if (label == null || !s.accept(">")) {
                    throw s.error("expected '<label>'");
                }
            } else {
                label = s.identifier();
                if (label == null) {
                    throw s.error("expected a jump target (label or offset)");
                }
            }
            fixups.add(new Fixup(count, label, kind, s.line()));
            emit(encode(opcode, dst, src, 0, imm));
        }

        /** llvm-objdump follows numeric targets by {@code <symbol+0x10>}: informational only. */
        private static void skipAnnotation(LineScanner s) {
            if (s.peek() == '<') {
                String rest = s.rest();
                int close = rest.indexOf('>');
                if (close == rest.length() - 1) {
                    s.reset(s.position() + rest.length());
                }
            }
        }

        private static int loadStoreSize(LineScanner s, String name, String suffix) {
            return switch (suffix) {
                case "b" -> B;
                case "h" -> H;
                case "w" -> W;
                case "dw" -> DW;
                default -> throw s.error("unknown instruction '" + name + "'");
            };
        }

        private static int aluOp(String name) {
            return switch (name) {
                case "add" -> ADD;
                case "sub" -> SUB;
                case "mul" -> MUL;
                case "div", "sdiv" -> DIV;
                case "or" -> OR;
                case "and" -> AND;
                case "lsh" -> LSH;
                case "rsh" -> RSH;
                case "mod", "smod" -> MOD;
                case "xor" -> XOR;
                case "mov" -> MOV;
                case "arsh" -> ARSH;
                default -> -1;
            };
        }

        private static int jumpOp(String name) {
            return switch (name) {
                case "jeq" -> JEQ;
                case "jgt" -> JGT;
                case "jge" -> JGE;
                case "jset" -> JSET;
                case "jne" -> JNE;
                case "jsgt" -> JSGT;
                case "jsge" -> JSGE;
                case "jlt" -> JLT;
                case "jle" -> JLE;
                case "jslt" -> JSLT;
                case "jsle" -> JSLE;
                default -> -1;
            };
        }

        private static int atomicOp(String name) {
            return switch (name) {
                case "add" -> ATOMIC_ADD;
                case "or" -> ATOMIC_OR;
                case "and" -> ATOMIC_AND;
                case "xor" -> ATOMIC_XOR;
                case "xchg" -> ATOMIC_XCHG;
                case "cmpxchg" -> ATOMIC_CMPXCHG;
                default -> -1;
            };
        }

        // ---- bpf_conformance syntax ----

        private void conformance(LineScanner s, String m) {
            switch (m) {
                case "ja" -> {
                    jumpTarget(s, JMP | JA, 0, 0, 0, FixupKind.OFFSET16);
                    return;
                }
                case "ja32" -> {
                    jumpTarget(s, JMP32 | JA, 0, 0, 0, FixupKind.IMM32);
                    return;
                }
                case "lddw" -> {
                    int dst = s.expectRegister("%r");
                    s.expect(",");
                    long value = s.number();
                    emit(encode(LDDW, dst, 0, 0, (int) value));
                    emit(encode(0, 0, 0, 0, (int) (value >>> 32)));
                    return;
                }
                default -> {
                }
            }
            boolean is32 = m.endsWith("32") && m.length() > 2 && !Character.isDigit(m.charAt(m.length() - 3));
            String base = is32 ? m.substring(0, m.length() - 2) : m;
            int op = aluOp(base);
            if (op >= 0) {
                int cls = is32 ? ALU : ALU64;
                int offset = base.startsWith("s") && (op == DIV || op == MOD) ? 1 : 0;
                int dst = s.expectRegister("%r");
                s.expect(",");
                int src = s.register("%r");
                if (src >= 0) {
                    emit(encode(cls | op | X, dst, src, offset, 0));
                } else {
                    emit(encode(cls | op | K, dst, 0, offset, s.imm32()));
                }
                return;
            }
            if (base.equals("neg")) {
                emit(encode((is32 ? ALU : ALU64) | NEG, s.expectRegister("%r"), 0, 0, 0));
                return;
            }
            op = jumpOp(base);
            if (op >= 0) {
                int cls = is32 ? JMP32 : JMP;
                int dst = s.expectRegister("%r");
                s.expect(",");
                int src = s.register("%r");
                int imm = 0;
                int source = X;
                if (src < 0) {
                    src = 0;
                    source = K;
                    imm = s.imm32();
                }
                s.expect(",");
                jumpTarget(s, cls | op | source, dst, src, imm, FixupKind.OFFSET16);
                return;
            }
            if (m.startsWith("movsx")) {
                // movsx{8,16,32}{32,64}: source width then destination width.
                String widths = m.substring(5);
                int from;
                String to;
                if (widths.startsWith("8")) {
                    from = 8;
                    to = widths.substring(1);
                } else if (widths.startsWith("16") || widths.startsWith("32")) {
                    from = Integer.parseInt(widths.substring(0, 2));
                    to = widths.substring(2);
                } else {
                    throw s.error("unknown instruction '" + m + "'");
                }
                int cls = switch (to) {
                    case "32" -> from == 32 ? -1 : ALU;
                    case "64" -> ALU64;
                    default -> -1;
                };
                if (cls < 0) {
                    throw s.error("unknown instruction '" + m + "'");
                }
                int dst = s.expectRegister("%r");
                s.expect(",");
                emit(encode(cls | MOV | X, dst, s.expectRegister("%r"), from, 0));
                return;
            }
            int width = endianWidth(m);
            if (width > 0) {
                int opcode = m.startsWith("be") ? ALU | END | TO_BE
                        : m.startsWith("le") ? ALU | END | TO_LE : ALU64 | END;
                emit(encode(opcode, s.expectRegister("%r"), 0, 0, width));
                return;
            }
            if (m.startsWith("ldxs")) {
                int size = loadStoreSize(s, m, m.substring(4));
                if (size == DW) {
                    throw s.error("unknown instruction '" + m + "' (no sign-extending 64-bit load)");
                }
                int dst = s.expectRegister("%r");
                s.expect(",");
                int[] mem = conformanceMemory(s);
                emit(encode(LDX | MEMSX | size, dst, mem[0], mem[1], 0));
            } else if (m.startsWith("ldx")) {
                int size = loadStoreSize(s, m, m.substring(3));
                int dst = s.expectRegister("%r");
                s.expect(",");
                int[] mem = conformanceMemory(s);
                emit(encode(LDX | MEM | size, dst, mem[0], mem[1], 0));
            } else if (m.startsWith("stx")) {
                int size = loadStoreSize(s, m, m.substring(3));
                int[] mem = conformanceMemory(s);
                s.expect(",");
                emit(encode(STX | MEM | size, mem[0], s.expectRegister("%r"), mem[1], 0));
            } else if (m.startsWith("st")) {
                int size = loadStoreSize(s, m, m.substring(2));
                int[] mem = conformanceMemory(s);
                s.expect(",");
                emit(encode(ST | MEM | size, mem[0], 0, mem[1], s.imm32()));
            } else if (m.startsWith("ldabs")) {
                emit(encode(LD | ABS | loadStoreSize(s, m, m.substring(5)), 0, 0, 0, s.imm32()));
            } else if (m.startsWith("ldind")) {
                int size = loadStoreSize(s, m, m.substring(5));
                int src = s.expectRegister("%r");
                s.expect(",");
                emit(encode(LD | IND | size, 0, src, 0, s.imm32()));
            } else {
                throw s.error("unknown instruction '" + m + "'");
            }
        }

        /** be16/le32/bswap64/swap16 ... -> the width, else 0. */
        private static int endianWidth(String m) {
            String w;
            if (m.startsWith("be") || m.startsWith("le")) {
                w = m.substring(2);
            } else if (m.startsWith("bswap")) {
                w = m.substring(5);
            } else if (m.startsWith("swap")) {
                w = m.substring(4);
            } else {
                return 0;
            }
            return switch (w) {
                case "16" -> 16;
                case "32" -> 32;
                case "64" -> 64;
                default -> 0;
            };
        }

        /** [%rN], [%rN+off], [%rN-off] -> {reg, offset}. */
        private static int[] conformanceMemory(LineScanner s) {
            s.expect("[");
            int reg = s.expectRegister("%r");
            int offset = signedOffset(s);
            s.expect("]");
            return new int[] {reg, offset};
        }

        /** Optional "+ n" or "- n" after a base register. */
        private static int signedOffset(LineScanner s) {
            boolean negative;
            if (s.accept("+")) {
                negative = false;
            } else if (s.accept("-")) {
                negative = true;
            } else {
                return 0;
            }
            int start = s.position();
            long value = s.number();
            long exact = negative ? -value : value;
            if (value < 0 && !negative || exact < Short.MIN_VALUE || exact > Short.MAX_VALUE) {
                s.reset(start);
                throw s.error("offset does not fit in 16 bits");
            }
            return (int) exact;
        }

        private void conformanceLock(LineScanner s) {
            boolean fetch = s.acceptWord("fetch");
            String m = s.identifier();
            if (m == null) {
                throw s.error("expected an atomic operation after 'lock'");
            }
            boolean is32 = m.endsWith("32");
            String base = is32 ? m.substring(0, m.length() - 2) : m;
            int op = atomicOp(base);
            if (op < 0) {
                throw s.error("unknown atomic operation '" + m + "'");
            }
            if (fetch) {
                op |= FETCH;
            }
            int[] mem = conformanceMemory(s);
            s.expect(",");
            int src = s.expectRegister("%r");
            emit(encode(STX | ATOMIC | (is32 ? W : DW), mem[0], src, mem[1], op));
        }

        // ---- llvm-objdump syntax ----

        private static final String[] IF_OPERATORS = {"s>=", "s<=", "s>", "s<", "&==", "&!=", "==", "!=", ">=", "<=",
                ">", "<", "&"};

        private void llvmIf(LineScanner s) {
            int dst = s.register("r");
            boolean is32 = false;
            if (dst < 0) {
                dst = s.expectRegister("w");
                is32 = true;
            }
            String operator = null;
            for (String candidate : IF_OPERATORS) {
                if (s.accept(candidate)) {
                    operator = candidate;
                    break;
                }
            }
            if (operator == null) {
                throw s.error("expected a comparison operator");
            }
            int op = switch (operator) {
                case "==" -> JEQ;
                case "!=" -> JNE;
                case ">" -> JGT;
                case ">=" -> JGE;
                case "<" -> JLT;
                case "<=" -> JLE;
                case "s>" -> JSGT;
                case "s>=" -> JSGE;
                case "s<" -> JSLT;
                case "s<=" -> JSLE;
                case "&", "&==" -> JSET;
                default -> throw s.error("'" + operator + "' has no eBPF jump instruction");
            };
            int src = s.register(is32 ? "w" : "r");
            int imm = 0;
            int source = X;
            if (src < 0) {
                src = 0;
                source = K;
                imm = s.imm32();
            }
            if (!s.acceptWord("goto")) {
                throw s.error("expected 'goto'");
            }
            jumpTarget(s, (is32 ? JMP32 : JMP) | op | source, dst, src, imm, FixupKind.OFFSET16);
        }

        /** *(u32 *)(r1 + 2) -> {size, base, offset}; the leading '*' is consumed here. */
        private static int[] llvmMemory(LineScanner s, boolean allowSigned) {
            s.expect("*");
            s.expect("(");
            boolean signed = allowSigned && s.accept("s");
            if (!signed) {
                s.expect("u");
            }
            int size;
            if (s.accept("8")) {
                size = B;
            } else if (s.accept("16")) {
                size = H;
            } else if (s.accept("32")) {
                size = W;
            } else if (s.accept("64") && !signed) {
                size = DW;
            } else {
                throw s.error("expected a size u8/u16/u32/u64" + (allowSigned ? " or s8/s16/s32" : ""));
            }
            s.expect("*");
            s.expect(")");
            int[] result = {size, -1, 0, signed ? 1 : 0};
            if (s.accept("skb")) {
                return result;
            }
            s.expect("(");
            result[1] = s.expectRegister("r");
            result[2] = signedOffset(s);
            s.expect(")");
            return result;
        }

        private void llvmStore(LineScanner s) {
            int[] mem = llvmMemory(s, false);
            if (mem[1] < 0) {
                throw s.error("cannot store to skb[]");
            }
            s.expect("=");
            int src = anyRegister(s);
            if (src >= 0) {
                emit(encode(STX | MEM | mem[0], mem[1], src, mem[2], 0));
            } else {
                emit(encode(ST | MEM | mem[0], mem[1], 0, mem[2], s.imm32()));
            }
        }

        private static int anyRegister(LineScanner s) {
            int r = s.register("r");
            return r >= 0 ? r : s.register("w");
        }

        private static int expectAnyRegister(LineScanner s) {
            int r = anyRegister(s);
            if (r < 0) {
                throw s.error("expected a register");
            }
            return r;
        }

        private static final String[] LOCK_OPERATORS = {"+=", "|=", "&=", "^=", "x=", "cx="};

        private void llvmLock(LineScanner s) {
            int[] mem = llvmMemory(s, false);
            if (mem[1] < 0 || (mem[0] != W && mem[0] != DW)) {
                throw s.error("atomic operations are 32 or 64 bits wide on memory");
            }
            int op = -1;
            // "cx=" before "x=": accept() matches prefixes.
            if (s.accept("cx=")) {
                op = ATOMIC_CMPXCHG;
            } else if (s.accept("x=")) {
                op = ATOMIC_XCHG;
            } else if (s.accept("+=")) {
                op = ATOMIC_ADD;
            } else if (s.accept("|=")) {
                op = ATOMIC_OR;
            } else if (s.accept("&=")) {
                op = ATOMIC_AND;
            } else if (s.accept("^=")) {
                op = ATOMIC_XOR;
            }
            if (op < 0) {
                throw s.error("expected one of " + String.join(" ", LOCK_OPERATORS));
            }
            int src = expectAnyRegister(s);
            if (s.acceptWord("fetch")) {
                op |= FETCH;
            }
            emit(encode(STX | ATOMIC | mem[0], mem[1], src, mem[2], op));
        }

        private static final String[] ASSIGN_OPERATORS = {"s>>=", "<<=", ">>=", "s/=", "s%=", "s8=", "s16=", "s32=",
                "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=", "="};

        private void llvmRegister(LineScanner s, int dst, boolean is32) {
            String operator = null;
            for (String candidate : ASSIGN_OPERATORS) {
                if (s.accept(candidate)) {
                    operator = candidate;
                    break;
                }
            }
            if (operator == null) {
                throw s.error("expected an assignment operator");
            }
            int cls = is32 ? ALU : ALU64;
            int offset = 0;
            int op;
            switch (operator) {
                case "=" -> {
                    llvmAssign(s, dst, is32);
                    return;
                }
                case "s8=", "s16=", "s32=" -> {
                    // PREVAIL's spelling of movsx. Its tests also write "w2 s32= r2" (ALU offset 32, which RFC 9669
                    // leaves undefined): it is encoded as written, and the decoder judges it.
                    int from = Integer.parseInt(operator.substring(1, operator.length() - 1));
                    emit(encode(cls | MOV | X, dst, expectAnyRegister(s), from, 0));
                    return;
                }
                case "+=" -> op = ADD;
                case "-=" -> op = SUB;
                case "*=" -> op = MUL;
                case "/=" -> op = DIV;
                case "%=" -> op = MOD;
                case "|=" -> op = OR;
                case "&=" -> op = AND;
                case "^=" -> op = XOR;
                case "<<=" -> op = LSH;
                case ">>=" -> op = RSH;
                case "s>>=" -> op = ARSH;
                case "s/=" -> {
                    op = DIV;
                    offset = 1;
                }
                case "s%=" -> {
                    op = MOD;
                    offset = 1;
                }
                default -> throw s.error("unknown operator '" + operator + "'");
            }
            int src = anyRegister(s);
            if (src >= 0) {
                emit(encode(cls | op | X, dst, src, offset, 0));
            } else {
                emit(encode(cls | op | K, dst, 0, offset, s.imm32()));
            }
        }

        private void llvmAssign(LineScanner s, int dst, boolean is32) {
            int cls = is32 ? ALU : ALU64;
            int mark = s.position();
            if (s.accept("-")) {
                int negated = anyRegister(s);
                if (negated >= 0) {
                    if (negated != dst) {
                        throw s.error("negation works in place: write r" + dst + " = -r" + dst);
                    }
                    emit(encode(cls | NEG, dst, 0, 0, 0));
                    return;
                }
                s.reset(mark);
            }
            if (s.peek() == '*') {
                int[] mem = llvmMemory(s, true);
                if (mem[1] < 0) {
                    legacyPacketLoad(s, dst, mem[0]);
                } else {
                    emit(encode(LDX | (mem[3] != 0 ? MEMSX : MEM) | mem[0], dst, mem[1], mem[2], 0));
                }
                return;
            }
            if (s.accept("(")) {
                int from;
                if (s.accept("s8")) {
                    from = 8;
                } else if (s.accept("s16")) {
                    from = 16;
                } else if (s.accept("s32") && !is32) {
                    from = 32;
                } else {
                    throw s.error("expected (s8), (s16)" + (is32 ? "" : " or (s32)"));
                }
                s.expect(")");
                emit(encode(cls | MOV | X, dst, expectAnyRegister(s), from, 0));
                return;
            }
            int moveSource = anyRegister(s);
            if (moveSource >= 0) {
                emit(encode(cls | MOV | X, dst, moveSource, 0, 0));
                return;
            }
            if (s.atNumber()) {
                long value = s.number();
                if (s.acceptWord("ll")) {
                    if (is32) {
                        throw s.error("lddw loads a 64-bit register");
                    }
                    lddw(dst, PSEUDO_NONE, value);
                    return;
                }
                s.reset(mark);
                emit(encode(cls | MOV | K, dst, 0, 0, s.imm32()));
                return;
            }
            String word = s.identifier();
            if (word == null) {
                throw s.error("expected an expression after '='");
            }
            int width = endianWidth(word);
            if (width > 0) {
                int opcode = word.startsWith("be") ? ALU | END | TO_BE
                        : word.startsWith("le") ? ALU | END | TO_LE : ALU64 | END;
                int operand = expectAnyRegister(s);
                if (operand != dst) {
                    throw s.error(word + " works in place: write r" + dst + " = " + word + " r" + dst);
                }
                emit(encode(opcode, dst, 0, 0, width));
                return;
            }
            if (is32 && (word.startsWith("map_") || word.equals("mva") || word.endsWith("_addr"))) {
                throw s.error("lddw loads a 64-bit register");
            }
            switch (word) {
                case "atomic_fetch_add", "atomic_fetch_or", "atomic_fetch_and", "atomic_fetch_xor" -> {
                    int op = atomicOp(word.substring("atomic_fetch_".length())) | FETCH;
                    s.expect("(");
                    s.expect("(");
                    s.expect("u");
                    int size = s.accept("64") ? DW : s.accept("32") ? W : -1;
                    if (size < 0) {
                        throw s.error("expected u32 or u64");
                    }
                    s.expect("*");
                    s.expect(")");
                    s.expect("(");
                    int base = s.expectRegister("r");
                    int offset = signedOffset(s);
                    s.expect(")");
                    s.expect(",");
                    int src = expectAnyRegister(s);
                    s.expect(")");
                    requireSame(s, dst, src, word);
                    emit(encode(STX | ATOMIC | size, base, src, offset, op));
                }
                case "xchg_64", "xchg32_32", "cmpxchg_64", "cmpxchg32_32" -> {
                    boolean cmp = word.startsWith("cmp");
                    int size = word.endsWith("_64") ? DW : W;
                    s.expect("(");
                    int base = s.expectRegister("r");
                    int offset = signedOffset(s);
                    s.expect(",");
                    if (cmp) {
                        int expected = expectAnyRegister(s);
                        if (expected != 0 || dst != 0) {
                            throw s.error("cmpxchg compares with and writes r0");
                        }
                        s.expect(",");
                    }
                    int src = expectAnyRegister(s);
                    s.expect(")");
                    if (!cmp) {
                        requireSame(s, dst, src, word);
                    }
                    emit(encode(STX | ATOMIC | size, base, src, offset, cmp ? ATOMIC_CMPXCHG : ATOMIC_XCHG));
                }
                case "map_fd" -> lddw(dst, PSEUDO_MAP_FD, s.imm32() & 0xffffffffL);
                case "map_by_fd" -> lddw(dst, PSEUDO_MAP_FD, parenthesised(s));
                case "map_by_idx" -> lddw(dst, PSEUDO_MAP_IDX, parenthesised(s));
                case "var_addr" -> lddw(dst, PSEUDO_VAR_ADDR, parenthesised(s));
                case "code_addr" -> lddw(dst, PSEUDO_FUNC, parenthesised(s));
                case "map_val" -> {
                    // PREVAIL: map_val(fd) + off; RFC 9669: map_val(map_by_fd(fd)) + off, map_val(map_by_idx(i)) + off
                    s.expect("(");
                    int pseudo = PSEUDO_MAP_VALUE;
                    long map;
                    if (s.acceptWord("map_by_fd")) {
                        map = parenthesised(s);
                    } else if (s.acceptWord("map_by_idx")) {
                        map = parenthesised(s);
                        pseudo = PSEUDO_MAP_IDX_VALUE;
                    } else {
                        map = s.imm32() & 0xffffffffL;
                    }
                    s.expect(")");
                    lddw(dst, pseudo, map | (pointerOffset(s) & 0xffffffffL) << 32);
                }
                case "mva" -> {
                    s.expect("(");
                    if (!s.acceptWord("map_by_idx")) {
                        throw s.error("expected mva(map_by_idx(N)) + offset");
                    }
                    long map = parenthesised(s);
                    s.expect(")");
                    lddw(dst, PSEUDO_MAP_IDX_VALUE, map | (pointerOffset(s) & 0xffffffffL) << 32);
                }
                default -> throw s.error("unknown expression '" + word + "'");
            }
        }

        private static void requireSame(LineScanner s, int dst, int src, String what) {
            if (dst != src) {
                throw s.error(what + " returns the old value in its source register r" + src);
            }
        }

        private static long parenthesised(LineScanner s) {
            s.expect("(");
            long v = s.imm32() & 0xffffffffL;
            s.expect(")");
            return v;
        }

        /** Optional "+ n" or "- n" after map_val(...) and mva(...). */
        private static int pointerOffset(LineScanner s) {
            if (s.accept("+")) {
                return s.imm32();
            }
            if (s.accept("-")) {
                int start = s.position();
                long magnitude = s.number();
                if (magnitude < 0 || magnitude > 0x80000000L) {
                    s.reset(start);
                    throw s.error("offset does not fit in 32 bits");
                }
                return (int) -magnitude;
            }
            return 0;
        }

        /** llvm-objdump's spelling of lddw with a pseudo source: {@code ld_pseudo r1, 0x1, 0x5}. */
        private void ldPseudo(LineScanner s) {
            int dst = s.expectRegister("r");
            s.expect(",");
            int start = s.position();
            long pseudo = s.number();
            if (pseudo < 0 || pseudo > 15) {
                s.reset(start);
                throw s.error("lddw source " + pseudo + " does not fit in 4 bits");
            }
            s.expect(",");
            lddw(dst, (int) pseudo, s.imm32() & 0xffffffffL);
        }

        private void lddw(int dst, int pseudo, long value) {
            emit(encode(LDDW, dst, pseudo, 0, (int) value));
            emit(encode(0, 0, 0, 0, (int) (value >>> 32)));
        }

        /** r0 = *(u8 *)skb[r1], r0 = *(u16 *)skb[0x5], r0 = *(u32 *)skb[r1 + 0x4]. */
        private void legacyPacketLoad(LineScanner s, int dst, int size) {
            if (dst != 0) {
                throw s.error("legacy packet loads write r0");
            }
            s.expect("[");
            int src = s.register("r");
            int imm;
            if (src >= 0) {
                imm = s.accept("+") ? s.imm32() : s.accept("-") ? -s.imm32() : 0;
                s.expect("]");
                emit(encode(LD | IND | size, 0, src, 0, imm));
            } else {
                imm = s.imm32();
                s.expect("]");
                emit(encode(LD | ABS | size, 0, 0, 0, imm));
            }
        }
    }
}

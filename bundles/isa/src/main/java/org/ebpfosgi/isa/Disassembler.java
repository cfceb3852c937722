package org.ebpfosgi.isa;

import static org.ebpfosgi.isa.Opcodes.*;

import java.util.List;

/**
 * Prints instructions as {@code llvm-objdump-19 -d} prints BPF (signed hex immediates and offsets, {@code w}
 * registers for 32-bit arithmetic and jumps), so that {@link Assembler} reads every line back to the same words.
 * Where llvm-objdump's text is ambiguous or absent this printer adds what is needed: {@code call local -0x1}
 * (pc-relative call, llvm prints {@code call -0x1}), {@code call kfunc 0x5}, {@code r1 = map_fd 0x1} and the other
 * lddw pseudo sources (llvm prints {@code r1 = 0x1 ll}), {@code skb[r1 + 0x4]} for an indirect packet load with an
 * immediate (llvm drops the immediate), and the 32-bit atomics with fetch in llvm's alu32 spelling (llvm-objdump
 * without {@code --mattr=+alu32} misreads them; the 32-bit atomics without fetch keep its default spelling).
 * {@link Assembler} also reads llvm's {@code ld_pseudo r1, 0x1, 0x5}.
 */
public final class Disassembler {
    private Disassembler() {
    }

    /** Decodes, validates and prints a whole program, one instruction per line as {@code slot: text}. */
    public static String disassemble(long[] words) {
        return format(Decoder.decode(words));
    }

    /** One line per instruction: {@code slot: text}. */
    public static String format(List<Instruction> program) {
        StringBuilder sb = new StringBuilder(program.size() * 24);
        for (Instruction insn : program) {
            sb.append(insn.slot()).append(": ").append(format(insn)).append('\n');
        }
        return sb.toString();
    }

    /** The text of one instruction, without slot or jump annotations. */
    public static String format(Instruction insn) {
        int cls = insn.instructionClass();
        return switch (cls) {
            case ALU, ALU64 -> alu(insn, cls == ALU64);
            case JMP, JMP32 -> jump(insn, cls == JMP32);
            case LD -> ld(insn);
            case LDX -> "r" + insn.dst() + " = *(" + (insn.mode() == MEMSX ? "s" : "u") + insn.accessBytes() * 8
                    + " *)" + address(insn.src(), insn.offset());
            case ST -> memory(insn) + " = " + hex(insn.imm());
            default -> stx(insn);
        };
    }

    static String hex(long value) {
        return value < 0 ? "-0x" + Long.toHexString(-value) : "0x" + Long.toHexString(value);
    }

    private static String signedHex(int value) {
        return value < 0 ? "-0x" + Integer.toHexString(-value) : "+0x" + Integer.toHexString(value);
    }

    private static String plusMinus(long value) {
        return value < 0 ? " - 0x" + Long.toHexString(-value) : " + 0x" + Long.toHexString(value);
    }

    private static String address(int base, int offset) {
        return "(r" + base + (offset < 0 ? " - 0x" + Integer.toHexString(-offset) : " + 0x"
                + Integer.toHexString(offset)) + ")";
    }

    private static String memory(Instruction insn) {
        return "*(u" + insn.accessBytes() * 8 + " *)" + address(insn.dst(), insn.offset());
    }

    private static String alu(Instruction insn, boolean is64) {
        String r = is64 ? "r" : "w";
        String dst = r + insn.dst();
        String operand = insn.usesSrcRegister() ? r + insn.src() : hex(insn.imm());
        int op = insn.operation();
        boolean signed = insn.offset() != 0;
        return switch (op) {
            case ADD -> dst + " += " + operand;
            case SUB -> dst + " -= " + operand;
            case MUL -> dst + " *= " + operand;
            case DIV -> dst + (signed ? " s/= " : " /= ") + operand;
            case OR -> dst + " |= " + operand;
            case AND -> dst + " &= " + operand;
            case LSH -> dst + " <<= " + operand;
            case RSH -> dst + " >>= " + operand;
            case NEG -> dst + " = -" + dst;
            case MOD -> dst + (signed ? " s%= " : " %= ") + operand;
            case XOR -> dst + " ^= " + operand;
            case MOV -> signed ? dst + " = (s" + insn.offset() + ")" + operand : dst + " = " + operand;
            case ARSH -> dst + " s>>= " + operand;
            case END -> {
                String name = is64 ? "bswap" : insn.usesSrcRegister() ? "be" : "le";
                yield "r" + insn.dst() + " = " + name + insn.imm() + " r" + insn.dst();
            }
            default -> throw new IllegalStateException("not validated: " + insn.opcode());
        };
    }

    private static String jump(Instruction insn, boolean is32) {
        int op = insn.operation();
        switch (op) {
            case JA:
                return is32 ? "gotol " + signedHex(insn.imm()) : "goto " + signedHex(insn.offset());
            case EXIT:
                return "exit";
            case CALL:
                if (insn.usesSrcRegister()) {
                    return "callx r" + insn.dst();
                }
                return switch (insn.src()) {
                    case CALL_LOCAL -> "call local " + hex(insn.imm());
                    case CALL_KFUNC -> "call kfunc " + hex(insn.imm());
                    default -> "call " + hex(insn.imm());
                };
            default:
                break;
        }
        String operator = switch (op) {
            case JEQ -> "==";
            case JGT -> ">";
            case JGE -> ">=";
            case JSET -> "&";
            case JNE -> "!=";
            case JSGT -> "s>";
            case JSGE -> "s>=";
            case JLT -> "<";
            case JLE -> "<=";
            case JSLT -> "s<";
            case JSLE -> "s<=";
            default -> throw new IllegalStateException("not validated: " + insn.opcode());
        };
        String r = is32 ? "w" : "r";
        String operand = insn.usesSrcRegister() ? r + insn.src() : hex(insn.imm());
        return "if " + r + insn.dst() + " " + operator + " " + operand + " goto " + signedHex(insn.offset());
    }

    private static String ld(Instruction insn) {
        String dst = "r" + insn.dst();
        if (insn.isLddw()) {
            long value = insn.imm64();
            int high = (int) (value >>> 32);
            return switch (insn.src()) {
                case PSEUDO_MAP_FD -> dst + " = map_fd " + hex(insn.imm());
                case PSEUDO_MAP_VALUE -> dst + " = map_val(" + hex(insn.imm()) + ")" + plusMinus(high);
                case PSEUDO_VAR_ADDR -> dst + " = var_addr(" + hex(insn.imm()) + ")";
                case PSEUDO_FUNC -> dst + " = code_addr(" + hex(insn.imm()) + ")";
                case PSEUDO_MAP_IDX -> dst + " = map_by_idx(" + hex(insn.imm()) + ")";
                case PSEUDO_MAP_IDX_VALUE -> dst + " = mva(map_by_idx(" + hex(insn.imm()) + "))" + plusMinus(high);
                default -> dst + " = " + hex(value) + " ll";
            };
        }
        String size = "*(u" + insn.accessBytes() * 8 + " *)skb[";
        if (insn.mode() == ABS) {
            return "r0 = " + size + hex(insn.imm()) + "]";
        }
        String index = "r" + insn.src();
        if (insn.imm() != 0) {
            index += insn.imm() < 0 ? " - 0x" + Integer.toHexString(-insn.imm()) : " + 0x"
                    + Integer.toHexString(insn.imm());
        }
        return "r0 = " + size + index + "]";
    }

    private static String stx(Instruction insn) {
        if (insn.mode() == MEM) {
            return memory(insn) + " = r" + insn.src();
        }
        boolean is64 = insn.accessBytes() == 8;
        String r = is64 ? "r" : "w";
        String src = r + insn.src();
        String width = is64 ? "u64" : "u32";
        String address = address(insn.dst(), insn.offset());
        String target = "r" + insn.dst() + address.substring(address.indexOf(' '), address.length() - 1);
        int op = insn.imm();
        return switch (op) {
            case ATOMIC_ADD -> "lock " + memory(insn) + " += r" + insn.src();
            case ATOMIC_OR -> "lock " + memory(insn) + " |= r" + insn.src();
            case ATOMIC_AND -> "lock " + memory(insn) + " &= r" + insn.src();
            case ATOMIC_XOR -> "lock " + memory(insn) + " ^= r" + insn.src();
            case ATOMIC_ADD | FETCH -> src + " = atomic_fetch_add((" + width + " *)" + address + ", " + src + ")";
            case ATOMIC_OR | FETCH -> src + " = atomic_fetch_or((" + width + " *)" + address + ", " + src + ")";
            case ATOMIC_AND | FETCH -> src + " = atomic_fetch_and((" + width + " *)" + address + ", " + src + ")";
            case ATOMIC_XOR | FETCH -> src + " = atomic_fetch_xor((" + width + " *)" + address + ", " + src + ")";
            case ATOMIC_XCHG -> src + " = " + (is64 ? "xchg_64(" : "xchg32_32(") + target + ", " + src + ")";
            case ATOMIC_CMPXCHG -> r + "0 = " + (is64 ? "cmpxchg_64(" : "cmpxchg32_32(") + target + ", " + r + "0, "
                    + src + ")";
            default -> throw new IllegalStateException("not validated: atomic " + op);
        };
    }
}

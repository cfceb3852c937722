package org.ebpfosgi.jit.internal;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapOfMaps;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.interpreter.machine.Arithmetic;
import org.ebpfosgi.interpreter.machine.Ops;
import org.ebpfosgi.interpreter.machine.ProgramCode;
import org.ebpfosgi.interpreter.machine.RunState;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Compiles checked program code ({@link ProgramCode}) to a hidden JVM class. eBPF registers are
 * {@code long} locals, each function a static method {@code f<pc>(RunState, r1..r5, r10)}; r6..r9
 * are the method's own locals, so a call preserves them for free. Loads and stores go through the
 * run state's checked accessors (stack, last region, then {@code Memory}), which HotSpot inlines;
 * helpers are constants of the class (class data through {@code ldc} of a dynamic constant), so
 * each call site is a direct, monomorphic call. A failure names its instruction through one
 * exception-table entry per instruction that can fail, which costs nothing while nothing fails.
 */
public final class JitCompiler {
    /** HotSpot does not compile methods longer than this many bytes of bytecode ({@code -XX:HugeMethodLimit}). */
    public static final int HUGE_METHOD_LIMIT = 8000;
    /** Functions (methods) one program may have; more go to the interpreter. */
    static final int MAX_FUNCTIONS = 4096;

    private static final String CLASS_NAME = Type.getInternalName(JitCompiler.class).replace("JitCompiler", "Compiled");
    private static final String RUN_STATE = Type.getInternalName(RunState.class);
    private static final String SUPPORT = Type.getInternalName(JitSupport.class);
    private static final String HELPER = Type.getInternalName(Helper.class);
    private static final String ARITHMETIC = Type.getInternalName(Arithmetic.class);
    private static final String REGION = Type.getInternalName(Region.class);
    private static final String STATE_DESC = "L" + RUN_STATE + ";";
    /** A function: (state, r1..r5, r10) -> r0. */
    private static final String FUNCTION = "(" + STATE_DESC + "JJJJJJ)J";
    /** The callx and entry dispatcher: (state, caller pc, target pc, r1..r5, r10) -> r0. */
    private static final String DISPATCH = "(" + STATE_DESC + "IIJJJJJJ)J";
    private static final Handle CLASS_DATA_AT = new Handle(H_INVOKESTATIC, "java/lang/invoke/MethodHandles", "classDataAt",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)Ljava/lang/Object;", false);
    private static final long M32 = 0xFFFF_FFFFL;

    /** Local variable slots of a function: the run state, then r0..r10 (two slots each), then a scratch long. */
    private static final int STATE = 0;
    private static final int[] SLOT = {13, 1, 3, 5, 7, 9, 15, 17, 19, 21, 11};
    private static final int SCRATCH = 23;
    /** The run state's stack array and r10's index into it, loaded once per call of a function. */
    private static final int STACK = 25;
    private static final int FRAME = 26;
    /**
     * The run state's cached region (base address, bytes, offset, readable and writable length),
     * mirrored in locals so that a loop's loads and stores keep it in registers; reloaded after
     * every call that may change it.
     */
    private static final int CACHED_BASE = 27;
    private static final int CACHED_BYTES = 29;
    private static final int CACHED_OFFSET = 30;
    private static final int CACHED_READ = 31;
    private static final int CACHED_WRITE = 32;
    private static final int ADDRESS = 33;
    private static final int OFFSET = 35;
    /** The region an inlined map lookup found. */
    private static final int FOUND = 37;

    private final ProgramCode code;
    private final long[] raw;
    private final boolean budgeted;
    private final List<Object> classData = new ArrayList<>();
    /** Instructions that may be reached other than by falling through: where local facts end. */
    private final boolean[] joins;
    private int totalBytes;
    private int inlinedLookups;

    private JitCompiler(ProgramCode code, boolean budgeted) {
        this.code = code;
        this.raw = code.raw;
        this.budgeted = budgeted;
        this.classData.addAll(Arrays.asList(code.helpers));
        this.classData.addAll(Arrays.asList(code.maps));
        this.joins = ProgramCode.jumpTargets(code.raw, code.instructionStart);
    }

    /**
     * Compiles {@code code}; {@code budget} as for the interpreter ({@link Long#MAX_VALUE}: verified,
     * no budget checks are generated). Throws {@link TooLargeException} if a function does not fit a
     * method HotSpot would compile.
     */
    public static JitProgram compile(ProgramCode code, long budget) {
        JitCompiler compiler = new JitCompiler(code, budget != Long.MAX_VALUE);
        byte[] bytes = compiler.generate();
        CompiledCode compiled = define(bytes, compiler.classData);
        return new JitProgram(code, budget, compiled, compiler.totalBytes, compiler.inlinedLookups);
    }

    private static CompiledCode define(byte[] bytes, List<Object> classData) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup()
                    .defineHiddenClassWithClassData(bytes, Collections.unmodifiableList(classData), true);
            return (CompiledCode) lookup.findConstructor(lookup.lookupClass(), MethodType.methodType(void.class)).invoke();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot define the compiled class: " + e, e);
        }
    }

    private byte[] generate() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                // Only the run state and throwables ever meet in a frame; no class loading needed.
                return a.equals(b) ? a : "java/lang/Object";
            }
        };
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, CLASS_NAME, null, "java/lang/Object",
                new String[] {Type.getInternalName(CompiledCode.class)});
        cw.visitSource(code.image.name(), null);
        TreeSet<Integer> entries = Functions.entries(code);
        if (entries.size() > MAX_FUNCTIONS) {
            throw new TooLargeException("program '" + code.image.name() + "' has " + entries.size()
                    + " function entries, more than the JIT compiles (" + MAX_FUNCTIONS + ")");
        }
        constructor(cw);
        callMethod(cw);
        dispatchMethod(cw, entries);
        long compiledInstructions = 0;
        for (int entry : entries) {
            BitSet body = Functions.body(code, entry);
            // Code shared by functions is compiled into each: bound the total, so that a hostile
            // program cannot make loading take minutes.
            compiledInstructions += body.cardinality();
            if (compiledInstructions > 4L * raw.length + 10_000) {
                throw new TooLargeException("program '" + code.image.name() + "': its functions share too much code to compile each copy");
            }
            // Region checks inline in the code where the function stays compilable, calls otherwise.
            boolean inlineRegion = new FunctionWriter(scratchClass(), entry, body, true).write() <= HUGE_METHOD_LIMIT;
            FunctionWriter writer = new FunctionWriter(cw, entry, body, inlineRegion);
            int size = writer.write();
            inlinedLookups += writer.inlinedLookups;
            if (size > HUGE_METHOD_LIMIT) {
                throw new TooLargeException("function at instruction " + entry + " of program '" + code.image.name()
                        + "' compiles to " + size + " bytes of bytecode, more than HotSpot compiles (" + HUGE_METHOD_LIMIT + ")");
            }
            totalBytes += size;
        }
        cw.visitEnd();
        try {
            return cw.toByteArray();
        } catch (MethodTooLargeException | ClassTooLargeException e) {
            throw new TooLargeException("program '" + code.image.name() + "': " + e.getMessage());
        }
    }

    /** A class to write a method into only to measure it. */
    private static ClassWriter scratchClass() {
        ClassWriter scratch = new ClassWriter(0);
        scratch.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, CLASS_NAME, null, "java/lang/Object", null);
        return scratch;
    }

    private static void constructor(ClassWriter cw) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@link CompiledCode#call}: the dispatcher with no calling instruction. */
    private static void callMethod(ClassWriter cw) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_FINAL, "call", "(" + STATE_DESC + "IJJJJJJ)J", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 1);
        mv.visitInsn(ICONST_M1);
        mv.visitVarInsn(ILOAD, 2);
        for (int slot = 3; slot <= 13; slot += 2) {
            mv.visitVarInsn(LLOAD, slot);
        }
        mv.visitMethodInsn(INVOKESTATIC, CLASS_NAME, "dispatch", DISPATCH, false);
        mv.visitInsn(LRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@code dispatch(state, callerPc, target, r1..r5, r10)}: a switch over the function entries. */
    private static void dispatchMethod(ClassWriter cw, TreeSet<Integer> entries) {
        MethodVisitor mv = cw.visitMethod(ACC_STATIC | ACC_PRIVATE, "dispatch", DISPATCH, null, null);
        mv.visitCode();
        int[] keys = entries.stream().mapToInt(Integer::intValue).toArray();
        Label[] labels = new Label[keys.length];
        Arrays.setAll(labels, i -> new Label());
        Label unknown = new Label();
        mv.visitVarInsn(ILOAD, 2);
        mv.visitLookupSwitchInsn(unknown, keys, labels);
        for (int i = 0; i < keys.length; i++) {
            mv.visitLabel(labels[i]);
            mv.visitVarInsn(ALOAD, 0);
            for (int slot = 3; slot <= 13; slot += 2) {
                mv.visitVarInsn(LLOAD, slot);
            }
            mv.visitMethodInsn(INVOKESTATIC, CLASS_NAME, "f" + keys[i], FUNCTION, false);
            mv.visitInsn(LRETURN);
        }
        mv.visitLabel(unknown);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitVarInsn(ILOAD, 2);
        mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "notAFunction", "(II)Lorg/ebpfosgi/api/engine/ExecutionException;", false);
        mv.visitInsn(ATHROW);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** One function: its instructions in program order, a label per instruction. */
    private final class FunctionWriter {
        private final int entry;
        private final BitSet body;
        private final MethodVisitor mv;
        private final Label[] labels = new Label[raw.length];
        private final Label[] ends = new Label[raw.length];
        private final Label[] handlers = new Label[raw.length];
        private final boolean inlineRegion;
        private int inlinedLookups;

        FunctionWriter(ClassWriter cw, int entry, BitSet body, boolean inlineRegion) {
            this.entry = entry;
            this.body = body;
            this.inlineRegion = inlineRegion;
            this.mv = cw.visitMethod(ACC_STATIC | ACC_PRIVATE, "f" + entry, FUNCTION, null, null);
        }

        /** Writes the method; answers its bytecode length. */
        int write() {
            mv.visitCode();
            for (int pc = body.nextSetBit(0); pc >= 0; pc = body.nextSetBit(pc + 1)) {
                labels[pc] = new Label();
            }
            // Exception-table entries must be declared before their labels are placed.
            for (int pc = body.nextSetBit(0); pc >= 0; pc = body.nextSetBit(pc + 1)) {
                if (canFail(raw[pc])) {
                    ends[pc] = new Label();
                    handlers[pc] = new Label();
                    mv.visitTryCatchBlock(labels[pc], ends[pc], handlers[pc], "java/lang/Throwable");
                }
            }
            Label start = new Label();
            mv.visitLabel(start);
            mv.visitLineNumber(entry, start);
            for (int r : new int[] {0, 6, 7, 8, 9}) {
                mv.visitInsn(LCONST_0);
                mv.visitVarInsn(LSTORE, SLOT[r]);
            }
            mv.visitVarInsn(ALOAD, STATE);
            mv.visitFieldInsn(GETFIELD, RUN_STATE, "stack", "[B");
            mv.visitVarInsn(ASTORE, STACK);
            load(10);
            mv.visitVarInsn(ALOAD, STATE);
            mv.visitFieldInsn(GETFIELD, RUN_STATE, "stackBase", "J");
            mv.visitInsn(LSUB);
            mv.visitInsn(L2I);
            mv.visitVarInsn(ISTORE, FRAME);
            reloadRegion();
            for (int pc = body.nextSetBit(0); pc >= 0; pc = body.nextSetBit(pc + 1)) {
                mv.visitLabel(labels[pc]);
                mv.visitLineNumber(pc, labels[pc]); // stack traces show the eBPF instruction index
                instruction(pc);
                if (ends[pc] != null) {
                    mv.visitLabel(ends[pc]);
                }
                int next = pc + ((raw[pc] & 0xFF) == Ops.LDDW ? 2 : 1);
                if (fallsThrough(raw[pc]) && (next >= raw.length || !body.get(next))) {
                    pushInt(pc);
                    mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "pastTheEnd", "(I)Lorg/ebpfosgi/api/engine/ExecutionException;", false);
                    mv.visitInsn(ATHROW);
                }
            }
            for (int pc = body.nextSetBit(0); pc >= 0; pc = body.nextSetBit(pc + 1)) {
                if (handlers[pc] != null) {
                    mv.visitLabel(handlers[pc]);
                    pushInt(pc);
                    mv.visitVarInsn(ALOAD, STATE);
                    long w = raw[pc];
                    if ((w & 0xFF) == Ops.CALL && ((w >>> 12 & 0xF) == 0 || (w >>> 12 & 0xF) == 2)) {
                        pushInt(helperIndex(pc));
                        mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "helperFault",
                                "(Ljava/lang/Throwable;I" + STATE_DESC + "I)Ljava/lang/Throwable;", false);
                    } else {
                        mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "fault",
                                "(Ljava/lang/Throwable;I" + STATE_DESC + ")Ljava/lang/Throwable;", false);
                    }
                    mv.visitInsn(ATHROW);
                }
            }
            Label end = new Label();
            mv.visitLabel(end);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            return end.getOffset();
        }

        private void instruction(int pc) {
            long w = raw[pc];
            int op = (int) w & 0xFF;
            int dst = (int) w >>> 8 & 0xF;
            int src = (int) w >>> 12 & 0xF;
            int off = (short) (w >>> 16);
            int imm = (int) (w >> 32);
            switch (op & 0x07) {
                case 0x07:
                    alu64(op, dst, src, off, imm);
                    break;
                case 0x04:
                    alu32(op, dst, src, off, imm);
                    break;
                case 0x05:
                case 0x06:
                    jump(pc, op, dst, src, off, imm, (op & 0x07) == 0x06);
                    break;
                case 0x00:
                    ld(pc, op, dst, src, imm);
                    break;
                case 0x01:
                    ldx(op, dst, src, off);
                    break;
                case 0x02:
                    store(op, dst, off, () -> pushLong(imm));
                    break;
                default:
                    if (op == Ops.ATOMIC_W || op == Ops.ATOMIC_DW) {
                        atomic(op == Ops.ATOMIC_W ? 4 : 8, dst, src, off, imm);
                    } else {
                        store(op, dst, off, () -> load(src));
                    }
                    break;
            }
        }

        // ---- arithmetic ----

        private void alu64(int op, int dst, int src, int off, int imm) {
            boolean x = (op & 0x08) != 0;
            Runnable operand = x ? () -> load(src) : () -> pushLong(imm);
            switch (op & 0xF0) {
                case 0x00: binary(dst, operand, LADD); break;
                case 0x10: binary(dst, operand, LSUB); break;
                case 0x20: binary(dst, operand, LMUL); break;
                case 0x40: binary(dst, operand, LOR); break;
                case 0x50: binary(dst, operand, LAND); break;
                case 0xa0: binary(dst, operand, LXOR); break;
                case 0x60: shift(dst, operand, LSHL); break;
                case 0x70: shift(dst, operand, LUSHR); break;
                case 0xc0: shift(dst, operand, LSHR); break;
                case 0x80:
                    load(dst);
                    mv.visitInsn(LNEG);
                    store(dst);
                    break;
                case 0xb0:
                    operand.run();
                    if (off != 0) { // movsx
                        mv.visitInsn(L2I);
                        if (off == 8) {
                            mv.visitInsn(I2B);
                        } else if (off == 16) {
                            mv.visitInsn(I2S);
                        }
                        mv.visitInsn(I2L);
                    }
                    store(dst);
                    break;
                case 0x30: arithmetic(dst, operand, off == 0 ? "udiv64" : "sdiv64"); break;
                case 0x90: arithmetic(dst, operand, off == 0 ? "umod64" : "smod64"); break;
                case 0xd0: byteSwap(dst, "bswap", imm); break;
                default: throw new IllegalStateException("unchecked opcode 0x" + Integer.toHexString(op));
            }
        }

        private void alu32(int op, int dst, int src, int off, int imm) {
            boolean x = (op & 0x08) != 0;
            Runnable operand32 = x ? () -> {
                load(src);
                mv.visitInsn(L2I);
            } : () -> pushInt(imm);
            switch (op & 0xF0) {
                case 0x00: binary32(dst, operand32, IADD); break;
                case 0x10: binary32(dst, operand32, ISUB); break;
                case 0x20: binary32(dst, operand32, IMUL); break;
                case 0x40: binary32(dst, operand32, IOR); break;
                case 0x50: binary32(dst, operand32, IAND); break;
                case 0xa0: binary32(dst, operand32, IXOR); break;
                case 0x60: binary32(dst, operand32, ISHL); break;
                case 0x70: binary32(dst, operand32, IUSHR); break;
                case 0xc0: binary32(dst, operand32, ISHR); break;
                case 0x80:
                    load(dst);
                    mv.visitInsn(L2I);
                    mv.visitInsn(INEG);
                    zeroExtendAndStore(dst);
                    break;
                case 0xb0:
                    if (!x) {
                        pushLong(imm & M32);
                        store(dst);
                    } else if (off == 0) {
                        load(src);
                        pushLong(M32);
                        mv.visitInsn(LAND);
                        store(dst);
                    } else { // movsx, 8 or 16 bits
                        operand32.run();
                        mv.visitInsn(off == 8 ? I2B : I2S);
                        zeroExtendAndStore(dst);
                    }
                    break;
                case 0x30: arithmetic(dst, x ? () -> load(src) : () -> pushLong(imm), off == 0 ? "udiv32" : "sdiv32"); break;
                case 0x90: arithmetic(dst, x ? () -> load(src) : () -> pushLong(imm), off == 0 ? "umod32" : "smod32"); break;
                case 0xd0: byteSwap(dst, op == Ops.END_LE ? "toLittleEndian" : "toBigEndian", imm); break;
                default: throw new IllegalStateException("unchecked opcode 0x" + Integer.toHexString(op));
            }
        }

        private void binary(int dst, Runnable operand, int opcode) {
            load(dst);
            operand.run();
            mv.visitInsn(opcode);
            store(dst);
        }

        private void shift(int dst, Runnable operand, int opcode) {
            load(dst);
            operand.run();
            mv.visitInsn(L2I); // the JVM masks the count to 6 bits, as the instruction set does
            mv.visitInsn(opcode);
            store(dst);
        }

        private void binary32(int dst, Runnable operand32, int opcode) {
            load(dst);
            mv.visitInsn(L2I);
            operand32.run();
            mv.visitInsn(opcode);
            zeroExtendAndStore(dst);
        }

        private void zeroExtendAndStore(int dst) {
            mv.visitInsn(I2L);
            pushLong(M32);
            mv.visitInsn(LAND);
            store(dst);
        }

        private void arithmetic(int dst, Runnable operand, String method) {
            load(dst);
            operand.run();
            mv.visitMethodInsn(INVOKESTATIC, ARITHMETIC, method, "(JJ)J", false);
            store(dst);
        }

        private void byteSwap(int dst, String method, int width) {
            load(dst);
            pushInt(width);
            mv.visitMethodInsn(INVOKESTATIC, ARITHMETIC, method, "(JI)J", false);
            store(dst);
        }

        // ---- jumps, calls, exit ----

        private void jump(int pc, int op, int dst, int src, int off, int imm, boolean is32) {
            int operation = op & 0xF0;
            if (operation == 0x00) { // ja, gotol
                int target = pc + (is32 ? imm : off) + 1;
                if (budgeted && target <= pc) {
                    charge(pc);
                }
                mv.visitJumpInsn(GOTO, labels[target]);
                return;
            }
            if (op == Ops.EXIT) {
                load(0);
                mv.visitInsn(LRETURN);
                return;
            }
            if (op == Ops.CALL) {
                if (src == 1) {
                    localCall(pc, pc + imm + 1);
                } else {
                    helperCall(pc);
                }
                return;
            }
            if (op == Ops.CALLX) {
                callx(pc, dst);
                return;
            }
            boolean x = (op & 0x08) != 0;
            int condition;
            if (is32) {
                load(dst);
                mv.visitInsn(L2I);
                if (x) {
                    load(src);
                    mv.visitInsn(L2I);
                } else {
                    pushInt(imm);
                }
                switch (operation) {
                    case 0x10: condition = IF_ICMPEQ; break;
                    case 0x50: condition = IF_ICMPNE; break;
                    case 0x60: condition = IF_ICMPGT; break;
                    case 0x70: condition = IF_ICMPGE; break;
                    case 0xc0: condition = IF_ICMPLT; break;
                    case 0xd0: condition = IF_ICMPLE; break;
                    case 0x40: mv.visitInsn(IAND); condition = IFNE; break;
                    default:
                        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "compareUnsigned", "(II)I", false);
                        condition = unsignedCondition(operation);
                        break;
                }
            } else {
                load(dst);
                if (x) {
                    load(src);
                } else {
                    pushLong(imm);
                }
                switch (operation) {
                    case 0x10: mv.visitInsn(LCMP); condition = IFEQ; break;
                    case 0x50: mv.visitInsn(LCMP); condition = IFNE; break;
                    case 0x60: mv.visitInsn(LCMP); condition = IFGT; break;
                    case 0x70: mv.visitInsn(LCMP); condition = IFGE; break;
                    case 0xc0: mv.visitInsn(LCMP); condition = IFLT; break;
                    case 0xd0: mv.visitInsn(LCMP); condition = IFLE; break;
                    case 0x40:
                        mv.visitInsn(LAND);
                        mv.visitInsn(LCONST_0);
                        mv.visitInsn(LCMP);
                        condition = IFNE;
                        break;
                    default:
                        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "compareUnsigned", "(JJ)I", false);
                        condition = unsignedCondition(operation);
                        break;
                }
            }
            int target = pc + off + 1;
            if (budgeted && target <= pc) {
                // Only a taken backward jump is charged: branch around the charge when not taken.
                Label notTaken = new Label();
                mv.visitJumpInsn(negate(condition), notTaken);
                charge(pc);
                mv.visitJumpInsn(GOTO, labels[target]);
                mv.visitLabel(notTaken);
            } else {
                mv.visitJumpInsn(condition, labels[target]);
            }
        }

        private int unsignedCondition(int operation) {
            switch (operation) {
                case 0x20: return IFGT;
                case 0x30: return IFGE;
                case 0xa0: return IFLT;
                case 0xb0: return IFLE;
                default: throw new IllegalStateException("unchecked jump operation 0x" + Integer.toHexString(operation));
            }
        }

        private void charge(int pc) {
            mv.visitVarInsn(ALOAD, STATE);
            pushInt(pc);
            mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "charge", "(" + STATE_DESC + "I)V", false);
        }

        private void enterCall(int pc) {
            if (budgeted) {
                charge(pc);
            }
            mv.visitVarInsn(ALOAD, STATE);
            pushInt(pc);
            mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "enterCall", "(" + STATE_DESC + "I)V", false);
        }

        private void leaveCall() {
            mv.visitVarInsn(ALOAD, STATE);
            mv.visitInsn(DUP);
            mv.visitFieldInsn(GETFIELD, RUN_STATE, "depth", "I");
            mv.visitInsn(ICONST_1);
            mv.visitInsn(ISUB);
            mv.visitFieldInsn(PUTFIELD, RUN_STATE, "depth", "I");
        }

        /** Pushes r1..r5 and the callee's frame pointer, one frame below this one. */
        private void callArguments() {
            for (int r = 1; r <= 5; r++) {
                load(r);
            }
            load(10);
            pushLong(RunState.FRAME_SIZE);
            mv.visitInsn(LSUB);
        }

        private void localCall(int pc, int target) {
            enterCall(pc);
            mv.visitVarInsn(ALOAD, STATE);
            callArguments();
            mv.visitMethodInsn(INVOKESTATIC, CLASS_NAME, "f" + target, FUNCTION, false);
            store(0);
            leaveCall();
            reloadRegion();
        }

        private void helperCall(int pc) {
            int index = helperIndex(pc);
            if (inlineMapLookup(pc, index)) {
                return;
            }
            if (code.helpers[index] == null) {
                // Missing: the run state names it when the call is reached, as in the interpreter.
                mv.visitVarInsn(ALOAD, STATE);
                pushInt(pc);
                pushInt(index);
                for (int r = 1; r <= 5; r++) {
                    load(r);
                }
                mv.visitMethodInsn(INVOKEVIRTUAL, RUN_STATE, "callHelper", "(IIJJJJJ)J", false);
                store(0);
                reloadRegion();
                return;
            }
            // classDataAt requires the name "_".
            mv.visitLdcInsn(new ConstantDynamic("_", "L" + HELPER + ";", CLASS_DATA_AT, index));
            mv.visitVarInsn(ALOAD, STATE);
            for (int r = 1; r <= 5; r++) {
                load(r);
            }
            mv.visitMethodInsn(INVOKEINTERFACE, HELPER, "call",
                    "(L" + Type.getInternalName(HelperContext.class) + ";JJJJJ)J", true);
            store(0);
            if (inlineRegion) {
                // A returned pointer (a map value) is what the program touches next: cache it in the
                // locals. Anything else leaves them as they are: no region is ever unmapped during a run.
                Label keep = new Label();
                mv.visitVarInsn(ALOAD, STATE);
                mv.visitFieldInsn(GETFIELD, RUN_STATE, "memory", "L" + Type.getInternalName(Memory.class) + ";");
                load(0);
                mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "returnedRegion", "(L" + Type.getInternalName(Memory.class) + ";J)L" + REGION + ";", false);
                mv.visitInsn(DUP);
                mv.visitVarInsn(ASTORE, FOUND);
                mv.visitJumpInsn(IFNULL, keep);
                cacheFound();
                mv.visitLabel(keep);
            }
            if (entry == 0) {
                // bpf_tail_call succeeded (only possible in the program's own frame): the next program takes over.
                Label noTailCall = new Label();
                mv.visitVarInsn(ALOAD, STATE);
                mv.visitFieldInsn(GETFIELD, RUN_STATE, "tailCallTarget", "Lorg/ebpfosgi/api/engine/ExecutableProgram;");
                mv.visitJumpInsn(IFNULL, noTailCall);
                mv.visitVarInsn(ALOAD, STATE);
                load(1);
                mv.visitMethodInsn(INVOKEVIRTUAL, RUN_STATE, "runTailCall", "(J)J", false);
                mv.visitInsn(LRETURN);
                mv.visitLabel(noTailCall);
            }
        }

        /**
         * {@code bpf_map_lookup_elem} on a map the same basic block loaded into r1 with a key it
         * pointed r2 at in the stack ({@code r2 = r10; r2 += off}): the lookup the helper does, with
         * the map a constant and the key read straight from the stack array, as Linux inlines map
         * lookups it can resolve when it verifies a program. Maps of maps (whose lookups answer
         * handles) and key-less maps keep the helper call.
         */
        private boolean inlineMapLookup(int pc, int index) {
            Helper helper = code.helpers[index];
            long w = raw[pc];
            if (helper == null || (w >>> 12 & 0xF) != 0 || (int) (w >> 32) != 1 || !"bpf_map_lookup_elem".equals(helper.name())) {
                return false;
            }
            long facts = lookupFacts(pc);
            if (facts == NO_FACTS) {
                return false;
            }
            int map = (int) (facts >>> 32);
            int keyOffset = (int) facts;
            EbpfMap target = code.maps[map];
            int keySize = target.definition().keySize();
            if (target instanceof MapOfMaps || keySize <= 0) {
                return false;
            }
            mv.visitLdcInsn(new ConstantDynamic("_", "L" + Type.getInternalName(EbpfMap.class) + ";", CLASS_DATA_AT,
                    code.helpers.length + map));
            pushInt(keySize);
            stackIndex(keyOffset);
            mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "lookupStackKey",
                    "(L" + Type.getInternalName(EbpfMap.class) + ";I[BI)L" + REGION + ";", false);
            Label miss = new Label();
            Label done = new Label();
            mv.visitInsn(DUP);
            mv.visitVarInsn(ASTORE, FOUND);
            mv.visitJumpInsn(IFNULL, miss);
            // r0 = the value's address in this run
            mv.visitVarInsn(ALOAD, STATE);
            mv.visitFieldInsn(GETFIELD, RUN_STATE, "memory", "L" + Type.getInternalName(Memory.class) + ";");
            mv.visitVarInsn(ALOAD, FOUND);
            mv.visitMethodInsn(INVOKEVIRTUAL, Type.getInternalName(Memory.class), "map", "(L" + REGION + ";)J", false);
            store(0);
            if (inlineRegion) {
                cacheFound(); // the program reads the value next
            }
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(miss);
            mv.visitInsn(LCONST_0);
            store(0);
            mv.visitLabel(done);
            inlinedLookups++;
            return true;
        }

        /**
         * Makes the region in {@code FOUND}, at r0's tag, the cached region, in locals only: a store into
         * the long-lived run state would cost a G1 write barrier with a memory fence.
         */
        private void cacheFound() {
            load(0);
            pushLong(0xFFFF_FFFF_0000_0000L);
            mv.visitInsn(LAND);
            mv.visitVarInsn(LSTORE, CACHED_BASE);
            mv.visitVarInsn(ALOAD, FOUND);
            mv.visitMethodInsn(INVOKEVIRTUAL, REGION, "bytes", "()[B", false);
            mv.visitVarInsn(ASTORE, CACHED_BYTES);
            mv.visitVarInsn(ALOAD, FOUND);
            mv.visitMethodInsn(INVOKEVIRTUAL, REGION, "base", "()I", false);
            mv.visitVarInsn(ISTORE, CACHED_OFFSET);
            mv.visitVarInsn(ALOAD, FOUND);
            mv.visitMethodInsn(INVOKEVIRTUAL, REGION, "length", "()I", false);
            mv.visitVarInsn(ISTORE, CACHED_READ);
            mv.visitVarInsn(ALOAD, FOUND);
            mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "writableLength", "(L" + REGION + ";)I", false);
            mv.visitVarInsn(ISTORE, CACHED_WRITE);
        }

        /** callx: a code address is a call of that function; any other value a helper id, as in the interpreter. */
        private void callx(int pc, int register) {
            Label helperById = new Label();
            Label done = new Label();
            load(register);
            mv.visitVarInsn(LSTORE, SCRATCH);
            mv.visitVarInsn(LLOAD, SCRATCH);
            pushInt(32);
            mv.visitInsn(LUSHR);
            pushLong(ProgramCode.CODE_ADDRESS_TAG);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFNE, helperById);
            enterCall(pc);
            mv.visitVarInsn(ALOAD, STATE);
            pushInt(pc);
            mv.visitVarInsn(LLOAD, SCRATCH);
            mv.visitInsn(L2I);
            callArguments();
            mv.visitMethodInsn(INVOKESTATIC, CLASS_NAME, "dispatch", DISPATCH, false);
            store(0);
            leaveCall();
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(helperById);
            mv.visitVarInsn(ALOAD, STATE);
            pushInt(pc);
            mv.visitVarInsn(LLOAD, SCRATCH);
            for (int r = 1; r <= 5; r++) {
                load(r);
            }
            mv.visitMethodInsn(INVOKEVIRTUAL, RUN_STATE, "callHelperById", "(IJJJJJJ)J", false);
            store(0);
            mv.visitLabel(done);
            reloadRegion();
        }

        // ---- loads and stores ----

        private void ld(int pc, int op, int dst, int src, int imm) {
            if (op == Ops.LDDW) {
                switch (src) {
                    case 1: case 5: // the run's handle of a map
                        mv.visitVarInsn(ALOAD, STATE);
                        mv.visitFieldInsn(GETFIELD, RUN_STATE, "mapHandles", "[J");
                        pushInt(imm);
                        mv.visitInsn(LALOAD);
                        break;
                    case 2: case 6: // a pointer into a map's value (global data)
                        mv.visitVarInsn(ALOAD, STATE);
                        mv.visitFieldInsn(GETFIELD, RUN_STATE, "mapValues", "[J");
                        pushInt(imm);
                        mv.visitInsn(LALOAD);
                        pushLong(code.words[pc + 1]);
                        mv.visitInsn(LADD);
                        break;
                    default: // a constant or a code address, finished by ProgramCode
                        pushLong(code.words[pc + 1]);
                        break;
                }
                store(dst);
                return;
            }
            int size = legacySize(op);
            mv.visitVarInsn(ALOAD, STATE);
            pushLong(imm);
            if (op == Ops.LD_IND_W || op == Ops.LD_IND_H || op == Ops.LD_IND_B) {
                load(src);
                mv.visitInsn(LADD);
            }
            pushInt(size);
            mv.visitMethodInsn(INVOKEVIRTUAL, RUN_STATE, "legacyLoad", "(JI)J", false);
            store(0);
        }

        private void ldx(int op, int dst, int src, int off) {
            int size = accessSize(op);
            String method = "ld" + size * 8; // the same name in RunState and JitSupport
            if (src == 10) {
                stackIndex(off);
                mv.visitMethodInsn(INVOKESTATIC, SUPPORT, method, "([BI)J", false);
            } else if (inlineRegion) {
                Label slow = new Label();
                Label done = new Label();
                address(src, off);
                mv.visitVarInsn(LSTORE, ADDRESS);
                regionCheck(CACHED_READ, size, slow);
                regionIndex();
                mv.visitMethodInsn(INVOKESTATIC, SUPPORT, method, "([BI)J", false);
                mv.visitJumpInsn(GOTO, done);
                mv.visitLabel(slow);
                mv.visitVarInsn(ALOAD, STATE);
                mv.visitVarInsn(LLOAD, ADDRESS);
                mv.visitMethodInsn(INVOKEVIRTUAL, RUN_STATE, method, "(J)J", false);
                reloadRegion();
                mv.visitLabel(done);
            } else {
                mv.visitVarInsn(ALOAD, STATE);
                address(src, off);
                mv.visitMethodInsn(INVOKEVIRTUAL, RUN_STATE, method, "(J)J", false);
            }
            if (op == Ops.LDXSB || op == Ops.LDXSH || op == Ops.LDXSW) {
                mv.visitInsn(L2I);
                if (op == Ops.LDXSB) {
                    mv.visitInsn(I2B);
                } else if (op == Ops.LDXSH) {
                    mv.visitInsn(I2S);
                }
                mv.visitInsn(I2L);
            }
            store(dst);
        }

        private void store(int op, int dst, int off, Runnable value) {
            String method = "st" + accessSize(op) * 8; // the same name in RunState and JitSupport
            if (dst == 10) {
                stackIndex(off);
                value.run();
                mv.visitMethodInsn(INVOKESTATIC, SUPPORT, method, "([BIJ)V", false);
                return;
            }
            if (inlineRegion) {
                Label slow = new Label();
                Label done = new Label();
                address(dst, off);
                mv.visitVarInsn(LSTORE, ADDRESS);
                regionCheck(CACHED_WRITE, accessSize(op), slow);
                regionIndex();
                value.run();
                mv.visitMethodInsn(INVOKESTATIC, SUPPORT, method, "([BIJ)V", false);
                mv.visitJumpInsn(GOTO, done);
                mv.visitLabel(slow);
                mv.visitVarInsn(ALOAD, STATE);
                mv.visitVarInsn(LLOAD, ADDRESS);
                value.run();
                mv.visitMethodInsn(INVOKEVIRTUAL, RUN_STATE, method, "(JJ)V", false);
                reloadRegion();
                mv.visitLabel(done);
                return;
            }
            mv.visitVarInsn(ALOAD, STATE);
            address(dst, off);
            value.run();
            mv.visitMethodInsn(INVOKEVIRTUAL, RUN_STATE, method, "(JJ)V", false);
        }

        /**
         * Jumps to {@code slow} unless {@code [ADDRESS, ADDRESS + size)} lies in the cached region's
         * window of {@code length} bytes; leaves the offset into the window in {@code OFFSET}. One
         * branch: {@code offset | (length - size - offset)} is negative if either side is.
         */
        private void regionCheck(int length, int size, Label slow) {
            mv.visitVarInsn(LLOAD, ADDRESS);
            mv.visitVarInsn(LLOAD, CACHED_BASE);
            mv.visitInsn(LSUB);
            mv.visitInsn(DUP2);
            mv.visitVarInsn(LSTORE, OFFSET);
            mv.visitVarInsn(ILOAD, length);
            pushInt(size);
            mv.visitInsn(ISUB);
            mv.visitInsn(I2L);
            mv.visitVarInsn(LLOAD, OFFSET);
            mv.visitInsn(LSUB);
            mv.visitInsn(LOR);
            mv.visitInsn(LCONST_0);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFLT, slow);
        }

        /** Pushes the cached region's array and the index of {@code OFFSET} in it. */
        private void regionIndex() {
            mv.visitVarInsn(ALOAD, CACHED_BYTES);
            mv.visitVarInsn(ILOAD, CACHED_OFFSET);
            mv.visitVarInsn(LLOAD, OFFSET);
            mv.visitInsn(L2I);
            mv.visitInsn(IADD);
        }

        /** Copies the run state's cached region into the locals (at entry, after calls and slow accesses). */
        private void reloadRegion() {
            if (!inlineRegion) {
                return;
            }
            mv.visitVarInsn(ALOAD, STATE);
            mv.visitFieldInsn(GETFIELD, RUN_STATE, "cachedBase", "J");
            mv.visitVarInsn(LSTORE, CACHED_BASE);
            mv.visitVarInsn(ALOAD, STATE);
            mv.visitFieldInsn(GETFIELD, RUN_STATE, "cachedBytes", "[B");
            mv.visitVarInsn(ASTORE, CACHED_BYTES);
            mv.visitVarInsn(ALOAD, STATE);
            mv.visitFieldInsn(GETFIELD, RUN_STATE, "cachedOffset", "I");
            mv.visitVarInsn(ISTORE, CACHED_OFFSET);
            mv.visitVarInsn(ALOAD, STATE);
            mv.visitFieldInsn(GETFIELD, RUN_STATE, "cachedReadLength", "I");
            mv.visitVarInsn(ISTORE, CACHED_READ);
            mv.visitVarInsn(ALOAD, STATE);
            mv.visitFieldInsn(GETFIELD, RUN_STATE, "cachedWriteLength", "I");
            mv.visitVarInsn(ISTORE, CACHED_WRITE);
        }

        /** Pushes the stack array and the index of r10 + off in it. */
        private void stackIndex(int off) {
            mv.visitVarInsn(ALOAD, STACK);
            mv.visitVarInsn(ILOAD, FRAME);
            if (off != 0) {
                pushInt(off);
                mv.visitInsn(IADD);
            }
        }

        private void atomic(int size, int dst, int src, int off, int operation) {
            mv.visitVarInsn(ALOAD, STATE);
            pushInt(operation);
            address(dst, off);
            pushInt(size);
            load(src);
            if (operation == Ops.ATOMIC_CMPXCHG) {
                load(0);
            } else {
                mv.visitInsn(LCONST_0);
            }
            mv.visitMethodInsn(INVOKEVIRTUAL, RUN_STATE, "atomic", "(IJIJJ)J", false);
            if (operation == Ops.ATOMIC_CMPXCHG) {
                store(0);
            } else if ((operation & Ops.ATOMIC_FETCH) != 0) {
                store(src);
            } else {
                mv.visitInsn(POP2);
            }
        }

        private void address(int register, int off) {
            load(register);
            if (off != 0) {
                pushLong(off);
                mv.visitInsn(LADD);
            }
        }

        // ---- small emitters ----

        private void load(int register) {
            mv.visitVarInsn(LLOAD, SLOT[register]);
        }

        private void store(int register) {
            mv.visitVarInsn(LSTORE, SLOT[register]);
        }

        private void pushLong(long v) {
            if (v == 0) {
                mv.visitInsn(LCONST_0);
            } else if (v == 1) {
                mv.visitInsn(LCONST_1);
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                pushInt((int) v);
                mv.visitInsn(I2L); // 4 bytes instead of a constant-pool entry and ldc2_w
            } else {
                mv.visitLdcInsn(v);
            }
        }

        private void pushInt(int v) {
            if (v >= -1 && v <= 5) {
                mv.visitInsn(ICONST_0 + v);
            } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                mv.visitIntInsn(BIPUSH, v);
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                mv.visitIntInsn(SIPUSH, v);
            } else {
                mv.visitLdcInsn(v);
            }
        }
    }

    private static final long NO_FACTS = -1L;

    /**
     * What the basic block ending in the call at {@code pc} proves of r1 and r2: r1 holds map #m
     * ({@code lddw src=1}) and r2 = r10 + off. Answers {@code m << 32 | off}, or {@link #NO_FACTS}.
     * Scans back to the block's start; any instruction other than plain arithmetic, loads and stores
     * ends the scan, as does a place control can join from elsewhere.
     */
    private long lookupFacts(int pc) {
        int map = -1;
        boolean keyKnown = false;
        long keyOffset = 0;
        int p = pc;
        while (!joins[p] && p > 0) {
            int q = code.instructionStart[p - 1] ? p - 1 : p - 2;
            if (q < 0) {
                break;
            }
            long w = raw[q];
            int op = (int) w & 0xFF;
            int cls = op & 0x07;
            int dst = (int) w >>> 8 & 0xF;
            int src = (int) w >>> 12 & 0xF;
            boolean writesDst = cls == 0x04 || cls == 0x07 || cls == 0x01 || op == Ops.LDDW;
            boolean harmless = writesDst || cls == 0x02 || cls == 0x03 && op != Ops.ATOMIC_W && op != Ops.ATOMIC_DW;
            if (!harmless) {
                break;
            }
            if (writesDst && dst == 1 && map < 0) {
                if (op != Ops.LDDW || src != 1 && src != 5) {
                    return NO_FACTS;
                }
                map = (int) (w >> 32);
            } else if (writesDst && dst == 2 && !keyKnown) {
                if (op == 0x07) { // r2 += imm: keep looking for where r2 was set
                    keyOffset += (int) (w >> 32);
                } else if (op == 0xbf && src == 10 && (short) (w >>> 16) == 0) { // r2 = r10
                    keyKnown = true;
                } else {
                    return NO_FACTS;
                }
            }
            if (map >= 0 && keyKnown) {
                return keyOffset >= Short.MIN_VALUE && keyOffset <= Short.MAX_VALUE && map < code.maps.length
                        ? (long) map << 32 | (keyOffset & 0xFFFF_FFFFL) : NO_FACTS;
            }
            p = q;
        }
        return NO_FACTS;
    }

    private int helperIndex(int pc) {
        return (int) (code.words[pc] >>> 32);
    }

    /** Whether an instruction may fail with an exception that must be made to name it. */
    private static boolean canFail(long w) {
        int op = (int) w & 0xFF;
        int cls = op & 0x07;
        int src = (int) w >>> 12 & 0xF;
        switch (cls) {
            case 0x01: case 0x02: case 0x03: // loads, stores, atomics
                return true;
            case 0x00:
                return op != Ops.LDDW; // legacy packet loads
            case 0x05:
                return op == Ops.CALL && src != 1 || op == Ops.CALLX;
            default:
                return false;
        }
    }

    private static boolean fallsThrough(long w) {
        int op = (int) w & 0xFF;
        return op != Ops.EXIT && op != Ops.JA && op != Ops.JA32;
    }

    private static int negate(int condition) {
        return condition >= IF_ICMPEQ ? ((condition - IF_ICMPEQ) ^ 1) + IF_ICMPEQ : ((condition - IFEQ) ^ 1) + IFEQ;
    }

    /** Bytes a load or store of opcode {@code op} accesses (the size bits of LDX, ST and STX). */
    private static int accessSize(int op) {
        switch (op & 0x18) {
            case 0x10: return 1;
            case 0x08: return 2;
            case 0x00: return 4;
            default: return 8;
        }
    }

    private static int legacySize(int op) {
        switch (op) {
            case Ops.LD_ABS_W: case Ops.LD_IND_W: return 4;
            case Ops.LD_ABS_H: case Ops.LD_IND_H: return 2;
            default: return 1;
        }
    }

    /** A function too large for a JVM method that HotSpot compiles. */
    public static final class TooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }
}

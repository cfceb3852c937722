package org.ebpfosgi.interpreter;

import static org.ebpfosgi.interpreter.Programs.run;
import static org.ebpfosgi.interpreter.Programs.word;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.api.program.ContextDescriptor;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.isa.Assembler;
import org.ebpfosgi.isa.InvalidProgramException;
import org.junit.jupiter.api.Test;

/** Calls, frames, the budget, helpers, callbacks, tail calls, program validation and threads. */
class ControlTest {
    /** A chain of {@code depth} nested local calls; the innermost returns 42. */
    private static String nestedCalls(int depth) {
        StringBuilder asm = new StringBuilder("call local f1\nexit\n");
        for (int i = 1; i < depth; i++) {
            asm.append("f").append(i).append(":\ncall local f").append(i + 1).append("\nexit\n");
        }
        return asm.append("f").append(depth).append(":\nmov %r0, 42\nexit\n").toString();
    }

    @Test
    void eightNestedCallsRunANinthAborts() {
        assertEquals(42L, run(nestedCalls(8)));
        ExecutionException e = assertThrows(ExecutionException.class, () -> run(nestedCalls(9)));
        assertEquals(2 * 8 - 1 + 1, e.pc(), "the ninth call instruction");
        assertTrue(e.getMessage().contains("deeper than 8"), e.getMessage());
    }

    @Test
    void eachFrameHasItsOwnStack() {
        assertEquals(1L, run("stdw [%r10-8], 1\ncall local f\nldxdw %r0, [%r10-8]\nexit\n"
                + "f:\nstdw [%r10-8], 2\nexit"));
        // A callee may reach its caller's frame through a pointer the caller passed.
        assertEquals(7L, run("stdw [%r10-8], 1\nmov %r1, %r10\nadd %r1, -8\ncall local f\nldxdw %r0, [%r10-8]\nexit\n"
                + "f:\nstdw [%r1], 7\nexit"));
    }

    @Test
    void anUnverifiedInfiniteLoopExhaustsTheBudget() {
        ExecutableProgram p = Programs.load(Programs.image("mov %r0, 0\nloop:\nadd %r0, 1\nja loop\nexit"), false, 10_000);
        ExecutionException e = assertThrows(ExecutionException.class, () -> Programs.run(p, new byte[0]));
        assertEquals(2, e.pc());
        assertTrue(e.getMessage().contains("budget"), e.getMessage());
        // Unbounded recursion through calls is bounded by the frame limit, loops of calls by the budget.
        ExecutableProgram calls = Programs.load(Programs.image("loop:\ncall local f\nja loop\nexit\nf:\nexit"), false, 1000);
        assertTrue(assertThrows(ExecutionException.class, () -> Programs.run(calls, new byte[0])).getMessage().contains("budget"));
    }

    @Test
    void theBudgetCountsBackwardJumpsOnlyAndVerifiedProgramsHaveNone() {
        String loop = "mov %r0, 0\nloop:\nadd %r0, 1\njlt %r0, 5000, loop\nexit";
        assertThrows(ExecutionException.class, () -> Programs.run(Programs.load(Programs.image(loop), false, 4998), new byte[0]));
        assertEquals(5000L, Programs.run(Programs.load(Programs.image(loop), false, 4999), new byte[0]));
        assertEquals(5000L, Programs.run(Programs.load(Programs.image(loop), true, 0), new byte[0]));
    }

    @Test
    void helpersAreCalledWithR1ToR5() {
        Helper sum = new FiveArgs(1, "sum", (r1, r2, r3, r4, r5) -> r1 + 2 * r2 + 3 * r3 + 4 * r4 + 5 * r5);
        long[] words = Assembler.assemble("mov %r1, 1\nmov %r2, 1\nmov %r3, 1\nmov %r4, 1\nmov %r5, 1\ncall 1\nexit");
        assertEquals(15L, Programs.run(Programs.load(Programs.image(words, Map.of(1, sum), List.of()), false, 10), new byte[0]));
        // Named (kfunc-style) helpers: call src=2, imm indexes namedHelpers().
        long[] named = {word(0xb7, 1, 0, 0, 3), word(0x85, 0, 2, 0, 0), word(0x95, 0, 0, 0, 0)};
        ProgramImage image = new ProgramImage("named", "test", ContextDescriptor.plain(0), named, List.of(), Map.of(), List.of(sum));
        assertEquals(3L, Programs.run(Programs.load(image, false, 10), new byte[0]));
    }

    @Test
    void aMissingHelperAbortsNamingIt() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> run("mov %r0, 0\ncall 99\nexit"));
        assertEquals(1, e.pc());
        assertTrue(e.getMessage().contains("helper 99"), e.getMessage());
        long[] named = {word(0x85, 0, 2, 0, 4), word(0x95, 0, 0, 0, 0)};
        ProgramImage image = new ProgramImage("named", "test", ContextDescriptor.plain(0), named, List.of(), Map.of(), List.of());
        assertTrue(assertThrows(ExecutionException.class, () -> Programs.run(Programs.load(image, false, 10), new byte[0]))
                .getMessage().contains("named helper #4"));
    }

    @Test
    void aFailingHelperAbortsTheRunWithItsInstruction() {
        Helper broken = new FiveArgs(7, "broken", (r1, r2, r3, r4, r5) -> {
            throw new IllegalStateException("out of order");
        });
        long[] words = Assembler.assemble("mov %r0, 0\nmov %r0, 0\ncall 7\nexit");
        ExecutableProgram p = Programs.load(Programs.image(words, Map.of(7, broken), List.of()), false, 10);
        ExecutionException e = assertThrows(ExecutionException.class, () -> Programs.run(p, new byte[0]));
        assertEquals(2, e.pc());
        assertTrue(e.getMessage().contains("broken") && e.getMessage().contains("out of order"), e.getMessage());
        assertTrue(e.getCause() instanceof IllegalStateException);
        // A bad pointer handed to a helper is the run's fault too.
        Helper deref = new MemoryTest.TestHelper(8, "deref", (ctx, r1) -> ctx.memory().load(r1, 8));
        ExecutableProgram q = Programs.load(Programs.image(Assembler.assemble("mov %r1, 16\ncall 8\nexit"), Map.of(8, deref), List.of()), false, 10);
        assertEquals(1, assertThrows(ExecutionException.class, () -> Programs.run(q, new byte[0])).pc());
    }

    @Test
    void helperCallbacksRunProgramCodeInTheirOwnFrame() {
        // bpf_loop style: helper 181 calls the code address in r2 r1 times with the index, summing the results.
        Helper loop = new Helper() {
            @Override
            public int id() {
                return 181;
            }

            @Override
            public String name() {
                return "loop";
            }

            @Override
            public org.ebpfosgi.api.helper.HelperPrototype prototype() {
                return org.ebpfosgi.api.helper.HelperPrototype.of(org.ebpfosgi.api.helper.ReturnKind.INTEGER);
            }

            @Override
            public long call(org.ebpfosgi.api.helper.HelperContext context, long r1, long r2, long r3, long r4, long r5) {
                long sum = 0;
                for (long i = 0; i < r1; i++) {
                    sum += context.callFunction(r2, i, r3, 0, 0, 0);
                }
                return sum;
            }
        };
        long[] words = {
            word(0xb7, 1, 0, 0, 5),
            word(0x18, 2, 4, 0, 6), 0, // r2 = code address of instruction 1 + 6 + 1 = 8
            word(0x7a, 10, 0, -8, 1000), // the caller's stack slot must survive the callbacks
            word(0x85, 0, 0, 0, 181),
            word(0x79, 3, 10, -8, 0),
            word(0x0f, 0, 3, 0, 0),
            word(0x95, 0, 0, 0, 0),
            word(0xbf, 0, 1, 0, 0), // 8: r0 = index * 10, after using the callee's own r10-8
            word(0x27, 0, 0, 0, 10),
            word(0x7a, 10, 0, -8, 0),
            word(0x79, 3, 10, -8, 0),
            word(0x0f, 0, 3, 0, 0),
            word(0x95, 0, 0, 0, 0)};
        ExecutableProgram p = Programs.load(Programs.image(words, Map.of(181, loop), List.of()), true, 0);
        assertEquals(1100L, Programs.run(p, new byte[0]));
    }

    @Test
    void callxCallsACodeAddressOrAHelperId() {
        long[] words = {
            word(0x18, 2, 4, 0, 3), 0, // r2 = code address of 0 + 3 + 1 = 4
            word(0x8d, 2, 0, 0, 0),
            word(0x95, 0, 0, 0, 0),
            word(0xb7, 0, 0, 0, 77),
            word(0x95, 0, 0, 0, 0)};
        assertEquals(77L, Programs.run(Programs.load(Programs.image(words, Map.of(), List.of()), false, 10), new byte[0]));
        Helper five = new FiveArgs(5, "five", (r1, r2, r3, r4, r5) -> r1 * 5);
        ExecutableProgram byId = Programs.load(Programs.image(Assembler.assemble("mov %r1, 3\nmov %r2, 5\ncall %r2\nexit"),
                Map.of(5, five), List.of()), false, 10);
        assertEquals(15L, Programs.run(byId, new byte[0]));
        ExecutionException e = assertThrows(ExecutionException.class, () -> run("mov %r2, 6\ncall %r2\nexit"));
        assertEquals(1, e.pc());
    }

    @Test
    void tailCallsChainAtMost33Times() {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<ExecutableProgram> self = new AtomicReference<>();
        Helper tailCall = new MemoryTest.TestHelper(12, "tail_call", (ctx, r1) -> {
            calls.incrementAndGet();
            return ctx.requestTailCall(self.get()) ? -1 : calls.get();
        });
        ExecutableProgram p = Programs.load(Programs.image(Assembler.assemble("call 12\nexit"), Map.of(12, tailCall), List.of()), false, 10);
        self.set(p);
        assertEquals(34L, Programs.run(p, new byte[0]));
        assertEquals(34, calls.get());
        calls.set(0);
        assertEquals(34L, Programs.run(p, new byte[0]), "the count starts afresh with each run");
    }

    @Test
    void aTailCallReplacesTheProgramKeepingTheContext() {
        ExecutableProgram target = Programs.load(Programs.image("ldxb %r0, [%r1]\nexit"), false, 10);
        Helper tailCall = new MemoryTest.TestHelper(12, "tail_call", (ctx, r1) -> ctx.requestTailCall(target) ? 0 : -1);
        ExecutableProgram caller = Programs.load(Programs.image(
                Assembler.assemble("mov %r6, 5\ncall 12\nmov %r0, 99\nexit"), Map.of(12, tailCall), List.of()), false, 10);
        assertEquals(42L, Programs.run(caller, new byte[] {42}));
        // From a subprogram the request is refused and the caller carries on.
        ExecutableProgram fromCall = Programs.load(Programs.image(
                Assembler.assemble("call local f\nexit\nf:\ncall 12\nexit"), Map.of(12, tailCall), List.of()), false, 10);
        assertEquals(-1L, Programs.run(fromCall, new byte[] {42}));
        Helper notAProgram = new MemoryTest.TestHelper(12, "tail_call", (ctx, r1) -> ctx.requestTailCall("nope") ? 0 : -1);
        assertEquals(-1L, Programs.run(Programs.load(Programs.image(Assembler.assemble("call 12\nexit"),
                Map.of(12, notAProgram), List.of()), false, 10), new byte[0]));
    }

    @Test
    void everyRunStartsWithItsRegistersCleared() {
        // Unverified, so nothing stops it reading r6..r9 before writing them: it must see zero, not the last run's values.
        ExecutableProgram p = Programs.load(Programs.image(
                "mov %r0, %r6\nadd %r0, %r7\nadd %r0, %r9\nmov %r6, 7\nmov %r7, 8\nmov %r9, 9\nexit"), false, 10);
        assertEquals(0L, Programs.run(p, new byte[0]));
        assertEquals(0L, Programs.run(p, new byte[0]));
    }

    @Test
    void tailCallsToItselfAndBackKeepEachProgramsOwnCode() {
        // A tail call to the same program keeps r1; a caller and its target, run in turns on one thread,
        // each run their own instructions (the interpreter keeps a copy of each code per thread).
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<ExecutableProgram> next = new AtomicReference<>();
        Helper tailCall = new MemoryTest.TestHelper(12, "tail_call", (ctx, r1) ->
                calls.incrementAndGet() < 3 && ctx.requestTailCall(next.get()) ? 0 : -1);
        ExecutableProgram self = Programs.load(Programs.image(
                Assembler.assemble("mov %r6, %r1\ncall 12\nldxb %r0, [%r6]\nexit"), Map.of(12, tailCall), List.of()), false, 10);
        next.set(self);
        assertEquals(42L, Programs.run(self, new byte[] {42}));
        assertEquals(3, calls.get());
        ExecutableProgram target = Programs.load(Programs.image("ldxb %r0, [%r1+1]\nadd %r0, 1000\nexit"), false, 10);
        ExecutableProgram caller = Programs.load(Programs.image(
                Assembler.assemble("mov %r6, 5\ncall 12\nmov %r0, 99\nexit"), Map.of(12, tailCall), List.of()), false, 10);
        next.set(target);
        for (int round = 0; round < 3; round++) {
            calls.set(0);
            assertEquals(1007L, Programs.run(caller, new byte[] {6, 7}));
            assertEquals(1009L, Programs.run(target, new byte[] {8, 9}));
            calls.set(5);
            assertEquals(99L, Programs.run(caller, new byte[] {6, 7}), "no tail call: the caller's own code runs on");
        }
    }

    @Test
    void helperContextDescribesTheRun() {
        Object event = new Object();
        AtomicReference<Object> seen = new AtomicReference<>();
        AtomicReference<String> name = new AtomicReference<>();
        AtomicReference<Memory> memory = new AtomicReference<>();
        Helper probe = new MemoryTest.TestHelper(3, "probe", (ctx, r1) -> {
            seen.set(ctx.hookContext());
            name.set(ctx.programName());
            memory.set(ctx.memory());
            return 0;
        });
        ExecutableProgram p = Programs.load(Programs.image(Assembler.assemble("call 3\nexit"), Map.of(3, probe), List.of()), false, 10);
        Memory m = p.memory();
        p.run(m, 0, 0, event);
        assertSame(event, seen.get());
        assertEquals("test", name.get());
        assertSame(m, memory.get());
    }

    @Test
    void invalidProgramsAreRefusedAtLoadNamingTheInstruction() {
        InterpreterEngine engine = new InterpreterEngine();
        assertEquals(0, assertThrows(InvalidProgramException.class,
                () -> engine.load(Programs.image("mov %r0, 1"), false)).index(), "falls off the end");
        assertEquals(1, assertThrows(InvalidProgramException.class,
                () -> engine.load(Programs.image(new long[] {word(0xb7, 0, 0, 0, 0), word(0xff, 0, 0, 0, 0), word(0x95, 0, 0, 0, 0)},
                        Map.of(), List.of()), false)).index(), "unknown opcode");
        assertEquals(0, assertThrows(InvalidProgramException.class,
                () -> engine.load(Programs.image(new long[] {word(0x18, 0, 3, 0, 0), 0, word(0x95, 0, 0, 0, 0)},
                        Map.of(), List.of()), false)).index(), "lddw src=3");
        assertEquals(0, assertThrows(InvalidProgramException.class,
                () -> engine.load(Programs.image(new long[] {word(0x18, 0, 1, 0, 2), 0, word(0x95, 0, 0, 0, 0)},
                        Map.of(), List.of()), false)).index(), "no such map");
        assertEquals(0, assertThrows(InvalidProgramException.class,
                () -> engine.load(Programs.image("mov %r10, 1\nexit"), false)).index(), "r10 is read-only");
        assertThrows(InvalidProgramException.class, () -> engine.load(Programs.image(new long[0], Map.of(), List.of()), false));
    }

    @Test
    void runsOnManyThreadsAndInForeignMemory() throws Exception {
        ExecutableProgram p = Programs.load(Programs.image(
                "mov %r0, 0\nmov %r3, 0\nloop:\njge %r3, %r2, done\nmov %r4, %r1\nadd %r4, %r3\nldxb %r5, [%r4]\n"
                        + "stxb [%r10-1], %r5\nldxb %r5, [%r10-1]\nadd %r0, %r5\nadd %r3, 1\nja loop\ndone:\nexit"), true, 0);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                byte value = (byte) (t + 1);
                results.add(pool.submit(() -> {
                    byte[] mem = new byte[100];
                    java.util.Arrays.fill(mem, value);
                    long last = 0;
                    for (int i = 0; i < 200; i++) {
                        last = Programs.run(p, mem);
                    }
                    return last;
                }));
            }
            for (int t = 0; t < 8; t++) {
                assertEquals(100L * (t + 1), results.get(t).get());
            }
        } finally {
            pool.shutdown();
        }
        Memory foreign = new Memory();
        long r1 = foreign.map(Region.of(Region.Kind.MEMORY, "mine", new byte[] {1, 2, 3}));
        assertEquals(6L, p.run(foreign, r1, 3, null));
        assertFalse(p.memory() == foreign);
    }

    @Test
    void aHelperMayRunTheSameProgramAgainOnTheSameThread() {
        AtomicReference<ExecutableProgram> self = new AtomicReference<>();
        // Each run keeps 100 + r1 in its stack; the inner run (r1 = 0) gets 5 from the helper: 105. The outer
        // run (r1 = 1) adds its own 101 to that: 206, unless the inner run had clobbered its stack.
        Helper again = new MemoryTest.TestHelper(9, "again", (ctx, r1) -> {
            if (r1 == 0) {
                return 5;
            }
            ExecutableProgram p = self.get();
            Memory inner = p.memory();
            assertFalse(inner == ctx.memory(), "the running program's memory must not be handed out again");
            return p.run(inner, 0, 0, null);
        });
        ExecutableProgram p = Programs.load(Programs.image(Assembler.assemble(
                "mov %r6, %r1\nadd %r6, 100\nstxdw [%r10-8], %r6\ncall 9\nldxdw %r1, [%r10-8]\nadd %r0, %r1\nexit"),
                Map.of(9, again), List.of()), false, 10);
        self.set(p);
        Memory m = p.memory();
        assertEquals(206L, p.run(m, 1, 0, null));
    }

    @Test
    void theEngineIsTheInterpreter() {
        assertEquals("interpreter", new InterpreterEngine().name());
        assertThrows(IllegalArgumentException.class, () -> new InterpreterEngine(-1));
    }

    interface Body {
        long apply(long r1, long r2, long r3, long r4, long r5);
    }

    static final class FiveArgs implements Helper {
        private final int id;
        private final String name;
        private final Body body;

        FiveArgs(int id, String name, Body body) {
            this.id = id;
            this.name = name;
            this.body = body;
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public org.ebpfosgi.api.helper.HelperPrototype prototype() {
            return org.ebpfosgi.api.helper.HelperPrototype.of(org.ebpfosgi.api.helper.ReturnKind.INTEGER);
        }

        @Override
        public long call(org.ebpfosgi.api.helper.HelperContext context, long r1, long r2, long r3, long r4, long r5) {
            return body.apply(r1, r2, r3, r4, r5);
        }
    }
}

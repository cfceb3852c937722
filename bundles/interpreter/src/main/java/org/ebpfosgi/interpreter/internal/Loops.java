package org.ebpfosgi.interpreter.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copies of the instruction loop, one for each hot program. HotSpot profiles and compiles a method
 * once for all its callers, so with several programs on one loop C2 compiles {@code Interpreter.run}
 * for the mix: the cases all of them use, the branch order of their combined profile, and a new
 * compilation whenever one program reaches a case the compiled code had never seen. A hidden class
 * defined from {@link Interpreter}'s own class file is an independent copy of the same bytecode, with
 * a profile and compiled code of its own, so a program that runs on it is compiled for itself, as if
 * it ran alone. The copies are made only for programs that run often ({@link #HOT_RUNS}), at most
 * {@link #MAX_COPIES} at a time; a copy goes with its program (hidden classes unload on their own).
 * <p>
 * {@code -Debpf.interpreter.ownLoopAfterRuns=N} (0: never) and {@code -Debpf.interpreter.maxOwnLoops=N}
 * change the two limits.
 */
final class Loops {
    /** Runs after which a program gets a loop of its own. */
    static final int HOT_RUNS = Integer.getInteger("ebpf.interpreter.ownLoopAfterRuns", 1_000);
    /** Copies alive at most; programs past it stay on the shared loop. */
    static final int MAX_COPIES = Integer.getInteger("ebpf.interpreter.maxOwnLoops", 64);

    private static final AtomicInteger COPIES = new AtomicInteger();
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicBoolean FAILURE_LOGGED = new AtomicBoolean();
    private static volatile byte[] classFile;

    private Loops() {
    }

    /**
     * A new copy of the loop for {@code owner}, counted until {@code owner} is unreachable; or
     * {@link Interpreter#SHARED} when {@link #MAX_COPIES} are alive or the copy cannot be made.
     */
    static Loop copyFor(InterpretedProgram owner) {
        if (HOT_RUNS <= 0) {
            return Interpreter.SHARED;
        }
        if (COPIES.incrementAndGet() > MAX_COPIES) {
            COPIES.decrementAndGet();
            return Interpreter.SHARED;
        }
        try {
            MethodHandles.Lookup copy = MethodHandles.lookup().defineHiddenClass(classFile(), true);
            Loop loop = (Loop) copy.findConstructor(copy.lookupClass(), MethodType.methodType(void.class)).invoke();
            CLEANER.register(owner, COPIES::decrementAndGet);
            return loop;
        } catch (VirtualMachineError e) {
            COPIES.decrementAndGet();
            throw e;
        } catch (Throwable e) {
            // Not expected (the class file is our own); the program stays on the shared loop, which is correct, only shared.
            COPIES.decrementAndGet();
            if (!FAILURE_LOGGED.getAndSet(true)) {
                System.getLogger(Loops.class.getName()).log(System.Logger.Level.WARNING,
                        "interpreter: cannot copy the instruction loop, hot programs stay on the shared one", e);
            }
            return Interpreter.SHARED;
        }
    }

    /** Copies alive now. */
    static int copies() {
        return COPIES.get();
    }

    private static byte[] classFile() throws IOException {
        byte[] bytes = classFile;
        if (bytes == null) {
            try (InputStream in = Interpreter.class.getResourceAsStream("Interpreter.class")) {
                if (in == null) {
                    throw new IOException("Interpreter.class is not readable as a resource");
                }
                bytes = in.readAllBytes();
            }
            classFile = bytes;
        }
        return bytes;
    }
}

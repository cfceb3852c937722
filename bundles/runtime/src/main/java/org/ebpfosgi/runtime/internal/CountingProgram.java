package org.ebpfosgi.runtime.internal;

import java.util.concurrent.atomic.LongAdder;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionException;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.api.runtime.ProgramStats;

/** An engine's program with the runtime's statistics around it: runs, time, aborts. */
final class CountingProgram implements ExecutableProgram {
    private final ExecutableProgram engineProgram;
    private final LongAdder runs;
    private final LongAdder nanos;
    private final LongAdder aborts;

    CountingProgram(ExecutableProgram engineProgram, LongAdder runs, LongAdder nanos, LongAdder aborts) {
        this.engineProgram = engineProgram;
        this.runs = runs;
        this.nanos = nanos;
        this.aborts = aborts;
    }

    static ProgramStats stats(LongAdder runs, LongAdder nanos, LongAdder aborts) {
        return new ProgramStats(runs.sum(), nanos.sum(), aborts.sum());
    }

    @Override
    public ProgramImage image() {
        return engineProgram.image();
    }

    @Override
    public Memory memory() {
        return engineProgram.memory();
    }

    @Override
    public long run(Memory memory, long r1, long r2, Object hookContext) {
        long start = System.nanoTime();
        try {
            return engineProgram.run(memory, r1, r2, hookContext);
        } catch (ExecutionException e) {
            aborts.increment();
            throw e;
        } finally {
            nanos.add(System.nanoTime() - start);
            runs.increment();
        }
    }

    ExecutableProgram engineProgram() {
        return engineProgram;
    }

    @Override
    public void close() {
        engineProgram.close();
    }
}

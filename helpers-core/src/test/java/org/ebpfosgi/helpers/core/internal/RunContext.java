package org.ebpfosgi.helpers.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;

/** A helper's view of a run for unit tests: real Memory, callbacks as Java code, tail calls recorded. */
final class RunContext implements HelperContext {
    /** A subprogram stand-in: its code address and r1..r5 in, r0 out. */
    interface Subprogram {
        long call(long codeAddress, long r1, long r2, long r3, long r4, long r5);
    }

    final Memory memory = new Memory();
    final List<Object> tailCalls = new ArrayList<>();
    Subprogram subprogram = (address, r1, r2, r3, r4, r5) -> {
        throw new AssertionError("no callback expected");
    };
    int tailCallBudget = 33;
    Object hookContext;

    final List<Runnable> runEnd = new ArrayList<>();

    @Override
    public void atRunEnd(Runnable cleanup) {
        runEnd.add(cleanup);
    }

    /** What the engine does when a run ends. */
    void endRun() {
        runEnd.forEach(Runnable::run);
        runEnd.clear();
    }

    @Override
    public Memory memory() {
        return memory;
    }

    @Override
    public String programName() {
        return "test_prog";
    }

    @Override
    public Object hookContext() {
        return hookContext;
    }

    @Override
    public long callFunction(long codeAddress, long r1, long r2, long r3, long r4, long r5) {
        return subprogram.call(codeAddress, r1, r2, r3, r4, r5);
    }

    @Override
    public boolean requestTailCall(Object program) {
        if (tailCallBudget == 0) {
            return false;
        }
        tailCallBudget--;
        tailCalls.add(program);
        return true;
    }

    /** Maps a writable stack region holding {@code bytes} and returns its address. */
    long stack(byte[] bytes) {
        return memory.map(Region.of(Region.Kind.STACK, "stack", bytes));
    }

    /** Maps a read-only region holding the C string {@code s} with its NUL. */
    long cString(String s) {
        byte[] text = s.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[text.length + 1];
        System.arraycopy(text, 0, bytes, 0, text.length);
        return memory.map(Region.of(Region.Kind.GLOBAL_DATA, ".rodata", bytes).readOnly());
    }

    /** Maps {@code values} as a u64 array (little-endian) and returns its address. */
    long u64s(long... values) {
        byte[] bytes = new byte[values.length * 8];
        long address = stack(bytes);
        for (int i = 0; i < values.length; i++) {
            memory.store(address + 8L * i, 8, values[i]);
        }
        return address;
    }
}

package org.ebpfosgi.runtime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ebpfosgi.api.engine.ExecutionEngine;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.runtime.EbpfObject;
import org.ebpfosgi.api.runtime.LoadException;
import org.ebpfosgi.api.runtime.LoadOptions;
import org.ebpfosgi.api.runtime.ObjectFormatException;
import org.ebpfosgi.api.runtime.Program;
import org.ebpfosgi.helpers.core.CoreHelpers;
import org.ebpfosgi.interpreter.InterpreterEngine;
import org.ebpfosgi.jit.JitEngine;
import org.ebpfosgi.maps.MapProviders;
import org.ebpfosgi.runtime.internal.DefaultRuntime;

/**
 * A runtime wired as a framework would wire it (every map type, core helper, one engine), plus sample
 * access. The engine is the interpreter, or the JIT when {@code -Debpf.test.engine=jit} (the module's
 * second test execution runs every end-to-end test so).
 */
final class SampleRuntime {
    static final LoadOptions UNVERIFIED = LoadOptions.defaults().unverified(true);
    static final byte[] NO_CONTEXT = new byte[0];
    /** The engine the end-to-end tests run on. */
    static final String ENGINE = System.getProperty("ebpf.test.engine", InterpreterEngine.NAME);
    /** What a program loaded unverified on {@link #ENGINE} says of itself. */
    static final String LOADED = "loaded unverified (" + ENGINE + ")";

    final DefaultRuntime runtime = new DefaultRuntime();
    final List<Helper> helpers = CoreHelpers.all();
    final ExecutionEngine engine = engine(InterpreterEngine.DEFAULT_BUDGET);

    SampleRuntime() {
        MapProviders.all().forEach(runtime::addMapType);
        helpers.forEach(h -> runtime.addHelper(h, Map.of()));
        runtime.addEngine(engine, Map.of());
    }

    /** A new engine of the kind the tests run on. */
    static ExecutionEngine engine(long budget) {
        switch (ENGINE) {
            case InterpreterEngine.NAME: return new InterpreterEngine(budget);
            case JitEngine.NAME: return new JitEngine(budget);
            default: throw new IllegalArgumentException("ebpf.test.engine=" + ENGINE + ": no such engine (interpreter, jit)");
        }
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("ebpf.repo.root", ".")).toAbsolutePath().normalize();
    }

    static Path samplesDir() {
        Path dir = repoRoot().resolve("samples");
        assertTrue(Files.isDirectory(dir), "samples folder not found at " + dir);
        return dir;
    }

    static Path sample(String name) {
        return samplesDir().resolve(name + ".o");
    }

    EbpfObject open(String name) {
        try {
            return runtime.open(sample(name));
        } catch (ObjectFormatException | IOException e) {
            throw new AssertionError("cannot open sample " + name + ": " + e.getMessage(), e);
        }
    }

    /** Loads a sample unverified and checks every program got a runnable form. */
    List<Program> load(String name) {
        try {
            List<Program> programs = runtime.load(open(name), UNVERIFIED);
            for (Program p : programs) {
                assertTrue(p.executable() != null, p.name() + ": " + p.status());
                assertEquals(LOADED, p.status(), p.name());
            }
            return programs;
        } catch (LoadException e) {
            throw new AssertionError("loading sample " + name + " failed: " + e.getMessage(), e);
        }
    }

    static Program program(List<Program> programs, String name) {
        return programs.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no program " + name + " in " + programs));
    }

    /** The live map declared under {@code name} (each test loads into its own runtime, so names are unique). */
    EbpfMap map(String name) {
        List<EbpfMap> found = runtime.maps().stream().filter(m -> m.definition().name().equals(name)).toList();
        if (found.size() != 1) {
            fail("expected one map named " + name + ", found " + found.size() + " among "
                    + runtime.maps().stream().map(m -> m.definition().name()).toList());
        }
        return found.get(0);
    }

    /** Runs an XDP-style program once on {@code packet}; returns r0. */
    static long run(Program program, byte[] packet) {
        return program.testRun(packet, NO_CONTEXT, 1).returnValue();
    }

    static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    static byte[] u16(int value) {
        return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) value).array();
    }

    static byte[] u64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    static long le64(byte[] bytes, int offset) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(offset);
    }

    static int le32(byte[] bytes, int offset) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(offset);
    }

    /** The u64 value at {@code key}, failing if absent. */
    static long value64(EbpfMap map, byte[] key) {
        return le64(map.lookup(key).orElseThrow(() -> new AssertionError("no entry in " + map.definition().name())), 0);
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

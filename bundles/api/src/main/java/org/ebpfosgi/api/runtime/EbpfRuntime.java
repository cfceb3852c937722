package org.ebpfosgi.api.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.ebpfosgi.api.map.EbpfMap;

/**
 * The platform's front door for embedding products and tools: open objects, load their programs and
 * maps, attach programs to hooks, pin, inspect. Registered as a service by the runtime bundle.
 */
public interface EbpfRuntime {
    /** Parses an object file; nothing is created until {@link #load}. */
    EbpfObject open(String name, byte[] elf) throws ObjectFormatException;

    default EbpfObject open(Path file) throws ObjectFormatException, IOException {
        return open(file.getFileName().toString(), Files.readAllBytes(file));
    }

    /** Creates the object's maps (or reuses pinned ones), verifies and prepares every program. */
    List<Program> load(EbpfObject object, LoadOptions options) throws LoadException;

    List<Program> programs();

    Optional<Program> program(int id);

    /** Every live map, in id order. */
    List<EbpfMap> maps();

    /** A live map by the id the runtime gave it. */
    Optional<EbpfMap> map(int id);

    /** The id of a live map, or 0 if the runtime does not know it. */
    int mapId(EbpfMap map);

    List<Link> links();

    /** Attaches a loaded program to a program type's attach point. */
    Link attach(Program program, String attachPoint) throws LoadException;

    /** Pins a program or map under {@code path}; it outlives its object and the bundle that loaded it. */
    void pin(String path, Object programOrMap);

    Optional<Object> pinned(String path);

    void unpin(String path);

    /**
     * Verifies one program of an opened object without loading anything (maps are created for the
     * analysis and dropped again): the verifier's verdict and its report, as {@code bpftool prog load}
     * would print the kernel's log.
     *
     * @throws LoadException if no verifier is registered, the object has no such program, or its maps cannot be made
     */
    org.ebpfosgi.api.verifier.VerificationResult verify(EbpfObject object, String program) throws LoadException;

    /**
     * Unloads a program: detaches its links, drops its code, and closes the maps nothing holds any more
     * (a map is held by the loaded programs of the objects that declared or reused it, by a pin, and
     * by a held map of maps that contains it; {@link #unpin} releases the same way).
     */
    void unload(Program program);

    Inventory inventory();
}

package org.ebpfosgi.helpers.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JVM's real uid and gid, read once from /proc/self/status (a JVM does not change them). Ids are as
 * this process's user namespace shows them; Linux's helper maps them to the initial namespace, which only
 * differs inside a container with user namespaces.
 */
final class ProcessCredentials {
    /** {@code gid << 32 | uid}, or -1 if unknown. */
    static final long UID_GID = read(Path.of("/proc/self/status"));

    private ProcessCredentials() {
    }

    static long read(Path status) {
        try {
            return parse(new String(Files.readAllBytes(status), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException unavailable) {
            return -1;
        }
    }

    /** The real ids: the first numbers of the {@code Uid:} and {@code Gid:} lines. */
    static long parse(String status) {
        long uid = -1;
        long gid = -1;
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                uid = firstNumber(line);
            } else if (line.startsWith("Gid:")) {
                gid = firstNumber(line);
            }
        }
        if (uid < 0 || gid < 0 || uid > 0xFFFF_FFFFL || gid > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("no Uid/Gid lines");
        }
        return gid << 32 | uid;
    }

    private static long firstNumber(String line) {
        return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
    }
}

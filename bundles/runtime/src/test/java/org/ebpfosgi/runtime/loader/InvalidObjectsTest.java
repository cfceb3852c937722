package org.ebpfosgi.runtime.loader;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.ebpfosgi.api.runtime.ObjectFormatException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every malformed sample is refused with an ObjectFormatException that names the file and the problem. */
class InvalidObjectsTest {
    @TestFactory
    Stream<DynamicTest> everyInvalidFileIsRejected() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Samples.root().resolve("invalid"))) {
            files = s.sorted().toList();
        }
        assertFalse(files.isEmpty());
        return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            if (p.getFileName().toString().startsWith("timeout-")) {
                wellFormedTimeoutCase(p);
                return;
            }
            byte[] bytes = Samples.read(p);
            ObjectFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(ObjectFormatException.class,
                    () -> ObjectLoader.parse(p.getFileName().toString(), bytes, LinuxSectionTypes.instance())));
            String message = e.getMessage();
            System.out.println(p.getFileName() + ": " + message);
            assertTrue(message.startsWith(p.getFileName() + ": ") && message.length() > p.getFileName().toString().length() + 12,
                    "the message names the file and the problem: " + message);
            assertFalse(message.contains("Exception"), "a precise message, not a wrapped defect: " + message);
        }));
    }

    /**
     * The ebpf-for-windows fuzz corpus' timeout-* input is a well-formed object (a 35-program tail-call
     * chain, over the 33 tail calls a run may make): it made a consumer time out, not its parser. The
     * loader must read it promptly; refusing the chain is the runtime's business when it runs.
     */
    private static void wellFormedTimeoutCase(Path p) {
        byte[] bytes = Samples.read(p);
        ParsedObject o = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> ObjectLoader.parse(p.getFileName().toString(), bytes, LinuxSectionTypes.instance()));
        int map = o.mapIndex("bind_tail_call_map");
        org.junit.jupiter.api.Assertions.assertEquals(35, o.initialSlots(map).size());
        org.junit.jupiter.api.Assertions.assertEquals(36, o.programs().size());
    }
}

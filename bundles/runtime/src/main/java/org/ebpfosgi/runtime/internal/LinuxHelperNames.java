package org.ebpfosgi.runtime.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Linux helper names by id, so a message about a helper no bundle provides can name it. */
final class LinuxHelperNames {
    private static final Map<Integer, String> NAMES = load();

    private LinuxHelperNames() {
    }

    /** {@code bpf_name (id)}, or the bare id for one Linux does not define. */
    static String describe(int id) {
        String name = NAMES.get(id);
        return name != null ? name + " (" + id + ")" : Integer.toString(id);
    }

    private static Map<Integer, String> load() {
        Map<Integer, String> names = new HashMap<>();
        try (InputStream in = LinuxHelperNames.class.getResourceAsStream("linux-helpers.txt")) {
            if (in == null) {
                return names;
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] parts = line.trim().split("\\s+");
                    names.put(Integer.parseInt(parts[0]), parts[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}

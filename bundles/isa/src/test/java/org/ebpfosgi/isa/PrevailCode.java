package org.ebpfosgi.isa;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Extracts the code blocks of PREVAIL's YAML test cases as assembly text, one program per test case. */
final class PrevailCode {
    private PrevailCode() {
    }

    record Program(String file, String testCase, String text) {
    }

    static List<Program> programs() throws IOException {
        Path dir = SharedData.shared().resolve("prevail-tests");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("test-schema.yaml"))
                    .sorted().forEach(files::add);
        }
        List<Program> programs = new ArrayList<>();
        for (Path file : files) {
            String testCase = null;
            StringBuilder code = null;
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("---")) {
                    if (code != null) {
                        programs.add(new Program(file.getFileName().toString(), testCase, code.toString()));
                    }
                    code = null;
                    testCase = null;
                } else if (line.startsWith("test-case:")) {
                    testCase = line.substring("test-case:".length()).strip();
                } else if (line.startsWith("code:")) {
                    code = new StringBuilder();
                } else if (code != null && !line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                    programs.add(new Program(file.getFileName().toString(), testCase, code.toString()));
                    code = null;
                } else if (code != null) {
                    String body = line.strip();
                    // "<label>: |" opens a literal block; the label itself stays as an assembly label.
                    if (body.endsWith("|") && body.startsWith("<")) {
                        body = body.substring(0, body.length() - 1);
                    }
                    code.append(body).append('\n');
                }
            }
            if (code != null) {
                programs.add(new Program(file.getFileName().toString(), testCase, code.toString()));
            }
        }
        return programs;
    }
}

package org.ebpfosgi.verifier.prevail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads PREVAIL's multi-document YAML test files (the format described by its {@code test-schema.yaml}). */
final class PrevailCaseReader {
    /** The schema sits next to the cases but is not a test file. */
    static final String SCHEMA_FILE = "test-schema.yaml";

    private static final YAMLMapper YAML = new YAMLMapper();

    private PrevailCaseReader() {
    }

    /** All cases of all {@code *.yaml} files of a folder, files in name order, cases in file order. */
    static List<PrevailCase> readFolder(Path folder) {
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .filter(p -> !p.getFileName().toString().equals(SCHEMA_FILE))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        List<PrevailCase> cases = new ArrayList<>();
        for (Path file : files) {
            cases.addAll(readFile(file));
        }
        return cases;
    }

    /** The cases of one file; a repeated {@code test-case} name gets the suffix {@code " #n"} (n = occurrence). */
    static List<PrevailCase> readFile(Path file) {
        String fileName = file.getFileName().toString();
        List<PrevailCase> cases = new ArrayList<>();
        Map<String, Integer> occurrences = new HashMap<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            int index = 0;
            while (documents.hasNextValue()) {
                JsonNode document = documents.nextValue();
                index++;
                if (document == null || document.isMissingNode() || document.isNull()) {
                    continue; // an empty document, e.g. after a trailing "---"
                }
                String where = fileName + " document " + index;
                String name = text(document, "test-case", where);
                int occurrence = occurrences.merge(name, 1, Integer::sum);
                String uniqueName = occurrence == 1 ? name : name + " #" + occurrence;
                cases.add(toCase(fileName, uniqueName, document, where + " (" + name + ")"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return cases;
    }

    private static PrevailCase toCase(String file, String name, JsonNode document, String where) {
        JsonNode code = document.get("code");
        if (code == null || !code.isObject() || code.isEmpty()) {
            throw new IllegalArgumentException(where + ": 'code' must be a non-empty map of labelled blocks");
        }
        StringBuilder codeText = new StringBuilder();
        for (Map.Entry<String, JsonNode> block : code.properties()) { // YAML order: the blocks' layout
            codeText.append(block.getKey()).append(":\n");
            JsonNode body = block.getValue();
            if (body.isTextual()) {
                codeText.append(body.textValue());
                if (!body.textValue().endsWith("\n")) {
                    codeText.append('\n');
                }
            } else if (body.isArray()) { // the schema also allows a list of lines
                for (String line : strings(body, where + " block " + block.getKey())) {
                    codeText.append(line).append('\n');
                }
            } else {
                throw new IllegalArgumentException(where + ": block " + block.getKey() + " is neither text nor a list");
            }
        }
        JsonNode exception = document.get("expected-exception");
        return new PrevailCase(file, name,
                optionalStrings(document, "options", where),
                requiredStrings(document, "pre", where),
                codeText.toString(),
                requiredStrings(document, "post", where),
                optionalStrings(document, "messages", where),
                document.has("observe"),
                exception == null ? null : exception.asText());
    }

    private static String text(JsonNode document, String field, String where) {
        JsonNode node = document.get(field);
        if (node == null || !node.isValueNode()) {
            throw new IllegalArgumentException(where + ": '" + field + "' missing or not a scalar");
        }
        return node.asText();
    }

    private static List<String> requiredStrings(JsonNode document, String field, String where) {
        if (!document.has(field)) {
            throw new IllegalArgumentException(where + ": '" + field + "' missing");
        }
        return optionalStrings(document, field, where);
    }

    private static List<String> optionalStrings(JsonNode document, String field, String where) {
        JsonNode node = document.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        return strings(node, where + " '" + field + "'");
    }

    private static List<String> strings(JsonNode node, String where) {
        if (!node.isArray()) {
            throw new IllegalArgumentException(where + ": not a list");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isValueNode() || element.isNull()) {
                throw new IllegalArgumentException(where + ": element " + element + " is not a scalar");
            }
            values.add(element.asText());
        }
        return values;
    }
}

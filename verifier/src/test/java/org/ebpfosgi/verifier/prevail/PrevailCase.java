package org.ebpfosgi.verifier.prevail;

import java.util.List;

/**
 * One PREVAIL YAML test case.
 *
 * @param file              the YAML file name, e.g. {@code add.yaml}
 * @param name              the {@code test-case} name, made unique within its file: PREVAIL's data repeats a few names
 *                          for different cases, so a later repeat gets the suffix {@code " #2"}, {@code " #3"}, ...
 * @param options           PREVAIL verifier options such as {@code termination} or {@code !big_endian}
 * @param pre               constraints that hold before the first instruction
 * @param codeText          the code blocks joined into one assembly text, each block preceded by its label line
 * @param post              constraints expected at the exit; {@link #BOTTOM} alone means the exit is unreachable
 * @param messages          expected diagnostics, {@code "LABEL: text"} (a few carry no label)
 * @param hasObservations   whether the case has an {@code observe} node (checks PREVAIL's runner makes, not ours)
 * @param expectedException the PREVAIL runner exception this case expects (malformed {@code observe}), or null
 */
record PrevailCase(String file, String name, List<String> options, List<String> pre, String codeText,
        List<String> post, List<String> messages, boolean hasObservations, String expectedException) {

    /** PREVAIL's spelling of the empty (unreachable) state. */
    static final String BOTTOM = "_|_";

    PrevailCase {
        options = List.copyOf(options);
        pre = List.copyOf(pre);
        post = List.copyOf(post);
        messages = List.copyOf(messages);
    }

    /** How a case is counted: only plain cases compare like for like with PREVAIL's default configuration. */
    enum Group {
        /** No options, no observations, no expected runner exception. */
        PLAIN,
        /** Runs with PREVAIL options (termination, endianness, division by zero, ...) that our API cannot set. */
        OPTIONS,
        /** Also checks PREVAIL {@code observe} assertions, which only PREVAIL's runner evaluates. */
        OBSERVE,
        /** Expects PREVAIL's runner to refuse a malformed {@code observe} node; the program itself is still run. */
        EXPECTED_EXCEPTION
    }

    Group group() {
        if (expectedException != null) {
            return Group.EXPECTED_EXCEPTION;
        }
        if (hasObservations) {
            return Group.OBSERVE;
        }
        return options.isEmpty() ? Group.PLAIN : Group.OPTIONS;
    }

    /** The key used in the baseline file and as the display name. */
    String id() {
        return file + ": " + name;
    }

    boolean expectsUnreachableExit() {
        return post.equals(List.of(BOTTOM));
    }
}

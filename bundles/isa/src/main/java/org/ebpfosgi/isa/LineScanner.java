package org.ebpfosgi.isa;

/** Cursor over one line of assembly; every failure is an {@link AssemblyException} naming the line. */
final class LineScanner {
    private final String text;
    private final int line;
    private int pos;
    private boolean lastNegative;
    private long lastMagnitude;

    LineScanner(String text, int line) {
        this.text = text;
        this.line = line;
    }

    AssemblyException error(String message) {
        return new AssemblyException(line, message + " in '" + text.strip() + "'");
    }

    int line() {
        return line;
    }

    int position() {
        return pos;
    }

    void reset(int position) {
        pos = position;
    }

    void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    boolean atEnd() {
        skipSpaces();
        return pos >= text.length();
    }

    char peek() {
        skipSpaces();
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    /** Consumes {@code token} (after spaces) if it is next. */
    boolean accept(String token) {
        skipSpaces();
        if (text.startsWith(token, pos)) {
            pos += token.length();
            return true;
        }
        return false;
    }

    /** Consumes the word {@code word} if it is next and not followed by another identifier character. */
    boolean acceptWord(String word) {
        skipSpaces();
        int end = pos + word.length();
        if (text.startsWith(word, pos) && (end >= text.length() || !isIdentifierChar(text.charAt(end)))) {
            pos = end;
            return true;
        }
        return false;
    }

    void expect(String token) {
        if (!accept(token)) {
            throw error("expected '" + token + "'" + (atEnd() ? " at end of line" : " before '" + rest() + "'"));
        }
    }

    void expectEnd() {
        if (!atEnd()) {
            throw error("unexpected '" + rest() + "'");
        }
    }

    String rest() {
        skipSpaces();
        return text.substring(Math.min(pos, text.length())).strip();
    }

    static boolean isIdentifierChar(char c) {
        return c == '_' || c == '.' || c == '$' || Character.isLetterOrDigit(c);
    }

    /** An identifier (letters, digits, '_', '.', '$'), or null if none is next. */
    String identifier() {
        skipSpaces();
        int start = pos;
        while (pos < text.length() && isIdentifierChar(text.charAt(pos))) {
            pos++;
        }
        return start == pos ? null : text.substring(start, pos);
    }

    /** Register r0..r10 in the given prefix ('%r' for the conformance syntax, 'r' or 'w' for llvm), or -1. */
    int register(String prefix) {
        skipSpaces();
        int save = pos;
        if (!text.startsWith(prefix, pos)) {
            return -1;
        }
        pos += prefix.length();
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (start == pos || (pos < text.length() && isIdentifierChar(text.charAt(pos)))) {
            pos = save;
            return -1;
        }
        int value;
        try {
            value = Integer.parseInt(text, start, pos, 10);
        } catch (NumberFormatException e) {
            value = Integer.MAX_VALUE;
        }
        if (value > 10) {
            throw error("no register " + prefix + text.substring(start, pos) + " (r0..r10)");
        }
        return value;
    }

    int expectRegister(String prefix) {
        int r = register(prefix);
        if (r < 0) {
            throw error("expected a register " + prefix + "0.." + prefix + "10"
                    + (atEnd() ? " at end of line" : " at '" + rest() + "'"));
        }
        return r;
    }

    boolean atNumber() {
        skipSpaces();
        if (pos >= text.length()) {
            return false;
        }
        char c = text.charAt(pos);
        if (c == '+' || c == '-') {
            int p = pos + 1;
            while (p < text.length() && text.charAt(p) == ' ') {
                p++;
            }
            return p < text.length() && Character.isDigit(text.charAt(p));
        }
        return Character.isDigit(c);
    }

    /**
     * A signed number: optional sign, then decimal or 0x hex. Magnitudes up to 2^64-1 are accepted (as their
     * two's complement); callers check ranges.
     */
    long number() {
        skipSpaces();
        int start = pos;
        boolean negative = false;
        if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
            negative = text.charAt(pos) == '-';
            pos++;
            skipSpaces();
        }
        int radix = 10;
        if (text.startsWith("0x", pos) || text.startsWith("0X", pos)) {
            radix = 16;
            pos += 2;
        }
        int digits = pos;
        while (pos < text.length() && Character.digit(text.charAt(pos), radix) >= 0) {
            pos++;
        }
        if (digits == pos) {
            pos = start;
            throw error("expected a number" + (atEnd() ? " at end of line" : " at '" + rest() + "'"));
        }
        long magnitude;
        try {
            magnitude = Long.parseUnsignedLong(text.substring(digits, pos), radix);
        } catch (NumberFormatException e) {
            throw error("number " + text.substring(start, pos) + " does not fit in 64 bits");
        }
        if (negative && Long.compareUnsigned(magnitude, Long.MIN_VALUE) > 0) {
            throw error("number " + text.substring(start, pos) + " does not fit in 64 bits");
        }
        lastNegative = negative;
        lastMagnitude = magnitude;
        return negative ? -magnitude : magnitude;
    }

    /** A number that must fit the 32-bit immediate field, signed or unsigned. */
    int imm32() {
        int start = pos;
        long v = number();
        if (lastNegative ? Long.compareUnsigned(lastMagnitude, 0x80000000L) > 0
                : Long.compareUnsigned(lastMagnitude, 0xffffffffL) > 0) {
            String n = text.substring(start, pos).strip();
            throw error("immediate " + n + " does not fit in 32 bits");
        }
        return (int) v;
    }

    /** A number that must fit the signed 16-bit offset field. */
    short offset16() {
        int start = pos;
        long v = number();
        if (lastNegative ? Long.compareUnsigned(lastMagnitude, 0x8000L) > 0
                : Long.compareUnsigned(lastMagnitude, 0x7fffL) > 0) {
            throw error("offset " + text.substring(start, pos).strip() + " does not fit in 16 bits");
        }
        return (short) v;
    }
}

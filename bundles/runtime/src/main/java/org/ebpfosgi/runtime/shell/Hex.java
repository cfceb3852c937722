package org.ebpfosgi.runtime.shell;

import java.io.ByteArrayOutputStream;

/** Hex bytes as tools write them: {@code 0a 0b 0c}, {@code 0a0b0c} or {@code 0x0a 0x0b}. */
final class Hex {
    private Hex() {
    }

    static byte[] parse(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String token : text.trim().split("[\\s,]+")) {
            if (token.isEmpty()) {
                continue;
            }
            String digits = token.startsWith("0x") || token.startsWith("0X") ? token.substring(2) : token;
            if (digits.isEmpty() || digits.length() % 2 != 0) {
                throw new IllegalArgumentException("'" + token + "' is not hex bytes (two digits per byte)");
            }
            for (int i = 0; i < digits.length(); i += 2) {
                int hi = Character.digit(digits.charAt(i), 16);
                int lo = Character.digit(digits.charAt(i + 1), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("'" + token + "' is not hex bytes");
                }
                out.write(hi << 4 | lo);
            }
        }
        return out.toByteArray();
    }

    static String format(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(Character.forDigit((bytes[i] >> 4) & 0xF, 16)).append(Character.forDigit(bytes[i] & 0xF, 16));
        }
        return sb.toString();
    }
}

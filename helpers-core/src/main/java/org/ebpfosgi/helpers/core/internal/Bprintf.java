package org.ebpfosgi.helpers.core.internal;

import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;

/**
 * The format language of Linux's printf-like helpers ({@code bpf_trace_printk}, {@code bpf_trace_vprintk},
 * {@code bpf_snprintf}), with the kernel's checks ({@code bpf_bprintf_prepare}) and its output rules
 * ({@code vsnprintf}).
 *
 * <p>Accepted: {@code %%}; {@code %[flags][width]} followed by {@code d i u x X} with optional {@code l} or
 * {@code ll} (without: 32 bits), {@code c}, {@code s}, {@code p}, {@code pK px ps pS pB}, {@code pks pus},
 * {@code pI4 pi4 pI6 pi6}; flags {@code 0 + - space}. Refused with -EINVAL: any other conversion, precision,
 * {@code #}, more conversions than arguments, ASCII control characters other than white space, a {@code %s}
 * glued to a letter or digit, and a format without NUL. Arguments use at most 512 bytes as the kernel packs
 * them (numbers 4-byte aligned, strings with their NUL), else -ENOSPC.
 *
 * <p>Pointers are the program's own tagged addresses: {@code %p} prints them as 16 hex digits (no hashing:
 * they reveal nothing of the host), {@code %ps/%pS/%pB} as {@code 0x...} (there are no symbols). A
 * {@code %s} whose pointer is not readable prints as empty and an IP whose pointer is not readable as
 * zeros, as Linux does.
 */
final class Bprintf {
    /** MAX_BPRINTF_VARARGS. */
    static final int MAX_VARARGS = 12;
    /** MAX_BPRINTF_BIN_ARGS: the packed arguments, strings included. */
    static final int MAX_BIN_ARGS = 512;
    /** MAX_BPRINTF_BUF: the output of trace_printk and trace_vprintk, NUL included. */
    static final int MAX_BUF = 1024;
    /** vsnprintf's FIELD_WIDTH_MAX. */
    static final int FIELD_WIDTH_MAX = (1 << 23) - 1;

    private static final int LEFT = 1, ZEROPAD = 2, PLUS = 4, SPACE = 8;
    private static final int POINTER_DIGITS = 16;

    private final Memory memory;
    private final byte[] fmt;
    private final int end;
    private final long[] args;
    private final int numArgs;
    private final FormatOutput out;
    private int binUsed;

    private Bprintf(Memory memory, byte[] fmt, int end, long[] args, int numArgs, FormatOutput out) {
        this.memory = memory;
        this.fmt = fmt;
        this.end = end;
        this.args = args;
        this.numArgs = numArgs;
        this.out = out;
    }

    /**
     * Formats {@code fmt[start, end)} (the format without its NUL) with the first {@code numArgs} of
     * {@code args} into {@code out}; returns 0, or a negative errno with {@code out} incomplete.
     */
    static int format(Memory memory, byte[] fmt, int start, int end, long[] args, int numArgs, FormatOutput out) {
        return new Bprintf(memory, fmt, end, args, numArgs, out).run(start);
    }

    /** The index of the first NUL in {@code bytes[start, limit)}, or -1. */
    static int indexOfNul(byte[] bytes, int start, int limit) {
        for (int i = start; i < limit; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private int at(int i) {
        return i < end ? fmt[i] & 0xFF : 0;
    }

    private int run(int start) {
        int spec = 0;
        for (int i = start; i < end; i++) {
            int c = at(i);
            if (c < 0x80 && !isPrint(c) && !isSpace(c)) {
                return -Errno.EINVAL;
            }
            if (c != '%') {
                out.put(c);
                continue;
            }
            if (at(i + 1) == '%') {
                out.put('%');
                i++;
                continue;
            }
            if (spec >= numArgs) {
                return -Errno.EINVAL;
            }
            i++;
            if (at(i) >= 0x80) {
                return -Errno.EINVAL;
            }
            int flags = 0;
            for (;; i++) {
                int f = at(i);
                if (f == '0') flags |= ZEROPAD;
                else if (f == '+') flags |= PLUS;
                else if (f == '-') flags |= LEFT;
                else if (f == ' ') flags |= SPACE;
                else break;
            }
            if ((flags & LEFT) != 0) {
                flags &= ~ZEROPAD;
            }
            int width = -1;
            if (at(i) >= '1' && at(i) <= '9') {
                width = 0;
                while (at(i) >= '0' && at(i) <= '9') {
                    width = Math.min(FIELD_WIDTH_MAX, width * 10 + at(i) - '0');
                    i++;
                }
            }
            long arg = args[spec];
            int conversion = at(i);
            int result;
            if (conversion == 'p') {
                result = pointer(i, arg, flags, width);
                if (result < 0) {
                    return result;
                }
                i = result;
            } else if (conversion == 's') {
                result = string(i, arg, flags, width);
                if (result < 0) {
                    return result;
                }
            } else if (conversion == 'c') {
                if (binUsed == MAX_BIN_ARGS) {
                    return -Errno.ENOSPC;
                }
                binUsed++;
                padded(new byte[] {(byte) arg}, flags, width);
            } else {
                int size = 4;
                if (at(i) == 'l') {
                    size = 8;
                    i++;
                }
                if (at(i) == 'l') {
                    i++;
                }
                conversion = at(i);
                if (conversion != 'i' && conversion != 'd' && conversion != 'u' && conversion != 'x' && conversion != 'X') {
                    return -Errno.EINVAL;
                }
                if (!packNumber(size)) {
                    return -Errno.ENOSPC;
                }
                boolean signed = conversion == 'i' || conversion == 'd';
                long value = size == 8 ? arg : signed ? (long) (int) arg : arg & 0xFFFF_FFFFL;
                number(value, signed, conversion == 'u' || signed ? 10 : 16, conversion == 'X', flags, width);
            }
            spec++;
        }
        return 0;
    }

    /** Handles a conversion starting with 'p' at {@code i}; returns the index of its last character or an errno. */
    private int pointer(int i, long arg, int flags, int width) {
        int next = at(i + 1);
        if ((next == 'k' || next == 'u') && at(i + 2) == 's') {
            int r = string(i + 2, arg, flags, width);
            return r < 0 ? r : i + 2;
        }
        if (next == 0 || isSpace(next) || isPunct(next) || next == 'K' || next == 'x') {
            if (!packNumber(8)) {
                return -Errno.ENOSPC;
            }
            if (width == -1) {
                number(arg, false, 16, false, flags | ZEROPAD, POINTER_DIGITS);
            } else {
                number(arg, false, 16, false, flags, width);
            }
            return next == 'K' || next == 'x' ? i + 1 : i;
        }
        if (next == 's' || next == 'S' || next == 'B') {
            if (!packNumber(8)) {
                return -Errno.ENOSPC;
            }
            padded(ascii("0x" + Long.toHexString(arg)), flags, width);
            return i + 1;
        }
        int version = at(i + 2);
        if ((next != 'i' && next != 'I') || (version != '4' && version != '6')) {
            return -Errno.EINVAL;
        }
        int size = version == '4' ? 4 : 16;
        if (MAX_BIN_ARGS - binUsed < size) {
            return -Errno.ENOSPC;
        }
        Region region = ProgramMemory.readableOrNull(memory, arg, size);
        byte[] address = region == null ? new byte[size] : memory.read(arg, size);
        byte[] text = ascii(size == 4 ? ipv4(address, next == 'i') : ipv6(address, next == 'I'));
        binUsed = Math.min(MAX_BIN_ARGS, binUsed + text.length + 1);
        padded(text, flags, width);
        return i + 2;
    }

    /** A string conversion whose last character is at {@code i}; returns 0 or an errno. */
    private int string(int i, long arg, int flags, int width) {
        int next = at(i + 1);
        if (next != 0 && !isSpace(next) && !isPunct(next)) {
            return -Errno.EINVAL;
        }
        if (binUsed == MAX_BIN_ARGS) {
            return -Errno.ENOSPC;
        }
        byte[] text = ProgramMemory.cStringOrNull(memory, arg, MAX_BIN_ARGS - binUsed - 1);
        if (text == null) {
            text = new byte[0];
        }
        binUsed += text.length + 1;
        padded(text, flags, width);
        return 0;
    }

    private boolean packNumber(int size) {
        binUsed = (binUsed + 3) & ~3;
        if (MAX_BIN_ARGS - binUsed < size) {
            return false;
        }
        binUsed += size;
        return true;
    }

    private void padded(byte[] text, int flags, int width) {
        long pad = (long) width - text.length;
        if ((flags & LEFT) == 0) {
            out.pad(' ', pad);
        }
        out.put(text);
        if ((flags & LEFT) != 0) {
            out.pad(' ', pad);
        }
    }

    private void number(long value, boolean signed, int base, boolean upper, int flags, int width) {
        String sign = "";
        long magnitude = value;
        if (signed) {
            if (value < 0) {
                sign = "-";
                magnitude = -value;
            } else if ((flags & PLUS) != 0) {
                sign = "+";
            } else if ((flags & SPACE) != 0) {
                sign = " ";
            }
        }
        String digits = Long.toUnsignedString(magnitude, base);
        if (upper) {
            digits = digits.toUpperCase(java.util.Locale.ROOT);
        }
        long pad = (long) width - sign.length() - digits.length();
        if ((flags & LEFT) != 0) {
            out.putAscii(sign);
            out.putAscii(digits);
            out.pad(' ', pad);
        } else if ((flags & ZEROPAD) != 0) {
            out.putAscii(sign);
            out.pad('0', pad);
            out.putAscii(digits);
        } else {
            out.pad(' ', pad);
            out.putAscii(sign);
            out.putAscii(digits);
        }
    }

    private static String ipv4(byte[] a, boolean zeroPadded) {
        StringBuilder s = new StringBuilder(15);
        for (int k = 0; k < 4; k++) {
            if (k > 0) {
                s.append('.');
            }
            String octet = Integer.toString(a[k] & 0xFF);
            if (zeroPadded) {
                s.append("00", 0, 3 - octet.length());
            }
            s.append(octet);
        }
        return s.toString();
    }

    private static String ipv6(byte[] a, boolean colons) {
        StringBuilder s = new StringBuilder(39);
        for (int k = 0; k < 16; k++) {
            if (colons && k > 0 && k % 2 == 0) {
                s.append(':');
            }
            s.append(Character.forDigit((a[k] >> 4) & 0xF, 16)).append(Character.forDigit(a[k] & 0xF, 16));
        }
        return s.toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    static boolean isPrint(int c) {
        return c >= 0x20 && c < 0x7F;
    }

    static boolean isSpace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    static boolean isPunct(int c) {
        return isPrint(c) && c != ' ' && !Character.isLetterOrDigit(c);
    }
}

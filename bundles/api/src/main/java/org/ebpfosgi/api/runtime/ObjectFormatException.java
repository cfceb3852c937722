package org.ebpfosgi.api.runtime;

/** An object file the loader refuses: says what is wrong and where (section, offset). */
public final class ObjectFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ObjectFormatException(String message) {
        super(message);
    }

    public ObjectFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

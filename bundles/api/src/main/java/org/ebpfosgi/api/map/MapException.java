package org.ebpfosgi.api.map;

/** A map operation refused the way Linux refuses it; {@link #errno()} is the positive Linux errno. */
public final class MapException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public static final int ENOENT = 2, E2BIG = 7, EBADF = 9, ENOMEM = 12, EBUSY = 16, EEXIST = 17, EINVAL = 22, ENOSPC = 28, ENOTSUP = 95;
    private final int errno;

    public MapException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    public int errno() { return errno; }
}

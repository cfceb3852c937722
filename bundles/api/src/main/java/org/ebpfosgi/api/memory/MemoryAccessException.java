package org.ebpfosgi.api.memory;

/**
 * An access outside every region a program may reach. It aborts the one run that made it
 * (the hook counts it, XDP answers ABORTED), never the host.
 */
public final class MemoryAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long address;
    private final int size;

    public MemoryAccessException(String message, long address, int size) {
        super(message, null, false, false);
        this.address = address;
        this.size = size;
    }

    public long address() { return address; }
    public int size() { return size; }
}

package org.ebpfosgi.api.program;

/**
 * The layout of a program type's context, as the verifier needs it (PREVAIL's descriptor): its size
 * and the offsets of the fields that hold the packet's start, end and metadata pointers (-1 if none).
 */
public final class ContextDescriptor {
    private final int size;
    private final int dataOffset;
    private final int endOffset;
    private final int metaOffset;

    public ContextDescriptor(int size, int dataOffset, int endOffset, int metaOffset) {
        if (size < 0) throw new IllegalArgumentException("size " + size);
        this.size = size;
        this.dataOffset = dataOffset;
        this.endOffset = endOffset;
        this.metaOffset = metaOffset;
    }

    /** A context with no packet pointers (tracing, or no context at all with size 0). */
    public static ContextDescriptor plain(int size) {
        return new ContextDescriptor(size, -1, -1, -1);
    }

    public int size() { return size; }
    public int dataOffset() { return dataOffset; }
    public int endOffset() { return endOffset; }
    public int metaOffset() { return metaOffset; }
    public boolean hasPacket() { return dataOffset >= 0 && endOffset >= 0; }

    @Override
    public String toString() {
        return "context{size=" + size + ", data=" + dataOffset + ", end=" + endOffset + ", meta=" + metaOffset + "}";
    }
}

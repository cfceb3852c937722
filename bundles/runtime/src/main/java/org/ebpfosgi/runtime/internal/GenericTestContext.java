package org.ebpfosgi.runtime.internal;

import java.util.Arrays;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.ebpfosgi.api.program.ContextDescriptor;
import org.ebpfosgi.api.program.TestContext;

/**
 * A test-run context built from a context layout alone (BPF_PROG_TEST_RUN for types without a hook):
 * the context bytes come from {@code contextIn} (zero-padded to the layout's size), and if the type has
 * packet pointers, the data is a packet region whose start and end the pointer fields yield.
 */
final class GenericTestContext implements TestContext {
    private final long address;
    private final Region data;

    private GenericTestContext(long address, Region data) {
        this.address = address;
        this.data = data;
    }

    static TestContext build(Memory memory, ContextDescriptor layout, byte[] dataIn, byte[] contextIn) {
        int size = Math.max(layout.size(), contextIn.length);
        if (layout.size() > 0 && contextIn.length > layout.size()) {
            throw new IllegalArgumentException("context input of " + contextIn.length + " bytes is larger than the "
                    + layout.size() + "-byte context of this program type");
        }
        byte[] context = Arrays.copyOf(contextIn, size);
        if (!layout.hasPacket()) {
            // No packet: a program without a context layout gets the data as its context (socket-less tests).
            Region region = Region.of(Region.Kind.CONTEXT, "ctx", size == 0 ? dataIn.clone() : context);
            return new GenericTestContext(memory.map(region), region);
        }
        Region packet = Region.of(Region.Kind.PACKET, "data", dataIn.clone());
        long start = memory.map(packet);
        long ctx = memory.map(Region.of(Region.Kind.CONTEXT, "ctx", context));
        memory.setPointerField(ctx + layout.dataOffset(), start);
        memory.setPointerField(ctx + layout.endOffset(), start + dataIn.length);
        if (layout.metaOffset() >= 0) {
            memory.setPointerField(ctx + layout.metaOffset(), start);
        }
        return new GenericTestContext(ctx, packet);
    }

    @Override
    public long contextAddress() {
        return address;
    }

    @Override
    public byte[] dataOut() {
        return Arrays.copyOfRange(data.bytes(), data.base(), data.base() + data.length());
    }
}

package org.ebpfosgi.interpreter.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fast path's size, read from the class file: HotSpot compiles no method over 8000 bytes of
 * bytecode ({@code HugeMethodLimit}), and inlines into a method only until it and its inlined callees
 * reach 8000 ({@code DesiredMethodLimit}). A case added past that point would leave the loop to the
 * bytecode interpreter, about 50 times slower, with no test failing for any other reason.
 */
class InterpreterShapeTest {
    private static final int HUGE_METHOD_LIMIT = 8000;
    /** What the memory accesses a program runs hot need to be inlined: one checked load or store and its VarHandle. */
    private static final int INLINING_HEADROOM = 600;

    @Test
    void theFastPathStaysSmallEnoughForC2() throws IOException {
        Map<String, Integer> sizes = codeSizes("/org/ebpfosgi/interpreter/internal/Interpreter.class");
        int run = sizes.get("run");
        assertTrue(run < HUGE_METHOD_LIMIT - INLINING_HEADROOM, "Interpreter.run is " + run
                + " bytes of bytecode; C2 compiles none over " + HUGE_METHOD_LIMIT
                + " and needs room to inline its loads and stores: move rare cases to step()");
    }

    /** Bytecode length of each method of a class file (the last one of a name wins). */
    private static Map<String, Integer> codeSizes(String resource) throws IOException {
        try (InputStream raw = InterpreterShapeTest.class.getResourceAsStream(resource)) {
            DataInputStream in = new DataInputStream(raw);
            in.readInt(); // magic
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                    case 5, 6 -> {
                        in.skipBytes(8);
                        i++; // longs and doubles take two entries
                    }
                    case 7, 8, 16, 19, 20 -> in.skipBytes(2);
                    case 15 -> in.skipBytes(3);
                    default -> throw new IOException("constant pool tag " + tag);
                }
            }
            in.skipBytes(6); // access, this, super
            in.skipBytes(2 * in.readUnsignedShort()); // interfaces
            skipMembers(in); // fields
            Map<String, Integer> sizes = new HashMap<>();
            int methods = in.readUnsignedShort();
            for (int m = 0; m < methods; m++) {
                in.skipBytes(2);
                String name = utf8[in.readUnsignedShort()];
                in.skipBytes(2);
                int attributes = in.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    String attribute = utf8[in.readUnsignedShort()];
                    int length = in.readInt();
                    if (attribute.equals("Code")) {
                        in.skipBytes(4); // max_stack, max_locals
                        int code = in.readInt();
                        sizes.put(name, code);
                        in.skipBytes(length - 8);
                    } else {
                        in.skipBytes(length);
                    }
                }
            }
            return sizes;
        }
    }

    private static void skipMembers(DataInputStream in) throws IOException {
        int members = in.readUnsignedShort();
        for (int m = 0; m < members; m++) {
            in.skipBytes(6);
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                in.skipBytes(2);
                in.skipBytes(in.readInt());
            }
        }
    }
}

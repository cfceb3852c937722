package org.ebpfosgi.jit;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import org.ebpfosgi.interpreter.ConformancePlugin;

/**
 * The JIT as a bpf_conformance plugin ({@code bin/bpf-conformance-plugin-jit}): the same protocol as
 * the interpreter's {@link ConformancePlugin}, every program compiled to bytecode before it runs.
 */
public final class JitConformancePlugin {
    private JitConformancePlugin() {
    }

    public static void main(String[] args) throws IOException {
        int status = run(args, System.in, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws IOException {
        return ConformancePlugin.run(args, in, out, err, new JitEngine());
    }
}

package org.ebpfosgi.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The platform's shell: Gogo commands read line by line, from a terminal (with a {@code g! } prompt) or
 * from a pipe (scripts, tests). All lines run in one Gogo session; each result or error is printed.
 * It is deliberately not jline's shell: that one swallows Ctrl-C (which must stop the platform) and
 * spins on a dumb terminal. End of input leaves the platform running until it is stopped.
 */
final class PipeShell implements Runnable {
    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private final BundleContext context;
    private final InputStream in;
    private final PrintStream out;

    private final boolean prompt;

    PipeShell(BundleContext context, InputStream in, PrintStream out, boolean prompt) {
        this.context = context;
        this.in = in;
        this.out = out;
        this.prompt = prompt;
    }

    private void prompt() {
        if (prompt) {
            out.print("g! ");
            out.flush();
        }
    }

    @Override
    public void run() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            Object session = null;
            prompt();
            for (String line; (line = reader.readLine()) != null; prompt()) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (session == null) {
                    session = openSession();
                    if (session == null) {
                        out.println("shell: the Gogo command processor is not running");
                        continue;
                    }
                }
                execute(session, line);
            }
        } catch (IOException e) {
            out.println("shell: reading commands failed: " + e.getMessage());
        }
    }

    private Object openSession() {
        ServiceReference<?> ref = context.getServiceReference(PROCESSOR);
        if (ref == null) {
            return null;
        }
        Object processor = context.getService(ref);
        try {
            Method create = processor.getClass().getMethod("createSession", InputStream.class, java.io.OutputStream.class, java.io.OutputStream.class);
            return create.invoke(processor, InputStream.nullInputStream(), out, out);
        } catch (ReflectiveOperationException e) {
            out.println("shell: cannot open a Gogo session: " + e);
            return null;
        }
    }

    private void execute(Object session, String line) {
        try {
            Method execute = session.getClass().getMethod("execute", CharSequence.class);
            execute.setAccessible(true);
            Object result = execute.invoke(session, line);
            if (result != null) {
                Method format = session.getClass().getMethod("format", Object.class, int.class);
                format.setAccessible(true);
                out.println(format.invoke(session, result, 0));
            }
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            while (cause instanceof InvocationTargetException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            out.println("shell: " + line + ": " + cause);
            if (cause instanceof Error) {
                // A JVM error in a command is a bug worth a trace: where it happened, briefly.
                StackTraceElement[] trace = cause.getStackTrace();
                for (int i = 0; i < Math.min(12, trace.length); i++) {
                    out.println("    at " + trace[i]);
                }
            }
        } catch (ReflectiveOperationException e) {
            out.println("shell: " + e);
        }
        out.flush();
    }
}

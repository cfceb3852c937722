package org.ebpfosgi.api.runtime;

/** A program attached to a hook's attach point. */
public interface Link {
    enum State { ATTACHED, DETACHED }

    int id();
    Program program();
    String programType();
    String attachPoint();
    /** DETACHED while the hook's bundle is gone; attached again when it returns. */
    State state();
    /** Atomically swaps in another program: every event runs the old or the new one. */
    void replace(Program program);
    /** Detaches for good. */
    void close();
}

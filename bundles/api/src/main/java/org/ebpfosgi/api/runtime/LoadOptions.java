package org.ebpfosgi.api.runtime;

/**
 * How to load: which engine (null: the best registered), and whether to skip verification. The
 * unverified mode exists for bring-up and testing; it is off by default and such programs run under
 * an instruction budget.
 */
public final class LoadOptions {
    private final String engine;
    private final boolean unverified;

    private LoadOptions(String engine, boolean unverified) {
        this.engine = engine;
        this.unverified = unverified;
    }

    public static LoadOptions defaults() { return new LoadOptions(null, false); }
    public LoadOptions engine(String name) { return new LoadOptions(name, unverified); }
    public LoadOptions unverified(boolean on) { return new LoadOptions(engine, on); }
    public String engine() { return engine; }
    public boolean unverified() { return unverified; }
}

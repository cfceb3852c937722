package org.ebpfosgi.runtime;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.ebpfosgi.api.engine.ExecutionEngine;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.map.MapTypeProvider;
import org.ebpfosgi.api.program.ProgramTypeProvider;
import org.ebpfosgi.api.runtime.Inventory;
import org.ebpfosgi.api.verifier.Verifier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks every engine, verifier, program type, helper and map type as it comes and goes (whiteboard),
 * and says so in the log: the platform's own report of what a hot-deployed bundle added or took away.
 */
@Component(service = Inventory.class, immediate = true)
public final class PlatformInventory implements Inventory {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformInventory.class);

    private final Map<ExecutionEngine, String> engines = new ConcurrentHashMap<>();
    private final Map<Verifier, String> verifiers = new ConcurrentHashMap<>();
    private final Map<ProgramTypeProvider, String> programTypes = new ConcurrentHashMap<>();
    private final Map<Helper, String> helpers = new ConcurrentHashMap<>();
    private final Map<MapTypeProvider, String> mapTypes = new ConcurrentHashMap<>();
    private volatile boolean active;

    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        active = true;
        LOG.info("platform inventory: {}", summary());
    }

    /** One line: every kind of service and the names registered now. */
    public String summary() {
        return "engines " + engines() + ", verifiers " + verifiers() + ", program types " + programTypes()
                + ", map types " + mapTypes() + ", helpers " + helpers().size() + " " + helpers();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addEngine(ExecutionEngine engine) { added("engine", engines, engine, ExecutionEngine::name); }
    void removeEngine(ExecutionEngine engine) { removed("engine", engines, engine); }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addVerifier(Verifier verifier) { added("verifier", verifiers, verifier, Verifier::name); }
    void removeVerifier(Verifier verifier) { removed("verifier", verifiers, verifier); }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addProgramType(ProgramTypeProvider type) { added("program type", programTypes, type, ProgramTypeProvider::name); }
    void removeProgramType(ProgramTypeProvider type) { removed("program type", programTypes, type); }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addHelper(Helper helper) { added("helper", helpers, helper, PlatformInventory::helperName); }
    void removeHelper(Helper helper) { removed("helper", helpers, helper); }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addMapType(MapTypeProvider type) { added("map type", mapTypes, type, MapTypeProvider::name); }
    void removeMapType(MapTypeProvider type) { removed("map type", mapTypes, type); }

    static String helperName(Helper helper) {
        return helper.name() + (helper.id() == Helper.UNNUMBERED ? "(by name)" : "(" + helper.id() + ")");
    }

    private <T> void added(String kind, Map<T, String> registry, T service, Function<T, String> naming) {
        String name;
        try {
            name = naming.apply(service);
        } catch (RuntimeException e) {
            // A third-party service that cannot even name itself is reported, not trusted.
            LOG.warn("ignoring a {} whose name() failed: {}", kind, e.toString());
            return;
        }
        registry.put(service, name);
        if (active) {
            LOG.info("registered {} {}", kind, name);
        }
    }

    private <T> void removed(String kind, Map<T, String> registry, T service) {
        String name = registry.remove(service);
        if (name != null && active && !frameworkStopping()) {
            LOG.info("unregistered {} {}", kind, name);
        }
    }

    /** While the whole framework stops, every service goes: that is not news worth a line each. */
    private boolean frameworkStopping() {
        try {
            return context.getBundle(0).getState() == Bundle.STOPPING;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    private static <T> List<String> names(Map<T, String> registry) {
        return registry.values().stream().sorted().toList();
    }

    @Override public List<String> engines() { return names(engines); }
    @Override public List<String> verifiers() { return names(verifiers); }
    @Override public List<String> programTypes() { return names(programTypes); }
    @Override public List<String> helpers() { return names(helpers); }
    @Override public List<String> mapTypes() { return names(mapTypes); }
}

package org.ebpfosgi.runtime.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.ebpfosgi.api.engine.ExecutableProgram;
import org.ebpfosgi.api.engine.ExecutionEngine;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.map.MapOfMaps;
import org.ebpfosgi.api.map.MapTypeProvider;
import org.ebpfosgi.api.map.ObjectIds;
import org.ebpfosgi.api.map.ProgramArrayMap;
import org.ebpfosgi.api.program.ContextDescriptor;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.api.program.ProgramTypeProvider;
import org.ebpfosgi.api.runtime.EbpfObject;
import org.ebpfosgi.api.runtime.EbpfRuntime;
import org.ebpfosgi.api.runtime.Inventory;
import org.ebpfosgi.api.runtime.Link;
import org.ebpfosgi.api.runtime.LoadException;
import org.ebpfosgi.api.runtime.LoadOptions;
import org.ebpfosgi.api.runtime.ObjectFormatException;
import org.ebpfosgi.api.runtime.Program;
import org.ebpfosgi.api.verifier.VerificationResult;
import org.ebpfosgi.api.verifier.Verifier;
import org.ebpfosgi.runtime.loader.LinuxSectionTypes;
import org.ebpfosgi.runtime.loader.ObjectLoader;
import org.ebpfosgi.runtime.loader.ParsedObject;
import org.ebpfosgi.runtime.loader.ParsedProgram;
import org.ebpfosgi.runtime.loader.SectionTypeResolver;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime: objects in, programs, maps, links and pins out, built from whatever engines,
 * verifiers, map types, helpers and program types are registered right now (whiteboard). Also usable
 * without OSGi: construct it and call the {@code add...} methods.
 */
@Component(service = EbpfRuntime.class, immediate = true)
public final class DefaultRuntime implements EbpfRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultRuntime.class);
    /** libbpf's default pin root: maps with {@code LIBBPF_PIN_BY_NAME} are pinned at PIN_ROOT + name. */
    public static final String PIN_ROOT = "/sys/fs/bpf/";
    private static final int CALL = 0x85;
    private static final int LDDW = 0x18;

    private record Ranked<T>(T service, int ranking) {
    }

    private record Slot(ProgramArrayMap array, int index) {
    }

    private final List<Ranked<ExecutionEngine>> engines = new CopyOnWriteArrayList<>();
    private final List<Ranked<Verifier>> verifiers = new CopyOnWriteArrayList<>();
    private final List<Ranked<Helper>> helpers = new CopyOnWriteArrayList<>();
    private final List<MapTypeProvider> mapTypes = new CopyOnWriteArrayList<>();
    private final List<ProgramTypeProvider> programTypes = new CopyOnWriteArrayList<>();
    private final Map<Integer, LoadedProgram> programs = new ConcurrentHashMap<>();
    private final Map<Integer, EbpfMap> maps = new ConcurrentHashMap<>();
    private final Map<Integer, RuntimeLink> links = new ConcurrentHashMap<>();
    private final Map<String, Object> pins = new ConcurrentHashMap<>();
    private final Map<LoadedProgram, String> engineOf = new ConcurrentHashMap<>();
    /** Program-array slots emptied while their program has no runnable form; refilled when it gets one back. */
    private final Map<LoadedProgram, List<Slot>> parkedSlots = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private volatile Inventory inventory;

    // ---- services (whiteboard) ----

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void addEngine(ExecutionEngine engine, Map<String, Object> properties) {
        engines.add(new Ranked<>(engine, ranking(properties)));
        resolveAll();
    }

    public void removeEngine(ExecutionEngine engine) {
        engines.removeIf(r -> r.service() == engine);
        resolveAll();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void addVerifier(Verifier verifier, Map<String, Object> properties) {
        verifiers.add(new Ranked<>(verifier, ranking(properties)));
        resolveAll();
    }

    public void removeVerifier(Verifier verifier) {
        verifiers.removeIf(r -> r.service() == verifier);
        resolveAll();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void addHelper(Helper helper, Map<String, Object> properties) {
        helpers.add(new Ranked<>(helper, ranking(properties)));
        resolveAll();
    }

    public void removeHelper(Helper helper) {
        helpers.removeIf(r -> r.service() == helper);
        resolveAll();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void addMapType(MapTypeProvider type) {
        mapTypes.add(type);
    }

    public void removeMapType(MapTypeProvider type) {
        mapTypes.remove(type);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void addProgramType(ProgramTypeProvider type) {
        programTypes.add(type);
        for (RuntimeLink link : links.values()) {
            if (link.programType().equals(type.name())) {
                attachQuietly(link, type);
            }
        }
    }

    public void removeProgramType(ProgramTypeProvider type) {
        programTypes.remove(type);
        for (RuntimeLink link : links.values()) {
            if (link.programType().equals(type.name())) {
                link.hookGone();
                LOG.info("link {} detached: program type {} went away", link.id(), type.name());
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public void setInventory(Inventory inventory) {
        this.inventory = inventory;
    }

    public void unsetInventory(Inventory inventory) {
        if (this.inventory == inventory) {
            this.inventory = null;
        }
    }

    private static int ranking(Map<String, Object> properties) {
        Object value = properties == null ? null : properties.get(Constants.SERVICE_RANKING);
        return value instanceof Integer ? (Integer) value : 0;
    }

    // ---- objects ----

    @Override
    public EbpfObject open(String name, byte[] elf) throws ObjectFormatException {
        return ObjectLoader.parse(name, elf, sectionTypes());
    }

    private SectionTypeResolver sectionTypes() {
        SectionTypeResolver provided = section -> {
            for (ProgramTypeProvider type : programTypes) {
                if (type.matchesSection(section)) {
                    return type.name();
                }
            }
            return null;
        };
        return provided.orElse(LinuxSectionTypes.instance());
    }

    @Override
    public synchronized List<Program> load(EbpfObject object, LoadOptions options) throws LoadException {
        if (!(object instanceof ParsedObject)) {
            throw new IllegalArgumentException("not an object opened by this runtime: " + object);
        }
        ParsedObject parsed = (ParsedObject) object;
        List<Integer> createdMaps = new ArrayList<>();
        List<String> createdPins = new ArrayList<>();
        List<LoadedProgram> loaded = new ArrayList<>();
        try {
            List<EbpfMap> objectMaps = createMaps(parsed, createdMaps, createdPins);
            for (ParsedProgram program : parsed.parsedPrograms()) {
                loaded.add(loadProgram(parsed, program, objectMaps, options));
            }
            fillInitialSlots(parsed, objectMaps, loaded);
            for (LoadedProgram program : loaded) {
                programs.put(program.id(), program);
            }
            LOG.info("loaded {}: programs {}, maps {}", parsed.name(),
                    loaded.stream().map(p -> p.name() + " (" + p.status() + ")").toList(),
                    parsed.maps().stream().map(MapDefinition::name).toList());
            return List.copyOf(loaded);
        } catch (LoadException | RuntimeException e) {
            // All or nothing, as libbpf's object load: undo what this call created.
            for (LoadedProgram program : loaded) {
                program.install(null, "unloaded");
                engineOf.remove(program);
                parkedSlots.remove(program);
            }
            createdPins.forEach(pins::remove);
            for (Integer id : createdMaps) {
                EbpfMap map = maps.remove(id);
                if (map != null) {
                    map.close();
                }
            }
            if (e instanceof MapException) {
                throw new LoadException("map creation failed: " + e.getMessage() + " (errno " + ((MapException) e).errno() + ")");
            }
            throw e;
        }
    }

    private List<EbpfMap> createMaps(ParsedObject parsed, List<Integer> created, List<String> createdPins) throws LoadException {
        List<EbpfMap> objectMaps = new ArrayList<>();
        for (int i = 0; i < parsed.maps().size(); i++) {
            MapDefinition definition = legacyMapInMapFixup(parsed.maps().get(i));
            String pinPath = definition.pinning() == MapDefinition.Pinning.BY_NAME ? PIN_ROOT + definition.name() : null;
            Object pinned = pinPath == null ? null : pins.get(pinPath);
            if (pinned != null) {
                if (!(pinned instanceof EbpfMap) || !compatible(((EbpfMap) pinned).definition(), definition)) {
                    throw new LoadException("cannot reuse the map pinned at " + pinPath + ": it is " + describePinned(pinned)
                            + ", the object declares " + definition);
                }
                objectMaps.add((EbpfMap) pinned);
                continue;
            }
            EbpfMap map = mapType(definition).create(definition);
            int id = nextId.getAndIncrement();
            maps.put(id, map);
            created.add(id);
            wireIds(map);
            if (parsed.isGlobalData(i)) {
                map.update(new byte[4], parsed.initialValue(i), EbpfMap.ANY);
            }
            if (pinPath != null) {
                pins.put(pinPath, map);
                createdPins.add(pinPath);
            }
            objectMaps.add(map);
        }
        return objectMaps;
    }

    /** Legacy {@code maps}-section maps of maps often say value_size 0: bpf_load.c always created them with 4 (an fd). */
    private static MapDefinition legacyMapInMapFixup(MapDefinition d) {
        boolean mapOfMaps = d.type() == 12 || d.type() == 13;
        return mapOfMaps && d.valueSize() == 0
                ? new MapDefinition(d.name(), d.type(), d.keySize(), 4, d.maxEntries(), d.flags(), d.pinning(), d.innerMap())
                : d;
    }

    private static boolean compatible(MapDefinition pinned, MapDefinition declared) {
        return pinned.type() == declared.type() && pinned.keySize() == declared.keySize()
                && pinned.valueSize() == declared.valueSize() && pinned.maxEntries() == declared.maxEntries()
                && pinned.flags() == declared.flags();
    }

    private static String describePinned(Object pinned) {
        return pinned instanceof EbpfMap ? ((EbpfMap) pinned).definition().toString() : "a program";
    }

    private MapTypeProvider mapType(MapDefinition definition) throws LoadException {
        MapTypeProvider provider = providerOf(definition);
        if (provider == null) {
            throw new LoadException("map '" + definition.name() + "' needs map type " + definition.type()
                    + ", which no registered map type provides");
        }
        return provider;
    }

    private MapTypeProvider providerOf(MapDefinition definition) {
        for (MapTypeProvider provider : mapTypes) {
            if (provider.type() == definition.type()) {
                return provider;
            }
        }
        return null;
    }

    private void wireIds(EbpfMap map) {
        if (map instanceof ProgramArrayMap) {
            ((ProgramArrayMap) map).setIdResolver(new ObjectIds<>() {
                @Override
                public Object byId(int id) {
                    LoadedProgram p = programs.get(id);
                    return p == null || p.executable() == null ? null : ((CountingProgram) p.executable()).engineProgram();
                }

                @Override
                public int idOf(Object program) {
                    for (LoadedProgram p : programs.values()) {
                        ExecutableProgram e = p.executable();
                        if (e != null && ((CountingProgram) e).engineProgram() == program) {
                            return p.id();
                        }
                    }
                    return 0;
                }
            });
        } else if (map instanceof MapOfMaps) {
            ((MapOfMaps) map).setIdResolver(new ObjectIds<>() {
                @Override
                public EbpfMap byId(int id) {
                    return maps.get(id);
                }

                @Override
                public int idOf(EbpfMap inner) {
                    return mapId(inner);
                }
            });
        }
    }

    private LoadedProgram loadProgram(ParsedObject object, ParsedProgram parsed, List<EbpfMap> objectMaps, LoadOptions options)
            throws LoadException {
        ProgramImage image = imageOf(parsed, objectMaps);
        Set<Integer> ids = helperIds(image);
        boolean verify = !options.unverified();
        ProgramImage proven = null;
        boolean terminates = false;
        if (verify) {
            Verifier verifier = best(verifiers);
            if (verifier == null) {
                throw new LoadException("program " + parsed.name() + ": no verifier is registered; load with the unverified"
                        + " option (LoadOptions.unverified(true)) to run it on the interpreter without a proof of safety");
            }
            ProgramImage resolved = resolvedOrDeclared(image, List.copyOf(ids), parsed.helperNames());
            if (resolved.helpers().size() == ids.size() && resolved.namedHelpers().size() == parsed.helperNames().size()) {
                VerificationResult result = verifier.verify(resolved);
                if (!result.accepted()) {
                    throw new LoadException("program " + parsed.name() + " was rejected by the verifier:\n" + result.report(), result);
                }
                proven = resolved;
                terminates = result.terminationProven();
                if (!terminates) {
                    LOG.info("{}: accepted, but termination is not proven; its runs keep the instruction budget:\n{}",
                            parsed.name(), result.report());
                }
            }
            // Otherwise a helper it calls is not registered yet: it is verified when its helpers are there (resolve).
        }
        LoadedProgram program = new LoadedProgram(nextId.getAndIncrement(), parsed.name(), image.programType(), image, List.copyOf(ids),
                parsed.helperNames(), verify, this);
        if (proven != null) {
            program.proven(proven, terminates);
        }
        if (options.engine() != null) {
            engineOf.put(program, options.engine());
            if (engine(options.engine()) == null) {
                throw new LoadException("program " + parsed.name() + ": no execution engine named '" + options.engine() + "' is registered");
            }
        }
        resolve(program);
        return program;
    }

    /** The program's image over the object's maps, with the context of its program type. */
    private ProgramImage imageOf(ParsedProgram parsed, List<EbpfMap> objectMaps) throws LoadException {
        String type = parsed.programType();
        if (type == null) {
            throw new LoadException("program " + parsed.name() + ": section '" + parsed.section() + "' selects no known program type");
        }
        ProgramTypeProvider provider = programTypeProvider(type);
        ContextDescriptor context = provider != null ? provider.context() : LinuxContexts.of(type);
        return new ProgramImage(parsed.name(), type, context, parsed.instructions(), objectMaps, Map.of(), List.of());
    }

    /** The helper ids the program's calls name. */
    private static Set<Integer> helperIds(ProgramImage image) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (int pc = 0; pc < image.length(); pc++) {
            long word = image.instruction(pc);
            int opcode = (int) (word & 0xFF);
            if (opcode == CALL && ((word >>> 12) & 0xF) == 0) {
                ids.add((int) (word >>> 32));
            } else if (opcode == LDDW) {
                pc++;
            }
        }
        return ids;
    }

    @Override
    public synchronized VerificationResult verify(EbpfObject object, String program) throws LoadException {
        if (!(object instanceof ParsedObject)) {
            throw new IllegalArgumentException("not an object opened by this runtime: " + object);
        }
        ParsedObject parsed = (ParsedObject) object;
        ParsedProgram target = parsed.parsedPrograms().stream().filter(p -> p.name().equals(program)).findFirst()
                .orElseThrow(() -> new LoadException(parsed.name() + " has no program named '" + program + "'; it has "
                        + parsed.parsedPrograms().stream().map(ParsedProgram::name).toList()));
        Verifier verifier = best(verifiers);
        if (verifier == null) {
            throw new LoadException("no verifier is registered");
        }
        // Maps of their declared shapes, for the analysis only: nothing is registered or pinned.
        List<EbpfMap> scratch = new ArrayList<>();
        try {
            for (MapDefinition declared : parsed.maps()) {
                MapDefinition definition = legacyMapInMapFixup(declared);
                MapTypeProvider provider = providerOf(definition);
                scratch.add(provider != null ? provider.create(definition) : new DeclaredMap(definition));
            }
            // A program whose section names no known type is verified with a socket buffer context, as PREVAIL does.
            ProgramImage image = target.programType() != null ? imageOf(target, scratch)
                    : new ProgramImage(target.name(), "unspec", LinuxContexts.of("socket_filter"), target.instructions(),
                            scratch, Map.of(), List.of());
            return verifier.verify(resolvedOrDeclared(image, List.copyOf(helperIds(image)), target.helperNames()));
        } catch (MapException e) {
            throw new LoadException("map creation failed: " + e.getMessage() + " (errno " + e.errno() + ")");
        } finally {
            scratch.forEach(EbpfMap::close);
        }
    }

    /** The image with whatever helpers are registered now (missing ones left out: the verifier reports them). */
    private ProgramImage resolvedOrDeclared(ProgramImage image, List<Integer> ids, List<String> names) {
        Map<Integer, Helper> byId = new HashMap<>();
        for (int id : ids) {
            Helper h = helperById(id);
            if (h != null) {
                byId.put(id, h);
            }
        }
        List<Helper> byName = new ArrayList<>();
        for (String name : names) {
            Helper h = helperByName(name);
            if (h == null) {
                return image.withHelpers(byId, List.of());
            }
            byName.add(h);
        }
        return image.withHelpers(byId, byName);
    }

    /** Gives a program its runnable form with the helpers registered now, or the reason it has none. */
    private void resolve(LoadedProgram program) {
        List<String> missing = new ArrayList<>();
        Map<Integer, Helper> byId = new TreeMap<>();
        for (int id : program.helperIds()) {
            Helper h = helperById(id);
            if (h == null) {
                missing.add("helper " + LinuxHelperNames.describe(id));
            } else {
                byId.put(id, h);
            }
        }
        List<Helper> byName = new ArrayList<>();
        for (String name : program.helperNames()) {
            Helper h = helperByName(name);
            if (h == null) {
                missing.add("helper " + name);
            } else {
                byName.add(h);
            }
        }
        ExecutableProgram before = program.executable();
        ExecutableProgram previousEngineProgram = before == null ? null : ((CountingProgram) before).engineProgram();
        String wanted = engineOf.get(program);
        ExecutionEngine engine = wanted != null ? engine(wanted) : best(engines);
        if (!missing.isEmpty()) {
            install(program, previousEngineProgram, null, "waiting for " + String.join(", ", missing));
            return;
        }
        if (engine == null) {
            install(program, previousEngineProgram, null, "waiting for execution engine " + (wanted != null ? wanted : "(any)"));
            return;
        }
        ProgramImage image = program.unresolvedImage().withHelpers(byId, byName);
        if (previousEngineProgram != null && sameHelpers(previousEngineProgram.image(), image)) {
            return;
        }
        if (program.verified() && (program.proven() == null || !sameHelpers(program.proven(), image))) {
            // Proven against other helpers, or not yet: the proof must be about the helpers it will call.
            Verifier verifier = best(verifiers);
            if (verifier == null) {
                install(program, previousEngineProgram, null, "waiting for a verifier");
                return;
            }
            VerificationResult result = verifier.verify(image);
            if (!result.accepted()) {
                LOG.warn("{} was rejected by the verifier with the helpers registered now:\n{}", program.name(), result.report());
                install(program, previousEngineProgram, null, "rejected by the verifier: "
                        + result.diagnostics().stream().filter(d -> d.severity() == org.ebpfosgi.api.verifier.Diagnostic.Severity.ERROR)
                                .findFirst().map(Object::toString).orElse(result.report()));
                return;
            }
            program.proven(image, result.terminationProven());
        }
        try {
            // Only a proof of termination lets an engine drop the instruction budget.
            ExecutableProgram executable = engine.load(image, program.verified() && program.terminationProven());
            install(program, previousEngineProgram, executable,
                    (program.verified() ? "loaded" : "loaded unverified") + " (" + engine.name()
                            + (program.verified() && !program.terminationProven() ? ", budgeted" : "") + ")");
        } catch (RuntimeException e) {
            install(program, previousEngineProgram, null, "engine " + engine.name() + " refused it: " + e.getMessage());
        }
    }

    private static boolean sameHelpers(ProgramImage a, ProgramImage b) {
        if (!a.helpers().keySet().equals(b.helpers().keySet()) || a.namedHelpers().size() != b.namedHelpers().size()) {
            return false;
        }
        for (Map.Entry<Integer, Helper> e : a.helpers().entrySet()) {
            if (b.helpers().get(e.getKey()) != e.getValue()) {
                return false;
            }
        }
        for (int i = 0; i < a.namedHelpers().size(); i++) {
            if (a.namedHelpers().get(i) != b.namedHelpers().get(i)) {
                return false;
            }
        }
        return true;
    }

    private void install(LoadedProgram program, ExecutableProgram previous, ExecutableProgram executable, String status) {
        String before = program.status();
        program.install(executable, status);
        // Program arrays hold engine programs: move every slot that held the old one to the new one. A
        // program losing its runnable form parks its slots (tail calls fall through meanwhile) and gets
        // them back with its next runnable form, unless Java put another program there in between.
        for (EbpfMap map : maps.values()) {
            if (map instanceof ProgramArrayMap && previous != null) {
                ProgramArrayMap array = (ProgramArrayMap) map;
                for (int i = 0; i < array.definition().maxEntries(); i++) {
                    if (array.program(i) == previous) {
                        array.setProgram(i, executable);
                        if (executable == null) {
                            parkedSlots.computeIfAbsent(program, p -> new CopyOnWriteArrayList<>()).add(new Slot(array, i));
                        }
                    }
                }
            }
        }
        List<Slot> parked = executable == null ? null : parkedSlots.remove(program);
        if (parked != null) {
            for (Slot slot : parked) {
                if (slot.array().program(slot.index()) == null && mapId(slot.array()) != 0) {
                    slot.array().setProgram(slot.index(), executable);
                }
            }
        }
        if (before != null && !before.equals(status)) {
            LOG.info("program {} ({}): {}", program.id(), program.name(), status);
        }
    }

    private synchronized void resolveAll() {
        for (LoadedProgram program : programs.values()) {
            resolve(program);
        }
    }

    private void fillInitialSlots(ParsedObject parsed, List<EbpfMap> objectMaps, List<LoadedProgram> loaded) throws LoadException {
        for (int i = 0; i < objectMaps.size(); i++) {
            EbpfMap map = objectMaps.get(i);
            for (Map.Entry<Integer, String> slot : parsed.initialSlots(i).entrySet()) {
                byte[] key = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(slot.getKey()).array();
                if (map instanceof ProgramArrayMap) {
                    LoadedProgram target = loaded.stream().filter(p -> p.name().equals(slot.getValue())).findFirst()
                            .orElseThrow(() -> new LoadException("program array '" + map.definition().name() + "' slot "
                                    + slot.getKey() + " names program '" + slot.getValue() + "', which the object lacks"));
                    ExecutableProgram e = target.executable();
                    ((ProgramArrayMap) map).setProgram(slot.getKey(), e == null ? null : ((CountingProgram) e).engineProgram());
                    if (e == null) {
                        parkedSlots.computeIfAbsent(target, p -> new CopyOnWriteArrayList<>())
                                .add(new Slot((ProgramArrayMap) map, slot.getKey()));
                    }
                } else if (map instanceof MapOfMaps) {
                    int inner = parsed.mapIndex(slot.getValue());
                    if (inner < 0) {
                        throw new LoadException("map '" + map.definition().name() + "' slot " + slot.getKey() + " names map '"
                                + slot.getValue() + "', which the object lacks");
                    }
                    ((MapOfMaps) map).setInnerMap(key, objectMaps.get(inner), EbpfMap.ANY);
                }
            }
        }
    }

    // ---- lookups ----

    ProgramTypeProvider programTypeProvider(String name) {
        for (ProgramTypeProvider type : programTypes) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return null;
    }

    private ExecutionEngine engine(String name) {
        for (Ranked<ExecutionEngine> e : engines) {
            if (e.service().name().equals(name)) {
                return e.service();
            }
        }
        return null;
    }

    private static <T> T best(List<Ranked<T>> services) {
        return services.stream().max(Comparator.comparingInt(Ranked<T>::ranking)).map(Ranked::service).orElse(null);
    }

    private Helper helperById(int id) {
        Ranked<Helper> best = null;
        for (Ranked<Helper> h : helpers) {
            if (h.service().id() == id && (best == null || h.ranking() > best.ranking())) {
                best = h;
            }
        }
        return best == null ? null : best.service();
    }

    private Helper helperByName(String name) {
        Ranked<Helper> best = null;
        for (Ranked<Helper> h : helpers) {
            if (h.service().name().equals(name) && (best == null || h.ranking() > best.ranking())) {
                best = h;
            }
        }
        return best == null ? null : best.service();
    }

    boolean owns(LoadedProgram program) {
        return programs.get(program.id()) == program;
    }

    @Override
    public Optional<EbpfMap> map(int id) {
        return Optional.ofNullable(maps.get(id));
    }

    @Override
    public int mapId(EbpfMap map) {
        for (Map.Entry<Integer, EbpfMap> e : maps.entrySet()) {
            if (e.getValue() == map) {
                return e.getKey();
            }
        }
        return 0;
    }

    /** Live maps by id, in id order. */
    private Map<Integer, EbpfMap> mapsById() {
        return new TreeMap<>(maps);
    }

    // ---- EbpfRuntime ----

    @Override
    public List<Program> programs() {
        return programs.values().stream().sorted(Comparator.comparingInt(Program::id)).map(p -> (Program) p).toList();
    }

    @Override
    public Optional<Program> program(int id) {
        return Optional.ofNullable(programs.get(id));
    }

    @Override
    public List<EbpfMap> maps() {
        return List.copyOf(mapsById().values());
    }

    @Override
    public List<Link> links() {
        return links.values().stream().sorted(Comparator.comparingInt(Link::id)).map(l -> (Link) l).toList();
    }

    @Override
    public Link attach(Program program, String attachPoint) throws LoadException {
        if (!(program instanceof LoadedProgram) || !owns((LoadedProgram) program)) {
            throw new IllegalArgumentException("not a loaded program of this runtime: " + program);
        }
        ProgramTypeProvider hook = programTypeProvider(program.programType());
        if (hook == null) {
            throw new LoadException("no hook for program type '" + program.programType() + "' is registered: its programs can be"
                    + " loaded, verified and test-run, not attached");
        }
        if (!hook.attachPoints().contains(attachPoint)) {
            throw new LoadException("program type " + hook.name() + " has no attach point '" + attachPoint + "'; it offers "
                    + hook.attachPoints());
        }
        RuntimeLink link = new RuntimeLink(nextId.getAndIncrement(), (LoadedProgram) program, attachPoint, this);
        try {
            link.attachTo(hook);
        } catch (Exception e) {
            throw new LoadException("attaching " + program.name() + " to " + attachPoint + " failed: " + e.getMessage());
        }
        links.put(link.id(), link);
        return link;
    }

    private void attachQuietly(RuntimeLink link, ProgramTypeProvider hook) {
        try {
            link.attachTo(hook);
            LOG.info("link {} attached again to {}", link.id(), link.attachPoint());
        } catch (Exception e) {
            LOG.warn("link {}: re-attaching to {} failed: {}", link.id(), link.attachPoint(), e.toString());
        }
    }

    void forget(RuntimeLink link) {
        links.remove(link.id());
    }

    @Override
    public void pin(String path, Object programOrMap) {
        String normalized = checkPinPath(path);
        if (!(programOrMap instanceof LoadedProgram && owns((LoadedProgram) programOrMap))
                && !(programOrMap instanceof EbpfMap && mapId((EbpfMap) programOrMap) != 0)) {
            throw new IllegalArgumentException("only live programs and maps of this runtime can be pinned, not " + programOrMap);
        }
        Object previous = pins.putIfAbsent(normalized, programOrMap);
        if (previous != null && previous != programOrMap) {
            throw new IllegalStateException("'" + normalized + "' is already pinned (EEXIST)");
        }
    }

    @Override
    public Optional<Object> pinned(String path) {
        return Optional.ofNullable(pins.get(checkPinPath(path)));
    }

    @Override
    public synchronized void unpin(String path) {
        if (pins.remove(checkPinPath(path)) == null) {
            throw new IllegalStateException("nothing is pinned at '" + path + "' (ENOENT)");
        }
        releaseUnheldMaps();
    }

    /** Pin paths are absolute, without empty, "." or ".." components (bpffs style). */
    static String checkPinPath(String path) {
        if (path == null || !path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
            throw new IllegalArgumentException("a pin path is absolute and names a file, e.g. /sys/fs/bpf/my_map; got '" + path + "'");
        }
        for (String part : path.substring(1).split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("pin path '" + path + "' has an empty, '.' or '..' component");
            }
        }
        return path;
    }

    @Override
    public synchronized void unload(Program program) {
        if (!(program instanceof LoadedProgram) || !owns((LoadedProgram) program)) {
            throw new IllegalArgumentException("not a loaded program of this runtime: " + program);
        }
        for (RuntimeLink link : List.copyOf(links.values())) {
            if (link.program() == program) {
                link.close();
            }
        }
        pins.values().removeIf(p -> p == program);
        programs.remove(program.id());
        engineOf.remove(program);
        LoadedProgram loaded = (LoadedProgram) program;
        ExecutableProgram e = loaded.executable();
        install(loaded, e == null ? null : ((CountingProgram) e).engineProgram(), null, "unloaded");
        parkedSlots.remove(loaded);
        releaseUnheldMaps();
    }

    /**
     * Closes and forgets the maps nothing holds any more. Linux frees a map when its last reference goes;
     * here a map is held by a loaded program whose object declared it (libbpf's object owns its maps),
     * by a pin, or by a held map of maps that contains it. A closed program array empties its slots, so
     * it holds no program either.
     */
    private void releaseUnheldMaps() {
        Set<EbpfMap> held = Collections.newSetFromMap(new IdentityHashMap<>());
        for (LoadedProgram program : programs.values()) {
            held.addAll(program.unresolvedImage().maps());
        }
        for (Object pinned : pins.values()) {
            if (pinned instanceof EbpfMap) {
                held.add((EbpfMap) pinned);
            }
        }
        for (EbpfMap map : List.copyOf(held)) {
            if (map instanceof MapOfMaps) { // maps of maps do not nest: one level
                for (byte[] key = map.nextKey(null).orElse(null); key != null; key = map.nextKey(key).orElse(null)) {
                    EbpfMap inner = ((MapOfMaps) map).innerMap(key);
                    if (inner != null) {
                        held.add(inner);
                    }
                }
            }
        }
        for (Map.Entry<Integer, EbpfMap> entry : List.copyOf(maps.entrySet())) {
            if (!held.contains(entry.getValue())) {
                maps.remove(entry.getKey());
                entry.getValue().close();
                LOG.info("released map {} (id {}): no program, pin or map of maps holds it", entry.getValue().definition().name(), entry.getKey());
            }
        }
    }

    @Override
    public Inventory inventory() {
        Inventory current = inventory;
        if (current == null) {
            throw new IllegalStateException("the inventory service is not running");
        }
        return current;
    }
}

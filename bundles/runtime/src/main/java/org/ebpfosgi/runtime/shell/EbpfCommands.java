package org.ebpfosgi.runtime.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.runtime.EbpfObject;
import org.ebpfosgi.api.runtime.EbpfRuntime;
import org.ebpfosgi.api.runtime.Link;
import org.ebpfosgi.api.runtime.LoadException;
import org.ebpfosgi.api.runtime.LoadOptions;
import org.ebpfosgi.api.runtime.ObjectFormatException;
import org.ebpfosgi.api.runtime.Program;
import org.ebpfosgi.api.runtime.ProgramSpec;
import org.ebpfosgi.api.runtime.ProgramStats;
import org.ebpfosgi.api.runtime.TestRunResult;
import org.ebpfosgi.api.verifier.VerificationResult;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands in the style of bpftool: {@code ebpf:prog load|show|run|pin|unload},
 * {@code ebpf:map show|dump|lookup|update|delete|pin}, {@code ebpf:link show}. Errors come back as a
 * one-line message, never a stack trace.
 */
@Component(service = EbpfCommands.class, property = {
        "osgi.command.scope=ebpf",
        "osgi.command.function=prog",
        "osgi.command.function=map",
        "osgi.command.function=link"})
public final class EbpfCommands {
    static final String PROG_USAGE = String.join("\n",
            "usage: prog load FILE [unverified] [engine NAME]",
            "       prog verify FILE [PROGRAM]",
            "       prog show [ID]",
            "       prog run ID [data HEX] [ctx HEX] [repeat N]",
            "       prog pin ID PATH | prog unload ID");
    static final String MAP_USAGE = String.join("\n",
            "usage: map show [ID]",
            "       map dump ID",
            "       map lookup ID key HEX",
            "       map update ID key HEX value HEX [any|noexist|exist]",
            "       map delete ID key HEX",
            "       map pin ID PATH");

    @Reference
    private EbpfRuntime runtime;

    public EbpfCommands() {
    }

    /** For tests and embedding without DS. */
    public EbpfCommands(EbpfRuntime runtime) {
        this.runtime = runtime;
    }

    public String prog(String... args) {
        try {
            if (args.length == 0) {
                return PROG_USAGE;
            }
            switch (args[0]) {
                case "load": return progLoad(args);
                case "verify": return progVerify(args);
                case "show": case "list": return progShow(args);
                case "run": return progRun(args);
                case "pin": return pin(args, program(args, 1));
                case "unload": {
                    Program p = program(args, 1);
                    runtime.unload(p);
                    return "unloaded " + p.id() + " (" + p.name() + ")";
                }
                default: return "prog: unknown command '" + args[0] + "'\n" + PROG_USAGE;
            }
        } catch (IllegalArgumentException | IllegalStateException | LoadException | ObjectFormatException | MapException e) {
            return "prog: " + e.getMessage();
        } catch (java.io.IOException e) {
            return "prog: cannot read " + e.getMessage();
        } catch (RuntimeException e) {
            return "prog: " + e;
        }
    }

    public String map(String... args) {
        try {
            if (args.length == 0) {
                return MAP_USAGE;
            }
            switch (args[0]) {
                case "show": case "list": return mapShow(args);
                case "dump": return mapDump(map(args, 1));
                case "lookup": {
                    EbpfMap m = map(args, 1);
                    byte[] key = Hex.parse(option(args, "key", null, true));
                    Optional<byte[]> value = m.lookup(key);
                    return value.map(v -> "key: " + Hex.format(key) + "  value: " + Hex.format(v))
                            .orElse("map " + args[1] + ": key " + Hex.format(key) + " not found (ENOENT)");
                }
                case "update": {
                    EbpfMap m = map(args, 1);
                    byte[] key = Hex.parse(option(args, "key", null, true));
                    byte[] value = Hex.parse(option(args, "value", null, true));
                    long flags = EbpfMap.ANY;
                    for (String a : args) {
                        if (a.equals("noexist")) flags = EbpfMap.NOEXIST;
                        if (a.equals("exist")) flags = EbpfMap.EXIST;
                    }
                    m.update(key, value, flags);
                    return "updated";
                }
                case "delete": {
                    EbpfMap m = map(args, 1);
                    m.delete(Hex.parse(option(args, "key", null, true)));
                    return "deleted";
                }
                case "pin": return pin(args, map(args, 1));
                default: return "map: unknown command '" + args[0] + "'\n" + MAP_USAGE;
            }
        } catch (MapException e) {
            return "map: " + e.getMessage() + " (errno " + e.errno() + ")";
        } catch (IllegalArgumentException | IllegalStateException e) {
            return "map: " + e.getMessage();
        } catch (RuntimeException e) {
            return "map: " + e;
        }
    }

    public String link(String... args) {
        if (args.length > 0 && !args[0].equals("show") && !args[0].equals("list")) {
            return "link: unknown command '" + args[0] + "'\nusage: link show";
        }
        List<String> lines = new ArrayList<>();
        for (Link l : runtime.links()) {
            lines.add(l.id() + ": " + l.programType() + "  prog " + l.program().id() + "  attach " + l.attachPoint()
                    + "  " + l.state().name().toLowerCase());
        }
        return lines.isEmpty() ? "no links" : String.join("\n", lines);
    }

    private String progLoad(String[] args) throws java.io.IOException, ObjectFormatException, LoadException {
        if (args.length < 2) {
            throw new IllegalArgumentException("prog load needs a FILE\n" + PROG_USAGE);
        }
        Path file = Path.of(args[1]);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file.toAbsolutePath());
        }
        LoadOptions options = LoadOptions.defaults();
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("unverified")) {
                options = options.unverified(true);
            } else if (args[i].equals("engine") && i + 1 < args.length) {
                options = options.engine(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown load option '" + args[i] + "'");
            }
        }
        EbpfObject object = runtime.open(file);
        List<String> lines = new ArrayList<>();
        for (Program p : runtime.load(object, options)) {
            lines.add(describe(p));
        }
        return String.join("\n", lines);
    }

    /** The verifier's report on each program of an object (or one), loading nothing: bpftool's verifier log. */
    private String progVerify(String[] args) throws java.io.IOException, ObjectFormatException, LoadException {
        if (args.length < 2 || args.length > 3) {
            throw new IllegalArgumentException("prog verify needs a FILE and at most one PROGRAM name\n" + PROG_USAGE);
        }
        Path file = Path.of(args[1]);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file.toAbsolutePath());
        }
        EbpfObject object = runtime.open(file);
        List<String> names = new ArrayList<>();
        for (ProgramSpec spec : object.programs()) {
            if (args.length == 2 || spec.name().equals(args[2])) {
                names.add(spec.name());
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(file.getFileName() + " has no program named '" + args[2] + "'");
        }
        List<String> reports = new ArrayList<>();
        for (String name : names) {
            VerificationResult result = runtime.verify(object, name);
            reports.add((result.accepted() ? "accepted: " : "rejected: ") + result.report());
        }
        return String.join("\n", reports);
    }

    private String progShow(String[] args) {
        if (args.length > 1) {
            return describe(program(args, 1));
        }
        List<String> lines = new ArrayList<>();
        for (Program p : runtime.programs()) {
            lines.add(describe(p));
        }
        return lines.isEmpty() ? "no programs" : String.join("\n", lines);
    }

    private static String describe(Program p) {
        ProgramStats s = p.stats();
        return p.id() + ": " + p.programType() + "  name " + p.name() + "  " + p.status() + "  run_cnt " + s.runCount()
                + "  run_time_ns " + s.runTimeNanos() + (s.abortCount() > 0 ? "  aborted " + s.abortCount() : "");
    }

    private String progRun(String[] args) {
        Program p = program(args, 1);
        byte[] data = Hex.parse(option(args, "data", "", false));
        byte[] ctx = Hex.parse(option(args, "ctx", "", false));
        String repeatText = option(args, "repeat", "1", false);
        int repeat;
        try {
            repeat = Integer.parseInt(repeatText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("repeat needs a number, got '" + repeatText + "'");
        }
        TestRunResult r = p.testRun(data, ctx, repeat);
        return "retval " + r.returnValue() + " (0x" + Long.toHexString(r.returnValue()) + ")  duration " + r.durationNanos()
                + " ns\ndata_out " + Hex.format(r.dataOut());
    }

    private String mapShow(String[] args) {
        List<String> lines = new ArrayList<>();
        List<EbpfMap> maps = args.length > 1 ? List.of(map(args, 1)) : runtime.maps();
        for (EbpfMap m : maps) {
            MapDefinition d = m.definition();
            lines.add(runtime.mapId(m) + ": type " + d.type() + "  name " + d.name() + "  key " + d.keySize() + "B  value "
                    + d.valueSize() + "B  max_entries " + d.maxEntries() + (d.flags() != 0 ? "  flags 0x" + Integer.toHexString(d.flags()) : ""));
        }
        return lines.isEmpty() ? "no maps" : String.join("\n", lines);
    }

    private static String mapDump(EbpfMap m) {
        List<String> lines = new ArrayList<>();
        Optional<byte[]> key = m.nextKey(null);
        int guard = 0;
        while (key.isPresent() && guard++ <= Math.max(1, m.definition().maxEntries())) {
            byte[] k = key.get();
            Optional<byte[]> value = m.lookup(k);
            value.ifPresent(v -> lines.add("key: " + Hex.format(k) + "  value: " + Hex.format(v)));
            key = m.nextKey(k);
        }
        lines.add("Found " + (lines.size()) + " element" + (lines.size() == 1 ? "" : "s"));
        return String.join("\n", lines);
    }

    private String pin(String[] args, Object what) {
        if (args.length < 3) {
            throw new IllegalArgumentException(args[0] + " pin needs an ID and a PATH");
        }
        runtime.pin(args[2], what);
        return "pinned at " + args[2];
    }

    private Program program(String[] args, int index) {
        int id = id(args, index, "program");
        return runtime.program(id).orElseThrow(() -> new IllegalArgumentException("no program with id " + id));
    }

    private EbpfMap map(String[] args, int index) {
        int id = id(args, index, "map");
        return runtime.map(id).orElseThrow(() -> new IllegalArgumentException("no map with id " + id));
    }

    private static int id(String[] args, int index, String what) {
        if (args.length <= index) {
            throw new IllegalArgumentException("a " + what + " ID is needed");
        }
        try {
            return Integer.parseInt(args[index]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + args[index] + "' is not a " + what + " id");
        }
    }

    /** The words after {@code name} up to the next keyword, e.g. {@code key 01 02 value 03}. */
    private static String option(String[] args, String name, String fallback, boolean required) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(name)) {
                StringBuilder sb = new StringBuilder();
                for (int j = i + 1; j < args.length && !List.of("key", "value", "data", "ctx", "repeat", "any", "noexist", "exist").contains(args[j]); j++) {
                    sb.append(args[j]).append(' ');
                }
                if (sb.length() == 0) {
                    throw new IllegalArgumentException("'" + name + "' needs a value");
                }
                return sb.toString().trim();
            }
        }
        if (required) {
            throw new IllegalArgumentException("'" + name + " HEX' is needed");
        }
        return fallback;
    }
}

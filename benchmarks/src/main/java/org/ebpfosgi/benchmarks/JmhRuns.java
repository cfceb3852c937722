package org.ebpfosgi.benchmarks;

import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** The shared start of the bin/bench* mains: JMH with its own arguments, and a default benchmark pattern. */
final class JmhRuns {
    private static final List<String> JMH_ONLY = List.of("-h", "-l", "-lp", "-lprof", "-lrf");

    private JmhRuns() {
    }

    /**
     * Runs JMH on {@code args}, on the benchmarks matching {@code defaultInclude} when the arguments name none
     * (other benchmarks share this module). Listing and help arguments go to JMH's own main: then null.
     */
    static Collection<RunResult> run(String[] args, String defaultInclude) throws Exception {
        for (String a : args) {
            if (JMH_ONLY.contains(a)) {
                org.openjdk.jmh.Main.main(args);
                return null;
            }
        }
        CommandLineOptions options = new CommandLineOptions(args);
        OptionsBuilder builder = new OptionsBuilder();
        builder.parent(options);
        if (options.getIncludes().isEmpty()) {
            builder.include(defaultInclude);
        }
        return new Runner(builder.build()).run();
    }
}

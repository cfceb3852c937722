package org.ebpfosgi.launcher;

import java.nio.file.Path;

/** Command-line options of the launcher. */
record LauncherOptions(Path deployDir, Path storageDir, long pollMillis, boolean shell, boolean help) {
    static final String USAGE = String.join("\n",
            "usage: java -jar launcher.jar [--deploy DIR] [--storage DIR] [--poll MS] [--no-shell]",
            "  --deploy DIR   folder watched for bundles to hot-deploy (default: ./deploy, or -Debpf.deploy.dir)",
            "  --storage DIR  framework cache (default: a temporary folder removed on exit)",
            "  --poll MS      how often the deploy folder is scanned (default 500)",
            "  --no-shell     no shell on a terminal (a service); piped stdin is still read as commands");

    /** A prompt only on a real terminal. */
    boolean interactiveShell() {
        return shell && System.console() != null;
    }

    static LauncherOptions parse(String[] args) {
        Path deploy = Path.of(System.getProperty("ebpf.deploy.dir", "deploy"));
        Path storage = null;
        long poll = 500;
        boolean shell = true;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--deploy" -> deploy = Path.of(value(args, ++i, "--deploy"));
                case "--storage" -> storage = Path.of(value(args, ++i, "--storage"));
                case "--poll" -> {
                    String ms = value(args, ++i, "--poll");
                    try {
                        poll = Long.parseLong(ms);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--poll needs milliseconds, got '" + ms + "'");
                    }
                    if (poll < 10) {
                        throw new IllegalArgumentException("--poll must be at least 10 ms, got " + poll);
                    }
                }
                case "--no-shell" -> shell = false;
                case "-h", "--help" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        return new LauncherOptions(deploy.toAbsolutePath().normalize(),
                storage == null ? null : storage.toAbsolutePath().normalize(), poll, shell, help);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}

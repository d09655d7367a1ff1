package org.jctdb.lab;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jctdb lab run}: one fault campaign against JCTDB or CTDB 4.17; writes one run directory. */
@Command(
        name = "run",
        description = {
            "Build a cluster in network namespaces on a shared FUSE cluster filesystem, inject a seeded schedule",
            "of faults, sample every 100 ms and check the invariants. Exit 0: no violations; 3: violations; 1: error."
        })
public final class LabRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LabRunSettings settings;

    @Option(names = "--seed", required = true, description = "Seed of the fault schedule.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default lab-runs/SYSTEM-seedS-TIME).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Optional<String> missing = settings.unavailable();
        if (missing.isPresent()) {
            spec.commandLine().getErr().println("lab run: " + missing.get());
            return 1;
        }
        Path dir = out != null
                ? out
                : Path.of(
                        "lab-runs",
                        settings.system + "-seed" + seed + "-"
                                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        return new LabRun(settings.options(seed, dir, commandLine(spec))).run();
    }

    /** The command as typed, quoted for a shell where needed: run.json keeps it so a run can be repeated. */
    static String commandLine(CommandSpec spec) {
        return quoted(spec.commandLine().getParseResult().originalArgs());
    }

    /** {@code jctdb ARGS...} with shell quoting where an argument needs it. */
    static String quoted(List<String> args) {
        return "jctdb "
                + args.stream()
                        .map(a -> a.matches("[A-Za-z0-9_./:=,-]+") ? a : "'" + a.replace("'", "'\\''") + "'")
                        .collect(Collectors.joining(" "));
    }
}

package org.jctdb.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import org.jctdb.lab.report.LabFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jctdb lab campaign}: many seeded campaigns one after the other, each in its own run directory
 * under one campaign directory, then one report over all of them. Evidence grows by adding runs: a
 * later {@code jctdb lab report} takes any number of run directories, old and new.
 */
@Command(
        name = "campaign",
        description = {
            "Run `jctdb lab run` for N seeds in a row (FIRST, FIRST+1, ...), each into DIR/SYSTEM-seedS.",
            "Each run's samples are compressed (samples.jsonl.gz, small enough to commit); DIR/report gets one report.",
            "Stops after a run that failed to start or was interrupted. Exit 0: no violations; 3: violations; 1: error."
        })
public final class LabCampaignCommand implements Callable<Integer> {
    /** The campaign's own options, left out of the `lab run` command recorded in each run. */
    private static final Set<String> OWN_OPTIONS = Set.of("--seeds", "--first-seed", "--out");

    @Spec
    CommandSpec spec;

    @Mixin
    LabRunSettings settings;

    @Option(names = "--seeds", required = true, paramLabel = "N", description = "How many campaigns to run.")
    int seeds;

    @Option(names = "--first-seed", required = true, paramLabel = "S", description = "Seed of the first campaign.")
    long firstSeed;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Campaign directory: one run directory per seed and the report.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if (seeds < 1 || seeds > 1000) {
            err.println("lab campaign: --seeds must be between 1 and 1000, not " + seeds);
            return 1;
        }
        Optional<String> missing = settings.unavailable();
        if (missing.isPresent()) {
            err.println("lab campaign: " + missing.get());
            return 1;
        }
        List<Path> done = new ArrayList<>();
        boolean violations = false;
        for (int i = 0; i < seeds; i++) {
            long seed = firstSeed + i;
            Path dir = out.resolve(settings.system + "-seed" + seed);
            if (Files.exists(dir.resolve("run.json"))) {
                err.println("lab campaign: " + dir + " already holds a run; kept, not run again");
                done.add(dir);
                continue;
            }
            stdout.printf("lab campaign: run %d of %d, seed %d, into %s%n", i + 1, seeds, seed, dir);
            stdout.flush();
            LabRun run = new LabRun(settings.options(seed, dir, runCommand(seed, dir)));
            int rc = run.run();
            compressSamples(dir);
            done.add(dir);
            if (rc == LabRun.EXIT_VIOLATIONS) {
                violations = true;
            } else if (rc != 0 || run.wasInterrupted()) {
                err.println("lab campaign: the run of seed " + seed + " ended with exit " + rc
                        + (run.wasInterrupted() ? " (interrupted)" : "") + "; no further seeds run");
                report(done, err, stdout);
                return rc != 0 ? rc : 1;
            }
        }
        int rc = report(done, err, stdout);
        return rc != 0 ? rc : violations ? LabRun.EXIT_VIOLATIONS : 0;
    }

    private int report(List<Path> dirs, PrintWriter err, PrintWriter stdout) {
        try {
            Path report = LabReportCommand.write(dirs, out.resolve("report"), err);
            stdout.println("lab campaign: wrote " + report + " (" + dirs.size() + " runs)");
            return 0;
        } catch (LabFormatException | IOException e) {
            err.println("lab campaign: cannot write the report: " + e.getMessage());
            return 1;
        }
    }

    /** samples.jsonl (16 MB for 30 minutes) becomes samples.jsonl.gz (about 150 KB); the report reads either. */
    static void compressSamples(Path dir) throws IOException {
        Path plain = dir.resolve("samples.jsonl");
        if (!Files.exists(plain)) {
            return;
        }
        Path gz = dir.resolve("samples.jsonl.gz");
        Path partial = dir.resolve("samples.jsonl.gz.part");
        try (InputStream in = Files.newInputStream(plain);
                OutputStream o = new GZIPOutputStream(Files.newOutputStream(partial), 1 << 16)) {
            in.transferTo(o);
        }
        Files.move(partial, gz, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(plain);
    }

    /** The `jctdb lab run` command that repeats one seed of this campaign, for run.json. */
    private String runCommand(long seed, Path dir) {
        List<String> args = new ArrayList<>();
        List<String> original = spec.commandLine().getParseResult().originalArgs();
        boolean renamed = false;
        for (int i = 0; i < original.size(); i++) {
            String a = original.get(i);
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (OWN_OPTIONS.contains(name)) {
                i += a.contains("=") ? 0 : 1; // skip its value too
            } else if (!renamed && a.equals("campaign")) {
                args.add("run");
                renamed = true;
            } else {
                args.add(a);
            }
        }
        args.add("--seed");
        args.add(Long.toString(seed));
        args.add("--out");
        args.add(dir.toString());
        return LabRunCommand.quoted(args);
    }
}

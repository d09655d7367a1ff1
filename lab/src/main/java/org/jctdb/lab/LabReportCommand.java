package org.jctdb.lab;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jctdb.lab.report.LabFormatException;
import org.jctdb.lab.report.ReportWriter;
import org.jctdb.lab.report.RunData;
import org.jctdb.lab.report.RunReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jctdb lab report}: one Markdown page with charts from the run directories of a campaign. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Write report.md and PNG charts (time lines, failover times, overlaps, outages, "
                    + "invariant violations) from the run directories `jctdb lab run` made.",
            "Runs of both systems (JCTDB and CTDB) are shown side by side."
        })
public final class LabReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUNDIR", description = "Run directories (each holds run.json).")
    List<Path> runDirs;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Where to write report.md and the charts "
                    + "(default: a directory 'report' next to the first RUNDIR).")
    Path out;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            Path target = out != null ? out : defaultOut(runDirs.get(0));
            Path report = write(runDirs, target, err);
            spec.commandLine()
                    .getOut()
                    .println("Wrote " + report + " (" + runDirs.size() + (runDirs.size() == 1 ? " run)" : " runs)"));
            return 0;
        } catch (LabFormatException e) {
            err.println("jctdb lab report: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("jctdb lab report: cannot write the report: " + e.getMessage());
            return 1;
        }
    }

    /** Reads the run directories (their warnings go to {@code err}) and writes report.md and charts into {@code target}. */
    static Path write(List<Path> dirs, Path target, PrintWriter err) throws LabFormatException, IOException {
        System.setProperty("java.awt.headless", "true"); // before any chart class touches AWT
        List<RunData> runs = new ArrayList<>();
        for (Path dir : dirs) {
            RunData run = RunReader.read(dir);
            run.warnings().forEach(w -> err.println("warning: " + w));
            runs.add(run);
        }
        return new ReportWriter(runs).write(target);
    }

    private static Path defaultOut(Path firstRun) {
        Path parent = firstRun.toAbsolutePath().normalize().getParent();
        return (parent == null ? Path.of(".") : parent).resolve("report");
    }
}

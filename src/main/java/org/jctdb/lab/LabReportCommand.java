package org.jctdb.lab;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Placeholder for {@code jctdb lab report} (written on its own branch; replaced at merge). */
@Command(name = "report", description = "Write a Markdown report from run directories (not yet).")
public final class LabReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("not yet");
        return 1;
    }
}

package org.jctdb.lab;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code jctdb lab run|campaign|report|clean}: the fault lab (docs/design/lab.md). */
@Command(
        name = "lab",
        description = "Fault campaigns against a cluster in network namespaces (needs root).",
        subcommands = {LabRunCommand.class, LabCampaignCommand.class, LabReportCommand.class, LabCleanCommand.class})
public final class LabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 1;
    }
}

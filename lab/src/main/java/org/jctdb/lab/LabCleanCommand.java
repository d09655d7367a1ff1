package org.jctdb.lab;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jctdb lab clean}: removes namespaces, mounts and directories left by killed lab runs. */
@Command(
        name = "clean",
        description =
                "Remove what killed `lab run`s left behind (jlab-* namespaces, /tmp/jlab-* mounts and directories).")
public final class LabCleanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--force", description = "Also remove what belongs to lab runs that are still running.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        List<String> done = LabClean.clean(force);
        done.forEach(spec.commandLine().getOut()::println);
        if (done.isEmpty()) {
            spec.commandLine().getOut().println("nothing to clean");
        }
        return done.stream().anyMatch(l -> l.startsWith("could not")) ? 1 : 0;
    }
}

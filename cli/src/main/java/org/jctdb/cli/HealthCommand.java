package org.jctdb.cli;

import java.util.Optional;
import org.jctdb.health.HealthReport;
import picocli.CommandLine.Command;

/** {@code jctdb health}: the cluster filesystem probe of this node (JCTDB's own command). */
@Command(
        name = "health",
        description = "Show the cluster filesystem probes of this node: state, time in it, "
                + "last latency, hung and unkillable probe processes.")
final class HealthCommand extends DaemonCommand {
    @Override
    public Integer call() {
        Optional<HealthReport> r = api().health();
        if (r.isEmpty()) {
            err().println("The storage probe is not running yet on this node");
            return 1;
        }
        int pnn = api().view().myPnn();
        if (style().json()) {
            printJson(HealthFormat.json(r.get(), pnn));
        } else if (style().machine()) {
            out().print(HealthFormat.machine(r.get(), style()));
        } else {
            out().print(HealthFormat.text(r.get(), pnn));
        }
        return 0;
    }
}

package org.jctdb.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneId;
import java.util.Optional;
import org.jctdb.control.LockReport;
import org.jctdb.health.HealthReport;
import picocli.CommandLine.Command;

/** {@code jctdb health}: the cluster filesystem probe of this node (JCTDB's own command). */
@Command(
        name = "health",
        description = "Show the cluster filesystem probes of this node: state, time in it, "
                + "last latency, hung and unkillable probe processes; and the cluster lock's trouble, if any.")
final class HealthCommand extends DaemonCommand {
    @Override
    public Integer call() {
        Optional<HealthReport> r = api().health();
        if (r.isEmpty()) {
            err().println("The storage probe is not running yet on this node");
            return 1;
        }
        int pnn = api().view().myPnn();
        Optional<LockReport> lock = api().lockReport();
        if (style().json()) {
            ObjectNode root = HealthFormat.json(r.get(), pnn);
            HealthFormat.lockJson(root, lock);
            printJson(root);
        } else if (style().machine()) {
            out().print(HealthFormat.machine(r.get(), style()));
            out().print(HealthFormat.lockMachine(lock, style(), System.currentTimeMillis()));
        } else {
            out().print(HealthFormat.text(r.get(), pnn));
            // The cluster lock: one line while it is in trouble as this node sees it.
            lock.ifPresent(
                    l -> out().print(HealthFormat.lockLine(l, System.currentTimeMillis(), ZoneId.systemDefault())));
        }
        return 0;
    }
}

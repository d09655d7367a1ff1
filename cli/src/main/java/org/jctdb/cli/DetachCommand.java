package org.jctdb.cli;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jctdb.cli.ctdb.CtdbDatabases;
import org.jctdb.cli.ctdb.CtdbDatabases.Db;
import org.jctdb.control.ControlReply;
import org.jctdb.control.NodeView;
import org.jctdb.protocol.NodeFlags;
import org.jctdb.protocol.ctdb.ControlData;
import org.jctdb.protocol.ctdb.ControlOpcode;
import org.jctdb.protocol.ctdb.CtdbWire;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * detach DB... as ctdb 4.17: only when no recovery runs, every connected node is active and has
 * AllowClientDBAttach 0 (so no smbd opens the database again); only volatile databases.
 */
@Command(name = "detach", description = "Detach volatile databases on every node (AllowClientDBAttach must be 0).")
final class DetachCommand extends DatabaseCommands.DbCommand {
    private static final String TUNABLE = "AllowClientDBAttach";

    @Parameters(arity = "1..*", paramLabel = "DB")
    List<String> dbNames;

    @Override
    int run(CtdbDatabases dbs) throws IOException {
        if (api().view().recoveryMode() != 0) {
            err().println("Database cannot be detached when recovery is active");
            return 1;
        }
        for (NodeView n : api().view().nodes()) {
            if (NodeFlags.has(n.flags(), NodeFlags.DISCONNECTED | NodeFlags.DELETED)) {
                continue;
            }
            if (NodeFlags.has(n.flags(), NodeFlags.BANNED | NodeFlags.STOPPED)) {
                err().println("Database cannot be detached on inactive (stopped or banned) node " + n.pnn());
                return 1;
            }
            Optional<Long> allowed = allowClientAttach(n.pnn());
            if (allowed.isEmpty()) {
                err().println("Unable to get tunable " + TUNABLE + " from node " + n.pnn());
                return 1;
            }
            if (allowed.get() == 1) {
                err().println("Database access is still active on node " + n.pnn()
                        + ". Set AllowclientDBAttach=0 on all nodes.");
                return 1;
            }
        }
        int rc = 0;
        for (String name : dbNames) {
            Optional<Db> d = find(dbs, name);
            if (d.isEmpty()) {
                continue;
            }
            if (d.get().transactional()) {
                err().println("Only volatile databases can be detached");
                return 1;
            }
            var r = dbs.client()
                    .control(
                            CtdbWire.CURRENT_NODE,
                            ControlOpcode.DB_DETACH,
                            0,
                            0,
                            ControlData.u32(d.get().id()));
            if (r.status() != 0) {
                err().println("Database " + d.get().name() + " detach failed");
                rc = 1;
            }
        }
        return rc;
    }

    /** Node {@code pnn}'s AllowClientDBAttach; empty when it does not answer. */
    private Optional<Long> allowClientAttach(int pnn) {
        if (pnn == api().view().myPnn()) {
            return Optional.of(api().tunables().get(TUNABLE));
        }
        try {
            ControlReply r = api().forward(pnn, List.of("getvar", TUNABLE)).get(root().timeout + 5L, TimeUnit.SECONDS);
            String out = r.stdout().strip();
            int eq = out.lastIndexOf('=');
            return r.exitCode() != 0 || eq < 0
                    ? Optional.empty()
                    : Optional.of(Long.parseLong(out.substring(eq + 1).strip()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) { // no answer, a timeout or garbage: ctdb says it could not get it
            return Optional.empty();
        }
    }
}

package org.jctdb.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jctdb.config.ConfigException;
import org.jctdb.config.NodeEntry;
import org.jctdb.config.NodesFile;
import org.jctdb.config.NodesReload;
import org.jctdb.control.ClusterView;
import org.jctdb.control.ControlReply;
import org.jctdb.control.NodeView;
import org.jctdb.protocol.NodeFlags;
import picocli.CommandLine.Command;

/** reloadnodes, and the two internal commands it runs on every connected node. */
final class NodesCommands {
    private NodesCommands() {}

    /** The nodes file as compared between nodes: one line per PNN, the address or "#". */
    static String canonical(NodesFile f) {
        StringBuilder b = new StringBuilder();
        for (NodeEntry n : f.nodes()) {
            b.append(n.deleted() ? "#" : n.addressText()).append('\n');
        }
        return b.toString();
    }

    @Command(
            name = "reloadnodes",
            description = "Re-read the nodes file on every connected node (add nodes at the end,"
                    + " delete a disconnected node by commenting it out with #).")
    static final class ReloadNodes extends DaemonCommand {
        @Override
        public Integer call() throws Exception {
            NodesFile file;
            try {
                file = NodesFile.read(api().config().layout().nodesFile());
            } catch (ConfigException e) {
                err().println("ERROR: " + e.getMessage());
                return 1;
            }
            ClusterView v = api().view();
            List<Integer> connected = new ArrayList<>();
            List<NodesReload.Current> current = new ArrayList<>();
            for (NodeView n : v.nodes()) {
                boolean disconnected = NodeFlags.has(n.flags(), NodeFlags.DISCONNECTED);
                current.add(new NodesReload.Current(n.pnn(), n.address(), n.deleted(), disconnected));
                if (!n.deleted() && !disconnected) {
                    connected.add(n.pnn());
                }
            }
            for (int pnn : connected) {
                if (pnn == v.myPnn()) {
                    continue;
                }
                ControlReply r = onNode(pnn, "nodesfile");
                if (r.exitCode() != 0) {
                    err().println("ERROR: Failed to get nodes file from node " + pnn);
                    return 1;
                }
                if (!r.stdout().equals(canonical(file))) {
                    err().println("ERROR: Nodes file on node " + pnn + " differs from current node (" + v.myPnn()
                            + ")");
                    return 1;
                }
            }
            NodesReload.Outcome o = NodesReload.compare(current, file);
            o.out().forEach(out()::println);
            o.err().forEach(err()::println);
            if (!o.allowed()) {
                return 1;
            }
            if (!o.changed()) {
                err().println("No change in nodes file, skipping unnecessary reload");
                return 0;
            }
            boolean failed = false;
            for (int pnn : connected) {
                ControlReply r = onNode(pnn, "reloadnodes-apply");
                if (r.exitCode() != 0) {
                    err().print(r.stderr());
                    err().println("Node " + pnn + " failed to reload nodes");
                    failed = true;
                }
            }
            if (failed) {
                err().println("You MUST fix failed nodes manually!");
                return 1;
            }
            return 0;
        }

        private ControlReply onNode(int pnn, String command) throws Exception {
            if (pnn == api().view().myPnn()) {
                return new CommandRunner(api()).apply(List.of(command));
            }
            try {
                return api().forward(pnn, List.of(command)).get(root().timeout, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return ControlReply.error(1, "node " + pnn + ": " + e);
            }
        }
    }

    @Command(
            name = "nodesfile",
            hidden = true,
            description = "Print this node's nodes file as reloadnodes compares it.")
    static final class NodesFileText extends DaemonCommand {
        @Override
        public Integer call() {
            try {
                out().print(canonical(NodesFile.read(api().config().layout().nodesFile())));
                return 0;
            } catch (ConfigException e) {
                err().println("ERROR: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "reloadnodes-apply", hidden = true, description = "Re-read and apply this node's nodes file.")
    static final class Apply extends DaemonCommand {
        @Override
        public Integer call() throws Exception {
            String refusal = api().reloadNodes().get(root().timeout, TimeUnit.SECONDS);
            if (!refusal.isEmpty()) {
                err().println("ERROR: node " + api().view().myPnn() + ": " + refusal);
                return 1;
            }
            return 0;
        }
    }
}

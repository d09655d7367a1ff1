package org.jctdb.cli;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jctdb.control.ClusterView;
import org.jctdb.control.ControlReply;
import org.jctdb.control.NodeView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Commands that show the node map: status, nodestatus, pnn, listnodes. */
final class StatusCommands {
    private StatusCommands() {}

    @Command(name = "status", description = "Show the status of all nodes and of the cluster.")
    static final class Status extends DaemonCommand {
        @Override
        public Integer call() {
            ClusterView v = api().view();
            if (style().json()) {
                printJson(StatusFormat.json(v, v.nodes(), true));
            } else if (style().machine()) {
                out().print(StatusFormat.nodeMapMachine(v.nodes(), v.myPnn(), style()));
            } else {
                out().print(StatusFormat.nodeMap(
                        v.nodes(), v.myPnn(), true, v.nodes().size()));
                out().print(StatusFormat.clusterState(v));
                if (v.clusterLock().isEmpty()) {
                    out().println(
                                    "Warning: no cluster lock is configured; a partitioned cluster could elect two leaders");
                }
                // JCTDB's addition after CTDB's lines, only while a node's storage probe is not OK.
                out().print(HealthFormat.statusLines(v.nodes(), System.currentTimeMillis(), ZoneId.systemDefault()));
                api().lockReport()
                        .ifPresent(r -> out().print(
                                        HealthFormat.lockLine(r, System.currentTimeMillis(), ZoneId.systemDefault())));
            }
            return 0;
        }
    }

    @Command(name = "nodestatus", description = "Show the status of nodes; exits with the OR of their flags.")
    static final class NodeStatus extends DaemonCommand {
        @Parameters(arity = "0..1", paramLabel = "PNN-LIST", description = "all, or PNNs separated by commas")
        String pnnList;

        @Override
        public Integer call() {
            ClusterView v = api().view();
            List<NodeView> nodes = new ArrayList<>();
            try {
                nodes.addAll(PnnList.select(v, pnnList));
            } catch (IllegalArgumentException e) {
                err().println(e.getMessage());
                return 1;
            }
            if (style().json()) {
                printJson(StatusFormat.json(v, nodes, false));
            } else if (style().machine()) {
                out().print(StatusFormat.nodeMapMachine(nodes, v.myPnn(), style()));
            } else {
                out().print(StatusFormat.nodeMap(
                        nodes, v.myPnn(), "all".equals(pnnList), v.nodes().size()));
            }
            int flags = 0;
            for (NodeView n : nodes) {
                flags |= n.flags();
            }
            return flags;
        }
    }

    @Command(name = "pnn", description = "Show the PNN of this node.")
    static final class Pnn extends DaemonCommand {
        @Override
        public Integer call() {
            if (style().json()) {
                printJson(Map.of("pnn", api().view().myPnn()));
            } else {
                out().println(api().view().myPnn());
            }
            return 0;
        }
    }

    @Command(name = "leader", description = "Show the PNN of the leader (CTDB's recovery master).")
    static final class Leader extends DaemonCommand {
        @Override
        public Integer call() {
            int leader = api().view().leader();
            if (style().json()) {
                Map<String, Object> m = new HashMap<>();
                m.put("leader", leader < 0 ? null : leader);
                printJson(m);
            } else if (leader < 0) {
                out().println("UNKNOWN"); // as ctdb: exit 0, scripts compare the text
            } else {
                out().println(leader);
            }
            return 0;
        }
    }

    @Command(name = "recover", description = "Make the leader run a recovery now, and wait until it has finished.")
    static final class Recover extends DaemonCommand {
        @Override
        public Integer call() throws Exception {
            ClusterView before = api().view();
            int leader = before.leader();
            if (leader < 0) {
                err().println("Leader is unknown; no recovery can run now");
                return 1;
            }
            boolean started;
            if (leader == before.myPnn()) {
                started = api().recover().get(10, TimeUnit.SECONDS);
            } else {
                ControlReply r =
                        api().forward(leader, List.of("recover", "--no-wait")).get(10, TimeUnit.SECONDS);
                started = r.exitCode() == 0;
                err().print(r.stderr());
            }
            if (!started) {
                err().println("Node " + leader + " is no longer the leader; try again");
                return 1;
            }
            if (noWait) {
                return 0;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(root().timeLimit);
            while (System.nanoTime() < deadline) {
                ClusterView v = api().view();
                if (v.generation() != before.generation() && v.recoveryMode() == 0) {
                    return 0;
                }
                Thread.sleep(100);
            }
            err().println("Recovery did not finish within " + root().timeLimit + " s");
            return 1;
        }

        @picocli.CommandLine.Option(names = "--no-wait", hidden = true)
        boolean noWait;
    }

    @Command(name = "listnodes", description = "List the addresses of all nodes.")
    static final class ListNodes extends DaemonCommand {
        @Override
        public Integer call() {
            print(
                    style(),
                    out(),
                    api().view().nodes().stream()
                            .filter(n -> !n.deleted())
                            .map(n -> Map.entry(n.pnn(), n.address()))
                            .toList());
            return 0;
        }

        /** PNN and address of each node that is not deleted; also without a daemon, from the nodes file (Main). */
        static void print(OutputStyle style, PrintWriter out, List<Map.Entry<Integer, String>> nodes) {
            List<Object> json = new ArrayList<>();
            for (Map.Entry<Integer, String> n : nodes) {
                if (style.json()) {
                    json.add(Map.of("pnn", n.getKey(), "address", n.getValue()));
                } else if (style.machine()) {
                    out.print(style.row(n.getKey(), n.getValue()));
                } else {
                    out.println(n.getValue());
                }
            }
            if (style.json()) {
                out.print(Json.pretty(json));
                out.println();
            }
        }
    }
}

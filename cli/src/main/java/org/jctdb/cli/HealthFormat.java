package org.jctdb.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.jctdb.control.LockReport;
import org.jctdb.control.NodeView;
import org.jctdb.health.HealthReport;
import org.jctdb.health.HealthReport.PathReport;
import org.jctdb.health.PathStatus;

/** `jctdb health` output, and the line `jctdb status` adds when a probe is not OK. */
public final class HealthFormat {
    private HealthFormat() {}

    /**
     * The lines `jctdb status` adds after CTDB's: nothing while every node's probe answers
     * normally; one line when the cluster filesystem is failing or hung on every reachable
     * node (the cluster-wide case, since the last of them); else one line per node not OK.
     */
    public static String statusLines(List<NodeView> nodes, long nowEpochMillis, ZoneId zone) {
        List<NodeView> reachable = nodes.stream().filter(NodeView::reachable).toList();
        StringBuilder out = new StringBuilder();
        if (reachable.size() > 1 && reachable.stream().allMatch(n -> n.storage().unresponsive())) {
            long since = reachable.stream()
                    .mapToLong(n -> n.storage().sinceEpochMillis())
                    .max()
                    .orElse(nowEpochMillis);
            boolean allHung =
                    reachable.stream().allMatch(n -> n.storage().state().equals("HUNG"));
            out.append("Cluster filesystem: ")
                    .append(allHung ? "unresponsive (HUNG)" : "failing")
                    .append(" on all nodes since ")
                    .append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                            .format(Instant.ofEpochMilli(since).atZone(zone)))
                    .append(" (")
                    .append(Math.max(0, nowEpochMillis - since) / 1000)
                    .append("s)\n");
        }
        for (NodeView n : reachable) {
            if (!n.storage().ok()) {
                out.append("Cluster filesystem: ")
                        .append(n.storage().state())
                        .append(" for ")
                        .append(Math.max(0, nowEpochMillis - n.storage().sinceEpochMillis()) / 1000)
                        .append("s on ")
                        .append(n.storage().path())
                        .append(" (node ")
                        .append(n.pnn())
                        .append(")\n");
            }
        }
        return out.toString();
    }

    /**
     * The line `jctdb status` and `jctdb health` add while the cluster lock is in trouble as this node
     * sees it: which lock, what is wrong since when, and what this node did about it.
     */
    public static String lockLine(LockReport r, long nowEpochMillis, ZoneId zone) {
        String state = switch (r.state()) {
            case "UNRESPONSIVE" -> "held but not answering (UNRESPONSIVE)";
            case "LOST" -> "lost (LOST)";
            default -> "cannot be taken (" + r.state() + ")";
        };
        return "Cluster lock " + r.lock() + ": " + state + " since "
                + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                        .format(Instant.ofEpochMilli(r.sinceEpochMillis()).atZone(zone))
                + " (" + Math.max(0, nowEpochMillis - r.sinceEpochMillis()) / 1000 + "s): " + r.action() + "\n"
                + (r.reason().isEmpty() ? "" : "    reason: " + r.reason() + "\n");
    }

    /**
     * The lock part of `jctdb health -X`: a second table after the paths, its header always, one row
     * while the lock is in trouble as this node sees it (no row: no trouble). Since is the wall clock
     * in epoch seconds, Seconds the time since then; the separator and newlines are blanked out of
     * the texts so the row stays one row.
     */
    public static String lockMachine(Optional<LockReport> r, OutputStyle style, long nowEpochMillis) {
        StringBuilder out = new StringBuilder(style.row("Lock", "LockState", "Since", "Seconds", "Reason", "Action"));
        r.ifPresent(x -> out.append(style.row(
                oneField(x.lock(), style),
                x.state(),
                x.sinceEpochMillis() / 1000,
                Math.max(0, nowEpochMillis - x.sinceEpochMillis()) / 1000,
                oneField(x.reason(), style),
                oneField(x.action(), style))));
        return out.toString();
    }

    private static String oneField(String s, OutputStyle style) {
        return s.replace(style.separator(), " ").replace('\n', ' ').replace('\r', ' ');
    }

    /** The lock part of `jctdb health -j`. */
    public static void lockJson(ObjectNode root, Optional<LockReport> r) {
        ObjectNode lock = root.putObject("cluster_lock");
        lock.put("ok", r.isEmpty());
        r.ifPresent(x -> {
            lock.put("lock", x.lock());
            lock.put("state", x.state());
            lock.put("since", Instant.ofEpochMilli(x.sinceEpochMillis()).toString());
            lock.put("action", x.action());
            lock.put("reason", x.reason());
        });
    }

    public static String text(HealthReport r, int pnn) {
        StringBuilder out = new StringBuilder();
        out.append("Storage health of node ")
                .append(pnn)
                .append(": ")
                .append(r.healthy() ? "HEALTHY" : "UNHEALTHY (" + r.reason() + ")")
                .append('\n');
        if (r.paths().isEmpty()) {
            out.append("No paths are probed (no cluster lock path and no [health] extra paths)\n");
        } else {
            out.append(String.format(
                    "%-7s %8s %9s %8s %4s %10s  %s%n",
                    "State", "For", "Latency", "Failures", "Hung", "Unkillable", "Path"));
            for (PathReport p : r.paths()) {
                PathStatus s = p.status();
                out.append(String.format(
                        "%-7s %7ds %9s %8d %4d %10d  %s%s%n",
                        s.state(),
                        HealthReport.forMillis(r, p) / 1000,
                        latency(s),
                        s.consecutiveFailures(),
                        p.hungProbes(),
                        p.unkillableProcesses(),
                        s.path(),
                        p.clusterLock() ? " (cluster lock)" : ""));
                if (!s.detail().isEmpty()) {
                    out.append("        ").append(s.detail()).append('\n');
                }
                for (String u : p.unkillable()) {
                    out.append("        unkillable: ").append(u).append('\n');
                }
            }
        }
        out.append("Hung storage action: ")
                .append(
                        r.shutdownAfterMillis() < 0
                                ? "none"
                                : "shutdown after " + r.shutdownAfterMillis() / 1000 + "s hung")
                .append('\n');
        return out.toString();
    }

    private static String latency(PathStatus s) {
        return s.lastLatencyMillis() < 0 ? "-" : String.format("%.3fs", s.lastLatencyMillis() / 1000.0);
    }

    public static String machine(HealthReport r, OutputStyle style) {
        StringBuilder out = new StringBuilder(style.row(
                "Path",
                "ClusterLock",
                "State",
                "Seconds",
                "LatencyMs",
                "Failures",
                "HungProbes",
                "Unkillable",
                "Healthy"));
        for (PathReport p : r.paths()) {
            PathStatus s = p.status();
            out.append(style.row(
                    s.path(),
                    p.clusterLock() ? 1 : 0,
                    s.state(),
                    HealthReport.forMillis(r, p) / 1000,
                    s.lastLatencyMillis(),
                    s.consecutiveFailures(),
                    p.hungProbes(),
                    p.unkillableProcesses(),
                    s.healthy() ? 1 : 0));
        }
        return out.toString();
    }

    public static ObjectNode json(HealthReport r, int pnn) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("pnn", pnn);
        root.put("healthy", r.healthy());
        root.put("reason", r.reason());
        ObjectNode action = root.putObject("hung_storage_action");
        action.put("action", r.shutdownAfterMillis() < 0 ? "none" : "shutdown");
        if (r.shutdownAfterMillis() >= 0) {
            action.put("after_seconds", r.shutdownAfterMillis() / 1000);
        }
        ArrayNode paths = root.putArray("paths");
        for (PathReport p : r.paths()) {
            PathStatus s = p.status();
            ObjectNode o = paths.addObject();
            o.put("path", s.path().toString());
            o.put("cluster_lock", p.clusterLock());
            o.put("state", s.state().toString());
            o.put("state_seconds", HealthReport.forMillis(r, p) / 1000.0);
            if (s.lastLatencyMillis() < 0) {
                o.putNull("last_latency_seconds");
            } else {
                o.put("last_latency_seconds", s.lastLatencyMillis() / 1000.0);
            }
            o.put("consecutive_failures", s.consecutiveFailures());
            o.put("healthy", s.healthy());
            o.put("detail", s.detail());
            o.put("hung_probes", p.hungProbes());
            o.put("unkillable_processes", p.unkillableProcesses());
            ArrayNode u = o.putArray("unkillable");
            p.unkillable().forEach(u::add);
        }
        return root;
    }
}

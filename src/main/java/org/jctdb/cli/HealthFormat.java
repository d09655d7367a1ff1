package org.jctdb.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jctdb.health.HealthReport;
import org.jctdb.health.HealthReport.PathReport;
import org.jctdb.health.PathStatus;
import org.jctdb.health.ProbeState;

/** `jctdb health` output, and the line `jctdb status` adds when a probe is not OK. */
public final class HealthFormat {
    private HealthFormat() {
    }

    /** One line per path that is SLOW, FAILED or HUNG; nothing when all answer normally. */
    public static String statusLines(HealthReport r, int pnn) {
        StringBuilder out = new StringBuilder();
        for (PathReport p : r.paths()) {
            ProbeState st = p.status().state();
            if (st != ProbeState.OK && st != ProbeState.UNKNOWN) {
                out.append("Cluster filesystem: ").append(st).append(" for ")
                        .append(HealthReport.forMillis(r, p) / 1000).append("s on ").append(p.status().path())
                        .append(" (node ").append(pnn).append(")\n");
            }
        }
        return out.toString();
    }

    public static String text(HealthReport r, int pnn) {
        StringBuilder out = new StringBuilder();
        out.append("Storage health of node ").append(pnn).append(": ")
                .append(r.healthy() ? "HEALTHY" : "UNHEALTHY (" + r.reason() + ")").append('\n');
        if (r.paths().isEmpty()) {
            out.append("No paths are probed (no cluster lock path and no [health] extra paths)\n");
        } else {
            out.append(String.format("%-7s %8s %9s %8s %4s %10s  %s%n", "State", "For", "Latency", "Failures",
                    "Hung", "Unkillable", "Path"));
            for (PathReport p : r.paths()) {
                PathStatus s = p.status();
                out.append(String.format("%-7s %7ds %9s %8d %4d %10d  %s%s%n", s.state(),
                        HealthReport.forMillis(r, p) / 1000, latency(s), s.consecutiveFailures(), p.hungProbes(),
                        p.unkillableProcesses(), s.path(), p.clusterLock() ? " (cluster lock)" : ""));
                if (!s.detail().isEmpty()) {
                    out.append("        ").append(s.detail()).append('\n');
                }
                for (String u : p.unkillable()) {
                    out.append("        unkillable: ").append(u).append('\n');
                }
            }
        }
        out.append("Hung storage action: ").append(r.shutdownAfterMillis() < 0 ? "none"
                : "shutdown after " + r.shutdownAfterMillis() / 1000 + "s hung").append('\n');
        return out.toString();
    }

    private static String latency(PathStatus s) {
        return s.lastLatencyMillis() < 0 ? "-" : String.format("%.3fs", s.lastLatencyMillis() / 1000.0);
    }

    public static String machine(HealthReport r, OutputStyle style) {
        StringBuilder out = new StringBuilder(style.row("Path", "ClusterLock", "State", "Seconds", "LatencyMs",
                "Failures", "HungProbes", "Unkillable", "Healthy"));
        for (PathReport p : r.paths()) {
            PathStatus s = p.status();
            out.append(style.row(s.path(), p.clusterLock() ? 1 : 0, s.state(), HealthReport.forMillis(r, p) / 1000,
                    s.lastLatencyMillis(), s.consecutiveFailures(), p.hungProbes(), p.unkillableProcesses(),
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

package org.jctdb.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jctdb.control.ClusterView;
import org.jctdb.control.NodeView;
import org.jctdb.protocol.NodeFlags;

/** CTDB 4.17's node-map output (status, nodestatus), as text, machine rows or JSON. */
public final class StatusFormat {
    private static final String[] FLAG_NAMES = {
        "DISCONNECTED", "UNKNOWN", "DISABLED", "BANNED", "UNHEALTHY", "DELETED", "STOPPED", "INACTIVE"
    };
    private static final int[] FLAG_BITS = {
        NodeFlags.DISCONNECTED, NodeFlags.UNKNOWN, NodeFlags.PERMANENTLY_DISABLED, NodeFlags.BANNED,
        NodeFlags.UNHEALTHY, NodeFlags.DELETED, NodeFlags.STOPPED, NodeFlags.INACTIVE
    };

    private StatusFormat() {}

    /** "OK", or the set flags joined by "|" in CTDB's order. */
    public static String flagsText(int flags) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < FLAG_BITS.length; i++) {
            if ((flags & FLAG_BITS[i]) != 0) {
                b.append(b.length() == 0 ? "" : "|").append(FLAG_NAMES[i]);
            }
        }
        return b.length() == 0 ? "OK" : b.toString();
    }

    public static String nodeMap(List<NodeView> nodes, int myPnn, boolean header, int totalNodes) {
        StringBuilder out = new StringBuilder();
        if (header) {
            long deleted = nodes.stream().filter(NodeView::deleted).count();
            out.append("Number of nodes:").append(totalNodes);
            if (deleted > 0) {
                out.append(" (including ").append(deleted).append(" deleted nodes)");
            }
            out.append('\n');
        }
        for (NodeView n : nodes) {
            if (n.deleted()) {
                continue;
            }
            out.append(String.format(
                    "pnn:%d %-16s %s%s%n",
                    n.pnn(), n.address(), flagsText(n.flags()), n.pnn() == myPnn ? " (THIS NODE)" : ""));
        }
        return out.toString();
    }

    public static String nodeMapMachine(List<NodeView> nodes, int myPnn, OutputStyle style) {
        StringBuilder out = new StringBuilder(style.row(
                "Node",
                "IP",
                "Disconnected",
                "Unknown",
                "Banned",
                "Disabled",
                "Unhealthy",
                "Stopped",
                "Inactive",
                "PartiallyOnline",
                "ThisNode"));
        for (NodeView n : nodes) {
            if (n.deleted()) {
                continue;
            }
            int f = n.flags();
            out.append(style.row(
                    n.pnn(),
                    n.address(),
                    bit(f, NodeFlags.DISCONNECTED),
                    bit(f, NodeFlags.UNKNOWN),
                    bit(f, NodeFlags.BANNED),
                    bit(f, NodeFlags.PERMANENTLY_DISABLED),
                    bit(f, NodeFlags.UNHEALTHY),
                    bit(f, NodeFlags.STOPPED),
                    bit(f, NodeFlags.INACTIVE),
                    0,
                    n.pnn() == myPnn ? "Y" : "N"));
        }
        return out.toString();
    }

    private static int bit(int flags, int mask) {
        return (flags & mask) != 0 ? 1 : 0;
    }

    /** The part of `status` after the node map: generation, VNN map, recovery mode, leader. */
    public static String clusterState(ClusterView v) {
        StringBuilder out = new StringBuilder();
        out.append(
                v.generation() == ClusterView.INVALID_GENERATION
                        ? "Generation:INVALID\n"
                        : "Generation:" + v.generation() + "\n");
        out.append("Size:").append(v.vnnMap().size()).append('\n');
        for (int i = 0; i < v.vnnMap().size(); i++) {
            out.append("hash:")
                    .append(i)
                    .append(" lmaster:")
                    .append(v.vnnMap().get(i))
                    .append('\n');
        }
        out.append("Recovery mode:")
                .append(v.recoveryMode() == 0 ? "NORMAL" : "RECOVERY")
                .append(" (")
                .append(v.recoveryMode())
                .append(")\n");
        out.append("Leader:")
                .append(v.leader() < 0 ? "UNKNOWN" : String.valueOf(v.leader()))
                .append('\n');
        return out.toString();
    }

    public static ObjectNode json(ClusterView v, List<NodeView> nodes, boolean withClusterState) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ObjectNode status = root.putObject("node_status");
        status.put("node_count", v.nodes().size());
        status.put(
                "deleted_node_count",
                v.nodes().stream().filter(NodeView::deleted).count());
        ObjectNode map = status.putObject("nodes");
        for (NodeView n : nodes) {
            if (n.deleted()) {
                continue;
            }
            ObjectNode node = map.putObject(String.valueOf(n.pnn()));
            node.put("pnn", n.pnn());
            node.put("address", n.address());
            node.put("partially_online", false);
            node.put("flags_raw", n.flags());
            node.put("flags_ok", n.flags() == 0);
            ObjectNode flags = node.putObject("flags");
            int fl = n.flags();
            flags.put("disconnected", (fl & NodeFlags.DISCONNECTED) != 0);
            flags.put("unknown", (fl & NodeFlags.UNKNOWN) != 0);
            flags.put("disabled", (fl & NodeFlags.PERMANENTLY_DISABLED) != 0);
            flags.put("banned", (fl & NodeFlags.BANNED) != 0);
            flags.put("unhealthy", (fl & NodeFlags.UNHEALTHY) != 0);
            flags.put("deleted", (fl & NodeFlags.DELETED) != 0);
            flags.put("stopped", (fl & NodeFlags.STOPPED) != 0);
            flags.put("inactive", (fl & NodeFlags.INACTIVE) != 0);
            node.put("this_node", n.pnn() == v.myPnn());
        }
        if (withClusterState) {
            ObjectNode vnn = root.putObject("vnn_map");
            if (v.generation() == ClusterView.INVALID_GENERATION) {
                vnn.putNull("generation");
            } else {
                vnn.put("generation", v.generation());
            }
            vnn.put("size", v.vnnMap().size());
            var arr = vnn.putArray("entries");
            v.vnnMap().forEach(arr::add);
            root.put("recovery_mode", v.recoveryMode() == 0 ? "NORMAL" : "RECOVERY");
            root.put("recovery_mode_raw", v.recoveryMode());
            if (v.leader() < 0) {
                root.putNull("leader");
            } else {
                root.put("leader", v.leader());
            }
        }
        return root;
    }
}

package org.jctdb.daemon;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jctdb.control.ClusterView;
import org.jctdb.control.DaemonApi;
import org.jctdb.control.IpSnapshot;
import org.jctdb.control.NodeView;
import org.jctdb.event.Event;
import org.jctdb.event.ScriptResult;
import org.jctdb.event.ScriptStatus;
import org.jctdb.health.HealthReport;
import org.jctdb.health.ProbeState;
import org.jctdb.protocol.NodeFlags;

/**
 * The optional Prometheus endpoint ({@code [metrics] listen}, docs/metrics.md). Every family is
 * read from the daemon's published snapshots at scrape time, so a scrape never waits on the
 * decision thread and the endpoint keeps no state of its own.
 */
final class MetricsEndpoint implements AutoCloseable {
    /** The flags a node can have, by the label value Prometheus shows. */
    static final Map<String, Integer> FLAGS = Map.of(
            "disconnected", NodeFlags.DISCONNECTED,
            "unhealthy", NodeFlags.UNHEALTHY,
            "disabled", NodeFlags.PERMANENTLY_DISABLED,
            "banned", NodeFlags.BANNED,
            "stopped", NodeFlags.STOPPED,
            "deleted", NodeFlags.DELETED);

    private final HTTPServer server;

    private MetricsEndpoint(HTTPServer server) {
        this.server = server;
    }

    /** Serves the snapshot families below and the shell's counters ({@link DaemonMetrics}). */
    static MetricsEndpoint start(InetSocketAddress listen, DaemonApi api, DaemonMetrics metrics) throws IOException {
        PrometheusRegistry registry = metrics.registry;
        register(registry, api);
        registerLock(registry, api, metrics);
        HTTPServer server = HTTPServer.builder()
                .inetAddress(listen.getAddress())
                .port(listen.getPort())
                .registry(registry)
                .buildAndStart();
        return new MetricsEndpoint(server);
    }

    int port() {
        return server.getPort();
    }

    static void register(PrometheusRegistry registry, DaemonApi api) {
        gauge(
                registry,
                "jctdb_node_flag",
                "A flag of a node as this node sees it (1 set, 0 clear).",
                cb -> {
                    for (NodeView n : api.view().nodes()) {
                        for (var f : FLAGS.entrySet()) {
                            cb.call(
                                    NodeFlags.has(n.flags(), f.getValue()) ? 1 : 0,
                                    String.valueOf(n.pnn()),
                                    f.getKey());
                        }
                    }
                },
                "pnn",
                "flag");
        gauge(
                registry,
                "jctdb_nodes",
                "Nodes in each state (a node with no flag is ok; one with several counts in each).",
                cb -> {
                    ClusterView v = api.view();
                    long ok = v.nodes().stream().filter(n -> n.flags() == 0).count();
                    cb.call(ok, "ok");
                    for (var f : FLAGS.entrySet()) {
                        cb.call(
                                v.nodes().stream()
                                        .filter(n -> NodeFlags.has(n.flags(), f.getValue()))
                                        .count(),
                                f.getKey());
                    }
                },
                "state");
        gauge(
                registry,
                "jctdb_this_node_pnn",
                "The PNN of the node that answers.",
                cb -> cb.call(api.view().myPnn()));
        gauge(
                registry,
                "jctdb_leader_pnn",
                "The leader's PNN, -1 when there is none.",
                cb -> cb.call(api.view().leader()));
        gauge(
                registry,
                "jctdb_generation",
                "The current generation, -1 before the first recovery.",
                cb -> cb.call(api.view().generation()));
        gauge(
                registry,
                "jctdb_recovery_mode",
                "1 while the cluster is in recovery, 0 when normal.",
                cb -> cb.call(api.view().recoveryMode()));
        gauge(registry, "jctdb_last_recovery_duration_seconds", "How long the last recovery took.", cb -> {
            ClusterView v = api.view();
            if (v.lastRecoveryEndMillis() >= v.lastRecoveryStartMillis() && v.lastRecoveryStartMillis() > 0) {
                cb.call((v.lastRecoveryEndMillis() - v.lastRecoveryStartMillis()) / 1000.0);
            }
        });
        gauge(
                registry,
                "jctdb_last_recovery_end_timestamp_seconds",
                "When the last recovery ended (Unix time).",
                cb -> {
                    if (api.view().lastRecoveryEndMillis() > 0) {
                        cb.call(api.view().lastRecoveryEndMillis() / 1000.0);
                    }
                });
        gauge(
                registry,
                "jctdb_start_time_seconds",
                "When the daemon started (Unix time).",
                cb -> cb.call(api.view().startTimeMillis() / 1000.0));
        gauge(registry, "jctdb_peers_connected", "Other nodes this node is connected to.", cb -> {
            ClusterView v = api.view();
            cb.call(v.nodes().stream()
                    .filter(n -> n.pnn() != v.myPnn()
                            && !NodeFlags.has(n.flags(), NodeFlags.DISCONNECTED | NodeFlags.DELETED))
                    .count());
        });
        gauge(
                registry,
                "jctdb_storage_state",
                "The storage probe's state of each node (1 for its current state).",
                cb -> {
                    for (NodeView n : api.view().nodes()) {
                        cb.call(1, String.valueOf(n.pnn()), n.storage().state());
                    }
                },
                "pnn",
                "state");
        gauge(
                registry,
                "jctdb_storage_probe_hung_seconds",
                "How long the current storage probe of a path has hung (0 unless HUNG).",
                cb -> storage(
                        api,
                        (r, p) -> cb.call(
                                p.status().state() == ProbeState.HUNG ? HealthReport.forMillis(r, p) / 1000.0 : 0,
                                p.status().path().toString())),
                "path");
        gauge(registry, "jctdb_clients", "Clients connected to the CTDB client socket.", cb -> cb.call(api.clients()));
        gauge(
                registry,
                "jctdb_public_addresses_hosted",
                "Public addresses configured on this node now.",
                cb -> api.ip().ifPresent(ip -> cb.call(ip.snapshot().hosted().size())));
        gauge(
                registry,
                "jctdb_public_addresses_unassigned",
                "Public addresses the leader assigned to no node (leader only).",
                cb -> api.ip().ifPresent(ip -> {
                    IpSnapshot s = ip.snapshot();
                    if (s.leading()) {
                        cb.call(s.assignment().values().stream()
                                .filter(p -> p < 0)
                                .count());
                    }
                }));
        gauge(
                registry,
                "jctdb_event_script_duration_seconds",
                "Run time of each script in the last run of its event.",
                cb -> scripts(api, (event, r) -> cb.call(r.durationMillis() / 1000.0, event, r.name())),
                "event",
                "script");
        gauge(
                registry,
                "jctdb_event_script_failed",
                "1 when a script failed (error, timeout, hung, cannot run) in the last run of its event.",
                cb -> scripts(api, (event, r) -> cb.call(failed(r.status()) ? 1 : 0, event, r.name())),
                "event",
                "script");
    }

    /** The states {@code jctdb_cluster_lock_state} shows, one of them 1. */
    static final List<String> LOCK_STATES =
            List.of("none", "taken", "contention", "timeout", "error", "lost", "unresponsive");

    private static void registerLock(PrometheusRegistry registry, DaemonApi api, DaemonMetrics metrics) {
        gauge(
                registry,
                "jctdb_cluster_lock_state",
                "The cluster lock as its backend last reported it (1 for the current state; none: not asked for or released).",
                cb -> {
                    if (api.view().clusterLock().isPresent()) {
                        String now = metrics.lockState();
                        LOCK_STATES.forEach(st -> cb.call(st.equals(now) ? 1 : 0, st));
                    }
                },
                "state");
    }

    private static void storage(
            DaemonApi api, java.util.function.BiConsumer<HealthReport, HealthReport.PathReport> each) {
        api.health().ifPresent(r -> r.paths().forEach(p -> each.accept(r, p)));
    }

    private static boolean failed(ScriptStatus s) {
        return switch (s) {
            case OK, DISABLED -> false;
            case ERROR, TIMEDOUT, CANNOT_RUN, HUNG -> true;
        };
    }

    private static void scripts(DaemonApi api, java.util.function.BiConsumer<String, ScriptResult> each) {
        api.events().ifPresent(events -> {
            for (Event e : Event.values()) {
                events.lastStatus(e)
                        .ifPresent(c ->
                                c.scripts().forEach(r -> each.accept(e.name().toLowerCase(), r)));
            }
        });
    }

    private static void gauge(
            PrometheusRegistry registry,
            String name,
            String help,
            Consumer<GaugeWithCallback.Callback> cb,
            String... labels) {
        GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames(labels)
                .callback(cb)
                .register(registry);
    }

    @Override
    public void close() {
        server.close();
    }
}

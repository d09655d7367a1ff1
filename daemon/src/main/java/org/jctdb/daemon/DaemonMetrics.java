package org.jctdb.daemon;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.Locale;
import org.jctdb.event.Event;
import org.jctdb.event.EventReply;
import org.jctdb.event.ScriptResult;
import org.jctdb.leader.LockResult;

/**
 * The counters and histograms the daemon's shell keeps for the Prometheus endpoint
 * (docs/metrics.md): what no snapshot can answer at scrape time because it happened between two
 * scrapes (lock attempts, probe answers, script runs, takeover runs, recoveries, keepalive misses).
 * Always kept, cheap (an adder per sample), served only when {@code [metrics] listen} is set.
 * Thread-safe: callers are the core, lock, health, event and I/O threads.
 */
final class DaemonMetrics {
    /** Seconds, from a fast local answer to a hung cluster filesystem. */
    private static final double[] LATENCY_BOUNDS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
    };
    /** Seconds, for runs that involve event scripts on several nodes. */
    private static final double[] RUN_BOUNDS = {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120};

    final PrometheusRegistry registry = new PrometheusRegistry();

    private final Counter lockResults =
            counter("jctdb_cluster_lock_results", "Outcomes the cluster lock backend reported, by result.", "result");
    private final Histogram lockAcquire = histogram(
            "jctdb_cluster_lock_acquire_seconds",
            "From asking for the cluster lock to the backend's answer (taken, contention, timeout, error).",
            LATENCY_BOUNDS,
            "result");
    private final Histogram lockCheck = histogram(
            "jctdb_cluster_lock_check_seconds",
            "Round trip of each check that the held lock is still ours (lease renewals of etcd and ZooKeeper).",
            LATENCY_BOUNDS);
    private final Histogram probeLatency = histogram(
            "jctdb_storage_probe_duration_seconds",
            "Run time of each storage probe that answered, by path and result (ok, failed).",
            LATENCY_BOUNDS,
            "path",
            "result");
    private final Counter probesHung =
            counter("jctdb_storage_probes_hung", "Storage probes that hung (no answer by their deadline).", "path");
    private final Counter scriptRuns = counter(
            "jctdb_event_script_runs",
            "Event script runs by event, script and status (ok, error, timedout, cannot_run, hung).",
            "event",
            "script",
            "status");
    private final Counter eventRuns =
            counter("jctdb_event_runs", "Events run, by event and result (ok, failed, timedout).", "event", "result");
    private final Counter takeoverRuns =
            counter("jctdb_takeover_runs", "IP takeover runs this node started as leader.");
    private final Counter takeoverRunsFailed =
            counter("jctdb_takeover_runs_failed", "IP takeover runs of this leader that failed or timed out.");
    private final Histogram takeoverDuration = histogram(
            "jctdb_takeover_run_duration_seconds",
            "How long each IP takeover run of this leader took (also failed and abandoned ones).",
            RUN_BOUNDS);
    private final Counter recoveries =
            counter("jctdb_recoveries", "Recoveries this node went through (as leader or member).");
    private final Histogram recoveryDuration = histogram(
            "jctdb_recovery_duration_seconds", "How long each recovery took, recovery mode on to off.", RUN_BOUNDS);
    private final Counter keepaliveMisses = counter(
            "jctdb_keepalive_misses",
            "Keepalives a connected peer missed (half an interval late, then one per interval; the peer is dropped at KeepaliveLimit).",
            "pnn");

    // The lock's state as the last report left it; "none" before an attempt and after a release.
    private volatile String lockState = "none";
    private long acquireStartedNanos = -1; // guarded by this

    // ---- the cluster lock (LeaderDriver) ----

    /** An attempt starts; a second call while one is pending keeps the first start. */
    synchronized void lockAcquiring() {
        if (acquireStartedNanos < 0) {
            acquireStartedNanos = System.nanoTime();
        }
    }

    synchronized void lockReleased() {
        acquireStartedNanos = -1;
        lockState = "none";
    }

    /** A backend's report, on its own thread, before it is queued for the core. */
    synchronized void lockResult(LockResult r) {
        String name = label(r);
        lockResults.labelValues(name).inc();
        switch (r) {
            case TAKEN, CONTENTION, TIMEOUT, ERROR -> {
                if (acquireStartedNanos >= 0) {
                    lockAcquire.labelValues(name).observe(secondsSince(acquireStartedNanos));
                    acquireStartedNanos = -1;
                }
                lockState = name;
            }
            case LOST, UNRESPONSIVE -> lockState = name;
            case RESPONSIVE_AGAIN -> lockState = label(LockResult.TAKEN);
        }
    }

    void lockChecked(long millis) {
        lockCheck.observe(millis / 1000.0);
    }

    /** taken, contention, timeout, error, lost, unresponsive, or none. */
    String lockState() {
        return lockState;
    }

    static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    // ---- storage probes (HealthLifecycle) ----

    void probeAnswered(Path path, long millis, boolean ok) {
        probeLatency.labelValues(path.toString(), ok ? "ok" : "failed").observe(millis / 1000.0);
    }

    void probeHung(Path path) {
        probesHung.labelValues(path.toString()).inc();
    }

    // ---- event scripts (EventLifecycle) ----

    void scriptFinished(Event event, ScriptResult r) {
        scriptRuns.labelValues(event.wireName(), r.name(), label(r.status())).inc();
    }

    void eventFinished(EventReply reply) {
        if (reply instanceof EventReply.Completed c) {
            String result = c.summary() == 0 ? "ok" : c.timedOut() ? "timedout" : "failed";
            eventRuns.labelValues(c.event().wireName(), result).inc();
        }
    }

    // ---- takeover runs (IpTakeoverDriver), recoveries (Daemon), keepalives (the mesh) ----

    void takeoverRunsStarted(long n) {
        takeoverRuns.inc(n);
    }

    void takeoverRunsFailed(long n) {
        takeoverRunsFailed.inc(n);
    }

    void takeoverRunEnded(long millis) {
        takeoverDuration.observe(millis / 1000.0);
    }

    void recoveryEnded(long millis) {
        recoveries.inc();
        if (millis >= 0) {
            recoveryDuration.observe(millis / 1000.0);
        }
    }

    void keepaliveMissed(int pnn) {
        keepaliveMisses.labelValues(String.valueOf(pnn)).inc();
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    // Without exemplars (no tracing here): the library's exemplar sampler otherwise schedules a task
    // on a thread of its own after observations, ~1.4 wake-ups a second on an idle node.
    private Counter counter(String name, String help, String... labels) {
        Counter c = Counter.builder()
                .name(name)
                .help(help)
                .labelNames(labels)
                .withoutExemplars()
                .build();
        registry.register(c);
        return c;
    }

    private Histogram histogram(String name, String help, double[] bounds, String... labels) {
        Histogram h = Histogram.builder()
                .name(name)
                .help(help)
                .labelNames(labels)
                .classicOnly()
                .classicUpperBounds(bounds)
                .withoutExemplars()
                .build();
        registry.register(h);
        return h;
    }
}

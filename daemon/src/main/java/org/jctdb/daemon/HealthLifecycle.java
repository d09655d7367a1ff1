package org.jctdb.daemon;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jctdb.common.Ticker;
import org.jctdb.config.HealthConf;
import org.jctdb.config.NodeConfig;
import org.jctdb.config.Tunables;
import org.jctdb.health.HealthMonitor;
import org.jctdb.health.HealthReport;
import org.jctdb.health.PathStatus;
import org.jctdb.health.ProbeSettings;
import org.jctdb.health.ProbeState;
import org.jctdb.health.ShutdownGuard;
import org.jctdb.lock.ClusterLocks;
import org.jctdb.protocol.StorageSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the cluster filesystem probe for the daemon: watches the cluster lock's directory (when
 * the lock is a path, not a !helper) and {@code [health] extra paths}, on a thread of its own.
 * Verdicts and the hung storage action are handed to the core thread; the action is checked
 * once more there, against the probe state of that moment.
 */
final class HealthLifecycle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jctdb.health");

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jctdb-health");
        t.setDaemon(true);
        return t;
    });
    private final HealthMonitor monitor;
    private final Runnable summaryMayChange;

    /**
     * @param healthy  (storage healthy, reason) on the core thread
     * @param shutdown stops the daemon; called on the core thread only if still warranted there
     * @param stateChanged a path's probe state changed (on the monitor's thread, the report already
     *                     showing it): the only moments {@link #summary} can change
     */
    HealthLifecycle(
            NodeConfig config,
            Supplier<Tunables> tunables,
            Executor core,
            BiConsumer<Boolean, String> healthy,
            Consumer<String> shutdown,
            Runnable stateChanged,
            DaemonMetrics metrics) {
        this.summaryMayChange = stateChanged;
        HealthConf hc = config.conf().health();
        ShutdownGuard guard = hc.shutdownWhenHung()
                ? new ShutdownGuard(true, hc.hungTimeoutSeconds() * 1000L)
                : ShutdownGuard.disabled();
        monitor = new HealthMonitor(
                watched(config),
                hc.probeCommand(),
                () -> ProbeSettings.from(tunables.get()),
                guard,
                scheduler,
                Ticker.SYSTEM,
                new HealthMonitor.Listener() {
                    @Override
                    public void healthChanged(boolean ok, String reason) {
                        core.execute(() -> healthy.accept(ok, reason));
                    }

                    @Override
                    public void stateChanged(Path path, PathStatus status) {
                        if (status.state() == ProbeState.HUNG) {
                            metrics.probeHung(path);
                        }
                        summaryMayChange.run();
                    }

                    @Override
                    public void probeAnswered(Path path, long millis, boolean ok) {
                        metrics.probeAnswered(path, millis, ok);
                    }

                    @Override
                    public void shutdownRequested(String reason) {
                        core.execute(() -> {
                            if (monitor.shutdownStillWarranted()) {
                                shutdown.accept("hung storage: " + reason);
                            } else {
                                log.warn("hung storage action cancelled: storage answered again before it ran");
                            }
                        });
                    }
                });
    }

    /** The lock's directory first, then the extra paths, without repeats. */
    static List<HealthMonitor.Watched> watched(NodeConfig config) {
        List<HealthMonitor.Watched> out = new ArrayList<>();
        config.conf()
                .clusterLock()
                .flatMap(ClusterLocks::lockFile)
                .map(Path::getParent)
                .ifPresent(dir -> out.add(new HealthMonitor.Watched(dir, true)));
        for (String p : config.conf().health().extraPaths()) {
            Path path = Path.of(p);
            if (out.stream().noneMatch(w -> w.path().equals(path))) {
                out.add(new HealthMonitor.Watched(path, false));
            }
        }
        return out;
    }

    void start() {
        monitor.start();
    }

    HealthReport report() {
        return monitor.snapshot();
    }

    /**
     * The worst path's state for the other nodes, its start turned into wall-clock time.
     * {@code previous} is kept when nothing changed, so its time does not drift. It changes only
     * when a path's probe state does (nothing in it falls due with time): the daemon recomputes it
     * after the monitor says so, not on a timer of its own.
     */
    StorageSummary summary(StorageSummary previous, long nowEpochMillis) {
        return summarize(report(), previous, nowEpochMillis);
    }

    static StorageSummary summarize(HealthReport r, StorageSummary previous, long nowEpochMillis) {
        HealthReport.PathReport worst = null;
        for (HealthReport.PathReport p : r.paths()) {
            if (worst == null || p.status().state().compareTo(worst.status().state()) > 0) {
                worst = p;
            }
        }
        if (worst == null || worst.status().state().compareTo(ProbeState.OK) <= 0) {
            return StorageSummary.OK;
        }
        StorageSummary now = new StorageSummary(
                worst.status().state().name(),
                worst.status().path().toString(),
                nowEpochMillis - HealthReport.forMillis(r, worst));
        return now.sameAs(previous) ? previous : now;
    }

    @Override
    public void close() {
        monitor.close();
        scheduler.shutdownNow();
    }
}

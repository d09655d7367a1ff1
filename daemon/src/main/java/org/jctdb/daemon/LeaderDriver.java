package org.jctdb.daemon;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jctdb.common.Ticker;
import org.jctdb.config.NodeConfig;
import org.jctdb.config.NodeEntry;
import org.jctdb.config.Tunables;
import org.jctdb.control.LockReport;
import org.jctdb.leader.Effect;
import org.jctdb.leader.LeaderConfig;
import org.jctdb.leader.LeaderCore;
import org.jctdb.leader.LeaderMessage;
import org.jctdb.leader.LeaderStatus;
import org.jctdb.leader.LockLease;
import org.jctdb.leader.LockResult;
import org.jctdb.leader.LockTrouble;
import org.jctdb.leader.RecoveryEvent;
import org.jctdb.leader.RecoveryMode;
import org.jctdb.leader.Role;
import org.jctdb.lock.ClusterLock;
import org.jctdb.lock.ClusterLocks;
import org.jctdb.lock.HelperProcessLock;
import org.jctdb.lock.LockListener;
import org.jctdb.mesh.WireMessage;
import org.jctdb.transport.GridTimer;
import org.jctdb.transport.NodeMesh;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The imperative shell around {@link LeaderCore}: feeds it peer events, leader messages, lock
 * results and event outcomes on the core thread, and carries out the effects it returns.
 * Lock results jump the queue: after a pause, a LOST must be acted on before anything else.
 */
final class LeaderDriver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jctdb.leader");
    /**
     * The core's tick: the IP tick's default period (`JctdbIPReportMs`), so that both run in one wake-up
     * of the I/O thread on the shared grid ({@link GridTimer}); the simulator models this period.
     */
    static final long TICK_MILLIS = 250;
    /** Our fcntl helper gives the lock up after leader timeout + this many seconds without a tick. */
    private static final int HELPER_STALL_MARGIN_S = 2;

    /** What the rest of the daemon needs from this shell. */
    interface Host {
        NodeMesh mesh();

        /** Runs startrecovery or recovered; completes with whether it counts as a success. */
        CompletableFuture<Boolean> runEvent(String event, long generation);

        /** The leader, generation, VNN map or recovery mode changed. */
        void leaderStateChanged();

        /**
         * The leader's database step of recovery {@code generation} over {@code members}; completes with
         * whether it succeeded (then FINISH and `recovered` follow).
         */
        CompletableFuture<Boolean> recoverDatabases(long generation, List<Integer> members);

        /** This node no longer knows a leader: its databases stop serving until the next recovery. */
        void leaderLost();

        /** A generation used before this start (the persistent databases' lineage); new ones go above it. */
        long storedGeneration();
    }

    /** {@code result} null: a lease renewal; {@code lease} set for lease-based locks. */
    private record LockOutcome(LockResult result, String detail, LockLease lease) {}

    private final NodeConfig config;
    private final ScheduledExecutorService core;
    private final Ticker ticker;
    private final Host host;
    private final LeaderCore leader;
    private final Optional<ClusterLock> lock;
    private final DaemonMetrics metrics;
    private final ConcurrentLinkedQueue<LockOutcome> lockOutcomes = new ConcurrentLinkedQueue<>();
    private LockTrouble troubleSeen; // core thread: the trouble lockReport was last made from
    private String troubleDetail = ""; // core thread: the backend's last TIMEOUT/ERROR/LOST/UNRESPONSIVE text
    private volatile Optional<LockReport> lockReport = Optional.empty(); // read by commands on any thread
    private long lastRecoveryStart;
    private long lastRecoveryEnd;
    private GridTimer tick; // core thread; set by start()

    LeaderDriver(
            NodeConfig config,
            Tunables tunables,
            ScheduledExecutorService core,
            Ticker ticker,
            Path lockHelper,
            DaemonMetrics metrics,
            Host host) {
        this.config = config;
        this.core = core;
        this.ticker = ticker;
        this.host = host;
        this.metrics = metrics;
        this.lock = ClusterLocks.fromConfig(
                config.conf().clusterLock().orElse(null),
                lockHelper,
                new LockListener() {
                    @Override
                    public void onLockResult(LockResult result, String detail) {
                        metrics.lockResult(result);
                        queue(new LockOutcome(result, detail, null));
                    }

                    @Override
                    public void onLockTaken(String detail, LockLease lease) {
                        metrics.lockResult(LockResult.TAKEN);
                        queue(new LockOutcome(LockResult.TAKEN, detail, lease));
                    }

                    @Override
                    public void onLeaseRenewed(LockLease lease) {
                        queue(new LockOutcome(null, null, lease));
                    }

                    @Override
                    public void onLockChecked(long millis) {
                        metrics.lockChecked(millis);
                    }
                },
                // The stall rule's bound: leader timeout + 2 s (docs/design/leader-and-lock.md, "A stalled leader").
                HelperProcessLock.Timing.defaults()
                        .withHeartbeat((int) config.conf().leaderTimeout() + HELPER_STALL_MARGIN_S));
        LeaderConfig cfg = LeaderConfig.defaults(
                        config.myPnn(), configuredNodes(config), config.conf().leaderCapability(), lock.isPresent())
                .withLeaderTimeoutMs(config.conf().leaderTimeout() * 1000L)
                .withRecoveryTimeouts(tunables.millis("RecoverTimeout"), tunables.millis("RerecoveryTimeout"))
                .withDatabaseRecovery(true);
        this.leader = new LeaderCore(cfg, new SplittableRandom(System.nanoTime() ^ config.myPnn()), ticker.nowMillis());
    }

    /** Called on the core thread once the mesh is up. */
    void start() {
        lock.ifPresent(l -> log.info("cluster lock: {}", l.description()));
        long stored = host.storedGeneration();
        if (stored > 0) {
            // After a whole-cluster restart with an fcntl lock the generation counter starts again; the
            // persistent databases' lineage must still compare newest-last, so pick above what they carry.
            log.info("persistent databases carry lineage generation {}: new generations go above it", stored);
            leader.learnGeneration(stored);
        }
        tick = GridTimer.on(core, TICK_MILLIS, () -> {
            try {
                drainLockOutcomes();
                // Clock, heartbeat, tick, in this order: the core's last tick time is never later
                // than the last heartbeat, so a helper that gave the lock up after its bound always
                // leaves the core a gap above the leader timeout (docs/design/leader-and-lock.md).
                long now = ticker.nowMillis();
                lock.ifPresent(ClusterLock::heartbeat);
                apply(leader.tick(now));
            } finally { // whatever went wrong, the next tick comes
                tick.moveToMillis(leader.nextTickAt());
            }
        });
        apply(leader.start(ticker.nowMillis()));
    }

    LeaderStatus status() {
        return leader.status();
    }

    /**
     * The status after the core has looked at the time (core thread): IP takeover reads it before
     * granting, so a leader resumed after a pause past the leader timeout ends that term first.
     */
    LeaderStatus statusNow() {
        drainLockOutcomes();
        apply(leader.observe(ticker.nowMillis()));
        return leader.status();
    }

    long lastRecoveryStart() {
        return lastRecoveryStart;
    }

    long lastRecoveryEnd() {
        return lastRecoveryEnd;
    }

    // ---- inputs, all on the core thread ----

    void peerFlags(int pnn, int flags) {
        drainLockOutcomes();
        apply(leader.onPeerFlagsChanged(pnn, flags, ticker.nowMillis()));
    }

    void peerConnected(int pnn) {
        drainLockOutcomes();
        apply(leader.onPeerConnected(pnn, ticker.nowMillis()));
    }

    void peerDisconnected(int pnn) {
        drainLockOutcomes();
        apply(leader.onPeerDisconnected(pnn, ticker.nowMillis()));
    }

    /** reloadnodes changed the node list: the quorum rule counts the configured, not-deleted nodes. */
    void nodesChanged(NodeConfig changed) {
        drainLockOutcomes();
        apply(leader.onNodesChanged(configuredNodes(changed), ticker.nowMillis()));
    }

    private static List<Integer> configuredNodes(NodeConfig c) {
        List<Integer> pnns = new ArrayList<>();
        for (NodeEntry n : c.nodes().nodes()) {
            if (!n.deleted()) {
                pnns.add(n.pnn());
            }
        }
        return pnns;
    }

    void ownFlags(int flags) {
        drainLockOutcomes();
        apply(leader.onOwnFlagsChanged(flags, ticker.nowMillis()));
    }

    /** setleaderrole: whether this node may be elected leader from now on. */
    void leaderRole(boolean on) {
        drainLockOutcomes();
        apply(leader.onLeaderRoleChanged(on, ticker.nowMillis()));
    }

    /** Starts a recovery now if this node leads; returns whether it does. */
    boolean recover() {
        drainLockOutcomes();
        apply(leader.onRecoverRequested(ticker.nowMillis()));
        return leader.status().role() == Role.LEADER;
    }

    void message(int from, LeaderMessage msg) {
        drainLockOutcomes();
        apply(leader.onMessage(from, msg, ticker.nowMillis()));
    }

    private void queue(LockOutcome o) {
        lockOutcomes.add(o);
        core.execute(this::drainLockOutcomes);
    }

    private final Logging.Repeats lockLines = new Logging.Repeats(TimeUnit.MINUTES.toNanos(1));

    private void drainLockOutcomes() {
        LockOutcome o;
        while ((o = lockOutcomes.poll()) != null) {
            if (o.result() == null) {
                apply(leader.onLeaseRenewed(o.lease(), ticker.nowMillis()));
                continue;
            }
            switch (o.result()) {
                case TIMEOUT, ERROR, LOST, UNRESPONSIVE -> troubleDetail = o.detail() == null ? "" : o.detail();
                default -> {}
            }
            if (o.result() == LockResult.TAKEN || o.result() == LockResult.RESPONSIVE_AGAIN) {
                lockLines.flush().forEach(l -> log.warn("{}", l));
                log.info("cluster lock {}: {}", o.result(), o.detail());
            } else {
                // A follower retries every second or so while the leader holds (or is paused holding) the lock.
                lockLines
                        .next("cluster lock " + o.result() + ": " + o.detail(), System.nanoTime())
                        .forEach(l -> log.warn("{}", l));
            }
            apply(leader.onLockResult(o.result(), o.lease(), ticker.nowMillis()));
        }
    }

    // ---- effects ----

    /** The cluster lock's trouble as this node sees it, refreshed by every input of the core (any thread). */
    Optional<LockReport> lockReport() {
        return lockReport;
    }

    /** Core thread: a new trouble gets its wall-clock start once, so "since" does not move. */
    private void refreshLockReport() {
        LockTrouble t = leader.lockTrouble().orElse(null);
        if (t == null) {
            troubleDetail = ""; // an old episode's words must not explain a later one
        }
        String reason = troubleDetail;
        if (t == troubleSeen && lockReport.map(r -> r.reason().equals(reason)).orElse(true)) {
            return;
        }
        troubleSeen = t;
        lockReport = Optional.ofNullable(t)
                .map(x -> new LockReport(
                        config.conf().clusterLock().orElse(""),
                        x.state().name(),
                        System.currentTimeMillis() - Math.max(0, ticker.nowMillis() - x.since()),
                        x.action(),
                        reason));
    }

    private void apply(List<Effect> effects) {
        refreshLockReport();
        // Any input may move the next tick, forward or back (an announcement heard puts a follower's
        // off). Ticks before nextTickAt would do nothing (the simulator checks that on every one a
        // follower leaves out), so the I/O thread is not woken for them; an idle leader's come once an
        // announce interval. The ticker is Ticker.SYSTEM, the timer's clock.
        if (tick != null) {
            tick.moveToMillis(leader.nextTickAt());
        }
        for (Effect e : effects) {
            if (e instanceof Effect.Send) {
                Effect.Send s = (Effect.Send) e;
                host.mesh().send(s.to(), wrap(s.message()));
            } else if (e instanceof Effect.Broadcast) {
                host.mesh().broadcast(wrap(((Effect.Broadcast) e).message()));
            } else if (e instanceof Effect.TakeLock) {
                lock.ifPresent(l -> {
                    metrics.lockAcquiring(); // first: a backend may answer inside acquire()
                    l.acquire();
                });
            } else if (e instanceof Effect.ReleaseLock) {
                lock.ifPresent(l -> {
                    l.release();
                    metrics.lockReleased();
                });
            } else if (e instanceof Effect.RunEvent) {
                Effect.RunEvent r = (Effect.RunEvent) e;
                runEvent(r.event(), r.generation());
            } else if (e instanceof Effect.SetRecoveryMode) {
                Effect.SetRecoveryMode m = (Effect.SetRecoveryMode) e;
                if (m.mode() == RecoveryMode.ACTIVE) {
                    lastRecoveryStart = System.currentTimeMillis();
                } else {
                    lastRecoveryEnd = System.currentTimeMillis();
                }
                host.leaderStateChanged();
            } else if (e instanceof Effect.RecoverDatabases r) {
                host.recoverDatabases(r.generation(), r.members())
                        .exceptionally(x -> {
                            log.error("database recovery of generation {} failed", r.generation(), x);
                            return false;
                        })
                        .thenAccept(ok -> core.execute(
                                () -> apply(leader.onDatabasesRecovered(r.generation(), ok, ticker.nowMillis()))));
            } else if (e instanceof Effect.LeaderChanged c) {
                if (c.leader() < 0) {
                    host.leaderLost();
                }
                host.leaderStateChanged();
            } else if (e instanceof Effect.SetVnnMap) {
                host.leaderStateChanged();
            } else if (e instanceof Effect.Log) {
                log((Effect.Log) e);
            } else {
                throw new IllegalStateException("unhandled leader effect " + e);
            }
        }
    }

    private void runEvent(RecoveryEvent event, long generation) {
        host.runEvent(event.scriptArgument(), generation)
                .thenAccept(ok ->
                        core.execute(() -> apply(leader.onEventResult(event, generation, ok, ticker.nowMillis()))));
    }

    private WireMessage wrap(LeaderMessage m) {
        return new WireMessage.Leader(m);
    }

    private static void log(Effect.Log l) {
        switch (l.level()) {
            case ERROR:
                log.error("{}", l.text());
                break;
            case WARN:
                log.warn("{}", l.text());
                break;
            case INFO:
                log.info("{}", l.text());
                break;
            default:
                log.debug("{}", l.text());
        }
    }

    @Override
    public void close() {
        lock.ifPresent(ClusterLock::close);
    }
}

package org.jctdb.daemon;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jctdb.common.Ticker;
import org.jctdb.config.NodeConfig;
import org.jctdb.config.PublicAddress;
import org.jctdb.config.Tunables;
import org.jctdb.control.ClusterView;
import org.jctdb.control.IpControl;
import org.jctdb.control.IpSnapshot;
import org.jctdb.control.NodeView;
import org.jctdb.event.EventEngine;
import org.jctdb.ip.FailoverTiming;
import org.jctdb.ip.HostedAddress;
import org.jctdb.ip.HostingNode;
import org.jctdb.ip.IpAllocAlgorithm;
import org.jctdb.ip.IpAllocTunables;
import org.jctdb.ip.IpEffect;
import org.jctdb.ip.IpMessage;
import org.jctdb.ip.StorageHold;
import org.jctdb.ip.TakeoverInput;
import org.jctdb.ip.TakeoverLeader;
import org.jctdb.leader.LeaderStatus;
import org.jctdb.leader.RecoveryMode;
import org.jctdb.leader.Role;
import org.jctdb.mesh.WireMessage;
import org.jctdb.node.DisconnectCause;
import org.jctdb.protocol.StorageSummary;
import org.jctdb.transport.GridTimer;
import org.jctdb.transport.NodeMesh;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell around {@link HostingNode} (this node's addresses) and {@link TakeoverLeader}
 * (takeover runs, when this node leads): ticks both every report interval on the core thread,
 * carries "ip" mesh messages, hands address events to {@link AddressEvents} (one at a time), and keeps the
 * {@link AddressGuard} refreshing lifetimes. Everything except event completion runs on the core thread.
 */
final class IpTakeoverDriver implements IpControl, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jctdb.ip");

    interface Host {
        NodeMesh mesh();

        /** The leader core's status now: a term it ends at this time (a stall) has ended in it. */
        LeaderStatus leaderStatus();

        ClusterView view();

        Tunables tunables();

        Optional<EventEngine> events();

        /** Ban this node (the leader asked, or a command). */
        void ban(int seconds, String why);

        /** Just before releaseip of {@code ip}: local CTDB clients get the RELEASE_IP message. */
        default void releasing(String ip) {}
    }

    private final NodeConfig config;
    private final FailoverTiming timing;
    private final ScheduledExecutorService core;
    private final StorageHold storageHold = new StorageHold();
    private final Ticker ticker;
    private final Host host;
    private final int me;
    private final HostingNode node;
    private final TakeoverLeader leader;
    private final Map<String, IpMessage.Listed> listed = new LinkedHashMap<>();
    private final Set<String> downIfaces = new HashSet<>();
    private final AddressEvents events;
    private final GratuitousArp gratarp = GratuitousArp.installed();
    private final Tickles tickles;
    private boolean stopping;
    private volatile IpSnapshot snapshot;
    private final List<CompletableFuture<Void>> runWaiters = new ArrayList<>();
    private final DaemonMetrics metrics;
    // What the metrics have seen of the leader's runs (core thread).
    private long runsSeen;
    private long failedRunsSeen;
    private long runStartedAt = -1;
    /** This node keeps its addresses on vouches (no grant): logged when that begins and ends. */
    private boolean onVouches;
    /** The leader said no node lists a public address (logged when that changes). */
    private boolean idle;

    private GridTimer tick; // set by start()

    IpTakeoverDriver(
            NodeConfig config,
            FailoverTiming timing,
            ScheduledExecutorService core,
            Ticker ticker,
            DaemonMetrics metrics,
            Host host) {
        this.config = config;
        this.metrics = metrics;
        this.timing = timing;
        this.core = core;
        this.ticker = ticker;
        this.host = host;
        this.me = config.myPnn();
        this.node = new HostingNode(me, timing, new SecureRandom().nextLong(), ticker.nowMillis());
        this.leader = new TakeoverLeader(me, timing);
        this.events = new AddressEvents(
                node,
                core,
                ticker,
                timing,
                host::events,
                host::tunables,
                downIfaces,
                () -> stopping,
                () -> host.leaderStatus().seenGeneration(),
                new AddressEvents.Listener() {
                    @Override
                    public void changed() {
                        publish();
                        wake();
                    }

                    @Override
                    public void taken(HostedAddress a) {
                        gratarp.announceInBackground(a.iface(), a.ip());
                        tickles.taken(a);
                    }

                    @Override
                    public CompletableFuture<Void> releasing(HostedAddress a) {
                        host.releasing(a.ip());
                        return tickles.releasing(a);
                    }
                });
        setListed(config.publicAddresses().addresses());
        publish();
        this.tickles = new Tickles(me, core, new Tickles.Host() {
            @Override
            public IpSnapshot snapshot() {
                return snapshot;
            }

            @Override
            public Tunables tunables() {
                return host.tunables();
            }

            @Override
            public void broadcast(WireMessage m) {
                host.mesh().broadcast(m);
            }
        });
    }

    /** The tickle lists of this node. */
    Tickles tickles() {
        return tickles;
    }

    /** Starts the guard, deletes leftover public addresses, then ticks. Call on the core thread. */
    void start() {
        if (!listed.isEmpty()) {
            try {
                AddressGuard guard = AddressGuard.start(
                        config.layout().varDir().resolve("ip").resolve("hosted"));
                guard.deleteAll(config.publicAddresses().addresses());
                events.guard(guard);
            } catch (IOException e) {
                log.error("cannot start the address guard: {}; addresses will not expire on their own", e.getMessage());
            }
        }
        tick = GridTimer.on(core, timing.reportMs(), this::tick);
        tick.armSoon();
        tickles.start();
    }

    private void setListed(List<PublicAddress> addresses) {
        listed.clear();
        for (PublicAddress a : addresses) {
            listed.put(a.addressText(), new IpMessage.Listed(a.addressText(), a.maskBits(), a.interfaces()));
        }
    }

    // ---- ticks and messages, core thread ----

    private void tick() {
        LeaderStatus ls = null;
        try {
            ls = tickNow();
        } finally {
            try {
                armNext(ls);
            } catch (RuntimeException e) { // whatever went wrong, the next tick comes
                tick.armSoon();
                log.error("IP failover tick: cannot tell when the next is due", e);
            }
        }
    }

    /** One tick; returns the leader status it worked with, null if it failed. */
    private LeaderStatus tickNow() {
        try {
            long now = ticker.nowMillis();
            List<HostedAddress> lapsed = node.toRelease(now);
            if (!lapsed.isEmpty()) {
                log.warn(
                        "hold lapsed (neither a leader's grant nor a majority's vouches for {} ms): releasing {}",
                        timing.holdMs(),
                        ips(lapsed));
                events.release(lapsed, failed -> {});
            }
            // The clock is read again for each address: this tick may have been stopped since `now`.
            events.guard()
                    .ifPresent(g -> g.refresh(
                            node.refreshable(ticker.nowMillis()),
                            timing.leaseSeconds(),
                            a -> node.refreshable(a, ticker.nowMillis())));
            LeaderStatus ls = host.leaderStatus();
            List<IpMessage.Listed> list = List.copyOf(listed.values());
            if (ls.leader() >= 0 && node.reportDue(now, ls.leader(), list, !stopping, downIfaces)) {
                // A stopping node keeps reporting (can host: no), so the leader sees its releases at once.
                deliver(ls.leader(), node.report(now, list, !stopping, downIfaces));
            }
            logIdle();
            node.vouchRequest(now, !stopping, clusterSize())
                    .ifPresent(r -> host.mesh().broadcast(new WireMessage.Ip(r)));
            logVouches(now, ls);
            apply(leader.tick(now, input(ls)));
            observeRuns(now);
            if (!runWaiters.isEmpty() && !leader.runRequested() && !leader.runInProgress()) {
                runWaiters.forEach(w -> w.complete(null));
                runWaiters.clear();
            }
            publish();
            return ls;
        } catch (RuntimeException e) {
            log.error("IP failover tick failed", e);
            return null;
        }
    }

    /**
     * The next tick: at the next point of the grid, or, while this node is quiet (it lists, holds and is
     * asked for nothing, and either does not lead or leads a cluster where no node has an address: a
     * tick then does nothing until its idle report to the leader falls due), when that report is due,
     * and without a leader not at all. Whatever can end the quiet (a message, an address event, a
     * command, a change of the cluster view or of the leader's generation) calls {@link #wake}.
     */
    private void armNext(LeaderStatus ls) {
        long gen = ls == null ? 0 : leadingGeneration(ls);
        boolean quiet = ls != null
                && !stopping
                && listed.isEmpty()
                && node.hostedList().isEmpty()
                && runWaiters.isEmpty()
                && !onVouches
                && idle == node.idle()
                && (gen == 0 ? !leader.leading() : leader.idleIn(gen, ticker.nowMillis()));
        long due = quiet && ls.leader() >= 0
                ? node.reportDueAt(ls.leader(), List.copyOf(listed.values()), true, downIfaces)
                : Long.MIN_VALUE;
        long at = nextTickAt(quiet, ls == null ? -1 : ls.leader(), due);
        if (at != Long.MAX_VALUE) {
            tick.armAtNanos(at);
        }
    }

    /**
     * When the next tick is due on {@link System#nanoTime} ({@code Long.MIN_VALUE}: at the next point,
     * {@code Long.MAX_VALUE}: nothing due until {@link #wake}): a quiet node's tick does nothing but its
     * idle report to the leader, due from {@code reportDueAt} (Ticker.SYSTEM milliseconds, or
     * {@code Long.MIN_VALUE}: now); without a leader it has nothing to do at all.
     */
    static long nextTickAt(boolean quiet, int leader, long reportDueAt) {
        if (!quiet) {
            return Long.MIN_VALUE;
        }
        if (leader < 0) {
            return Long.MAX_VALUE;
        }
        return reportDueAt == Long.MIN_VALUE ? Long.MIN_VALUE : TimeUnit.MILLISECONDS.toNanos(reportDueAt);
    }

    /** Something may end the quiet of {@link #armNext}: tick at the next point of the grid. */
    void wake() {
        GridTimer t = tick;
        if (t != null) {
            t.armSoon();
        }
    }

    /** Configured nodes not deleted: a majority of them may keep addresses without a leader. */
    private int clusterSize() {
        int n = 0;
        for (NodeView v : host.view().nodes()) {
            if (!v.deleted()) {
                n++;
            }
        }
        return n;
    }

    private void logIdle() {
        if (node.idle() != idle) {
            idle = node.idle();
            log.info(
                    idle
                            ? "no node lists a public address: reporting to the leader every {} ms"
                            : "a node lists public addresses: reporting to the leader every {} ms again",
                    idle ? timing.idleReportMs() : timing.reportMs());
        }
    }

    private void logVouches(long now, LeaderStatus ls) {
        boolean vouched =
                node.mayHost(now) && !node.mayTake(now) && !node.hostedList().isEmpty();
        if (vouched != onVouches) {
            onVouches = vouched;
            if (vouched) {
                log.warn(
                        "no grant from {} for {} ms: keeping {} on the vouches of a majority of the nodes,"
                                + " taking nothing new until a leader grants again",
                        ls.leader() >= 0 ? "the leader (node " + ls.leader() + ")" : "a leader",
                        now - Math.max(node.lastGrantAt(), 0),
                        ips(node.hostedList()));
            } else if (node.mayTake(now)) {
                log.info("granted by the leader (node {}) again", ls.leader());
            }
        }
    }

    private TakeoverInput input(LeaderStatus ls) {
        ClusterView v = host.view();
        List<Integer> flags = new ArrayList<>();
        List<StorageSummary> storage = new ArrayList<>();
        for (NodeView n : v.nodes()) {
            flags.add(n.flags());
            storage.add(n.storage());
        }
        Tunables t = host.tunables();
        flags = holdForStorage(flags, storage, t);
        long gen = leadingGeneration(ls);
        IpAllocTunables at = new IpAllocTunables(
                IpAllocAlgorithm.fromTunable(t.get("IPAllocAlgorithm")),
                t.get("NoIPFailback") != 0,
                t.get("NoIPTakeover") != 0);
        boolean inRecovery = ls.recoveryInProgress()
                || ls.recoveryMode() != RecoveryMode.NORMAL
                || ls.appliedGeneration() != ls.leadingGeneration();
        return new TakeoverInput(
                gen, inRecovery, flags, at, t.get("EnableBans") != 0, (int) t.get("RecoveryBanPeriod"), (int)
                        t.get("RecoveryGracePeriod"));
    }

    /** The generation whose addresses this node allocates: 0 unless it leads (and failover is enabled). */
    private long leadingGeneration(LeaderStatus ls) {
        return ls.role() == Role.LEADER && !config.conf().failoverDisabled() ? ls.leadingGeneration() : 0;
    }

    /** See {@link StorageHold}: the settle time is two storage probe intervals. */
    private List<Integer> holdForStorage(List<Integer> flags, List<StorageSummary> storage, Tunables t) {
        Set<Integer> before = storageHold.held();
        List<Integer> out =
                storageHold.flagsForAllocation(flags, storage, ticker.nowMillis(), 2 * t.get("HealthProbeIntervalMs"));
        if (!storageHold.held().equals(before)) {
            log.info(
                    "public addresses kept on nodes {} despite their failing cluster filesystem{}",
                    storageHold.held(),
                    storageHold.clusterWide(ticker.nowMillis(), 2 * t.get("HealthProbeIntervalMs"))
                            ? " (failing on all nodes: moving addresses cannot help)"
                            : " (settling)");
        }
        return out;
    }

    /** An IP failover message from the mesh (any thread). */
    void message(int from, IpMessage m) {
        core.execute(() -> {
            if (m.from() != from) {
                log.warn("dropping ip message from node {} that names node {}", from, m.from());
                return;
            }
            handle(m);
            afterMessage();
        });
    }

    /**
     * After an IP message: the next tick as the tick itself would arm it now. A quiet node's tick does
     * nothing but its idle report, so the leader's answer to that report (a grant) no longer wakes the
     * thread a second time for a tick that finds nothing to do; anything the message changed that
     * ends the quiet makes the tick due at the next point, as {@link #wake} does.
     */
    private void afterMessage() {
        if (tick == null) {
            return;
        }
        try {
            armNext(host.leaderStatus());
        } catch (RuntimeException e) {
            tick.armSoon();
            log.error("IP failover: cannot tell when the next tick is due", e);
        }
    }

    void peerDisconnected(int pnn, DisconnectCause cause) {
        // A closed connection (not silence) means the peer's process is gone and its guard is cleaning up.
        if (!cause.peerMayLive()) {
            leader.onConnectionClosed(pnn, ticker.nowMillis());
        }
        wake();
    }

    private void handle(IpMessage m) {
        long now = ticker.nowMillis();
        if (m instanceof IpMessage.Report r) {
            apply(leader.onReport(r, now, input(host.leaderStatus()).generation()));
        } else if (m instanceof IpMessage.StepDone d) {
            apply(leader.onStepDone(d, now, input(host.leaderStatus())));
            observeRuns(now);
        } else if (m instanceof IpMessage.Refused r) {
            apply(leader.onRefused(r));
        } else if (m instanceof IpMessage.VouchRequest r) {
            deliver(r.from(), node.vouchFor(r, now));
        } else if (m instanceof IpMessage.Vouch v) {
            node.vouched(v, now, clusterSize());
        } else if (m instanceof IpMessage.FromLeader f) {
            if (node.aheadOfLeaderCore(f, host.leaderStatus().seenGeneration())) {
                log.warn(
                        "dropping {} from node {}: generation {} has not been accepted by this node's leader core",
                        f.getClass().getSimpleName(),
                        f.from(),
                        f.generation());
                return;
            }
            Optional<IpMessage.Refused> refusal =
                    node.fence(f, host.leaderStatus().seenGeneration());
            if (refusal.isPresent()) {
                log.warn(
                        "refusing {} from node {}: generation {} is older than generation {} already seen",
                        f.getClass().getSimpleName(),
                        f.from(),
                        f.generation(),
                        refusal.get().seenGeneration());
                deliver(f.from(), refusal.get());
                return;
            }
            fromLeader(f);
        } else {
            throw new IllegalStateException("unhandled ip message " + m);
        }
        publish();
    }

    private void fromLeader(IpMessage.FromLeader f) {
        if (f instanceof IpMessage.Grant g) {
            long now = ticker.nowMillis();
            if (node.granted(g, now)) {
                deliver(g.from(), node.report(now, List.copyOf(listed.values()), !stopping, downIfaces));
            }
        } else if (f instanceof IpMessage.Ban b) {
            host.ban(
                    b.seconds(),
                    "the leader (node " + b.from() + ") banned this node after repeated takeover failures");
        } else if (f instanceof IpMessage.Release r) {
            events.release(r.addresses(), done -> deliver(r.from(), stepDone(r, IpMessage.Phase.RELEASE, done)));
        } else if (f instanceof IpMessage.Take t) {
            events.take(t, done -> deliver(t.from(), stepDone(t, IpMessage.Phase.TAKE, done)));
        } else if (f instanceof IpMessage.Reallocated r) {
            events.reallocated(done -> deliver(r.from(), stepDone(r, IpMessage.Phase.REALLOCATED, done)));
        } else {
            throw new IllegalStateException("unhandled message from the leader " + f);
        }
    }

    /** After each call into the takeover leader: counts the runs it started, failed and ended since the last. */
    private void observeRuns(long now) {
        long started = leader.runsStarted();
        boolean newRun = started != runsSeen;
        if (runStartedAt >= 0 && (newRun || !leader.runInProgress())) {
            metrics.takeoverRunEnded(now - runStartedAt);
            runStartedAt = -1;
        }
        if (newRun) {
            metrics.takeoverRunsStarted(started - runsSeen);
            runsSeen = started;
            if (leader.runInProgress()) {
                runStartedAt = now;
            } else {
                metrics.takeoverRunEnded(0); // began and ended within this one call
            }
        }
        long failed = leader.runsFailed();
        if (failed != failedRunsSeen) {
            metrics.takeoverRunsFailed(failed - failedRunsSeen);
            failedRunsSeen = failed;
        }
    }

    private IpMessage.StepDone stepDone(IpMessage.FromLeader m, IpMessage.Phase phase, String failure) {
        long run = m instanceof IpMessage.Release r
                ? r.run()
                : m instanceof IpMessage.Take t ? t.run() : ((IpMessage.Reallocated) m).run();
        return new IpMessage.StepDone(me, m.generation(), run, phase, failure.isEmpty(), failure, node.hostedList());
    }

    private void apply(List<IpEffect> effects) {
        for (IpEffect e : effects) {
            if (e instanceof IpEffect.Send s) {
                deliver(s.to(), s.message());
            } else if (e instanceof IpEffect.Log l) {
                switch (l.level()) {
                    case ERROR -> log.error("{}", l.text());
                    case WARN -> log.warn("{}", l.text());
                    case INFO -> log.info("{}", l.text());
                    default -> log.debug("{}", l.text());
                }
            } else {
                throw new IllegalStateException("unhandled ip effect " + e);
            }
        }
    }

    /** To ourselves through the core queue, to others over the mesh. */
    private void deliver(int to, IpMessage m) {
        if (to == me) {
            core.execute(() -> handle(m));
        } else {
            host.mesh().send(to, new WireMessage.Ip(m));
        }
    }

    private static String ips(List<HostedAddress> l) {
        List<String> out = new ArrayList<>();
        l.forEach(a -> out.add(a.ip()));
        return String.join(", ", out);
    }

    // ---- IpControl: commands, any thread ----

    private void publish() {
        Map<String, Integer> assignment = leader.leading() ? leader.assignment() : node.assignment();
        snapshot = new IpSnapshot(
                me,
                List.copyOf(listed.values()),
                node.hostedList(),
                Map.copyOf(assignment),
                Set.copyOf(downIfaces),
                leader.leading());
        if (tickles != null) { // null while the constructor publishes the first snapshot
            tickles.hostedChanged(snapshot);
        }
    }

    @Override
    public IpSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public CompletableFuture<Void> requestRun() {
        return waitForRun(leader::requestRun);
    }

    @Override
    public CompletableFuture<Void> requestMove(String ip, int pnn) {
        return waitForRun(() -> leader.requestMove(ip, pnn));
    }

    /** Completes once a run asked for now has finished (or failed). */
    private CompletableFuture<Void> waitForRun(Runnable request) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        core.execute(() -> {
            request.run();
            runWaiters.add(f);
            wake();
        });
        return f;
    }

    @Override
    public CompletableFuture<Void> addAddress(String ip, int maskBits, List<String> ifaces) {
        return CompletableFuture.runAsync(
                () -> {
                    listed.put(ip, new IpMessage.Listed(ip, maskBits, ifaces));
                    publish();
                    wake();
                },
                core);
    }

    @Override
    public CompletableFuture<Void> deleteAddress(String ip) {
        return CompletableFuture.runAsync(
                () -> {
                    listed.remove(ip);
                    node.hostedAddress(ip).ifPresent(a -> events.release(List.of(a), failed -> {}));
                    publish();
                    wake();
                },
                core);
    }

    @Override
    public CompletableFuture<Void> reload(List<PublicAddress> addresses) {
        return CompletableFuture.runAsync(
                () -> {
                    setListed(addresses);
                    for (HostedAddress a : node.hostedList()) {
                        if (!listed.containsKey(a.ip())) {
                            events.release(List.of(a), failed -> {});
                        }
                    }
                    publish();
                    wake();
                },
                core);
    }

    @Override
    public CompletableFuture<String> gratarp(String ip, String iface) {
        return gratarp.announce(iface, ip, 1, 0);
    }

    @Override
    public CompletableFuture<Void> setLink(String iface, boolean up) {
        return CompletableFuture.runAsync(
                () -> {
                    if (up) {
                        downIfaces.remove(iface);
                    } else {
                        downIfaces.add(iface);
                    }
                    publish();
                    wake();
                },
                core);
    }

    /**
     * Shutdown: stop reporting and release every address through releaseip; completes when done
     * or after {@code deadlineMs} (the guard deletes what is left when the daemon exits).
     */
    CompletableFuture<Void> releaseAll(long deadlineMs) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        core.execute(() -> {
            stopping = true;
            wake();
            node.dropHold();
            if (node.hostedList().isEmpty()) {
                f.complete(null);
                return;
            }
            events.release(node.hostedList(), failed -> f.complete(null));
        });
        return f.completeOnTimeout(null, deadlineMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        events.guard().ifPresent(AddressGuard::close);
        gratarp.close();
        tickles.close();
    }
}

package org.jctdb.daemon;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jctdb.client.ClientCounters;
import org.jctdb.client.ClientProtocol;
import org.jctdb.client.CtdbService;
import org.jctdb.common.Ticker;
import org.jctdb.config.ClusterKeys;
import org.jctdb.config.ConfigException;
import org.jctdb.config.Installation;
import org.jctdb.config.LogLevel;
import org.jctdb.config.NodeConfig;
import org.jctdb.config.NodeEntry;
import org.jctdb.config.NodesFile;
import org.jctdb.config.NodesReload;
import org.jctdb.config.Tunables;
import org.jctdb.control.ClusterView;
import org.jctdb.control.ControlReply;
import org.jctdb.control.ControlServer;
import org.jctdb.control.DaemonApi;
import org.jctdb.control.IpControl;
import org.jctdb.control.IpSnapshot;
import org.jctdb.control.LockReport;
import org.jctdb.control.NodeView;
import org.jctdb.control.Statistics;
import org.jctdb.control.TickleControl;
import org.jctdb.control.TunableRules;
import org.jctdb.event.EventControl;
import org.jctdb.event.EventEngine;
import org.jctdb.health.HealthReport;
import org.jctdb.ip.FailoverTiming;
import org.jctdb.ip.RunState;
import org.jctdb.leader.Generation;
import org.jctdb.leader.LeaderStatus;
import org.jctdb.leader.RecoveryMode;
import org.jctdb.mesh.WireMessage;
import org.jctdb.node.DisconnectCause;
import org.jctdb.node.NodeEffect;
import org.jctdb.node.NodeInput;
import org.jctdb.node.NodeStateCore;
import org.jctdb.protocol.NodeFlags;
import org.jctdb.protocol.StorageSummary;
import org.jctdb.transport.GridTimer;
import org.jctdb.transport.IoThread;
import org.jctdb.transport.MeshCounters;
import org.jctdb.transport.MeshSettings;
import org.jctdb.transport.NodeMesh;
import org.jctdb.transport.PeerListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's daemon. Every decision runs on the single "core" thread; the mesh, the control
 * socket and child processes only hand events to it. Commands read the published
 * {@link ClusterView} snapshot.
 */
public final class Daemon implements DaemonApi, PeerListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jctdb.daemon");
    public static final String VERSION = "0.1.0";

    private volatile NodeConfig config; // replaced by reloadnodes
    private final Ticker ticker = Ticker.SYSTEM;
    /** The mesh, the client socket, the database work and the core share this one thread (IoThread says why). */
    private final EventLoopGroup io = IoThread.create();
    /**
     * The core's inbox and timers: the I/O loop itself. A mesh message reaches the core and the
     * core's sends reach the socket without waking a second thread (an idle non-leader 0.49 -> 0.35 %
     * of a core, README "Measured"); the core's work is as non-blocking as the loop's.
     */
    private final ScheduledExecutorService core = io.next();

    private final long startTimeMillis = System.currentTimeMillis();
    private final CompletableFuture<String> stopped = new CompletableFuture<>();
    private final Map<Long, CompletableFuture<ControlReply>> pendingForwards = new ConcurrentHashMap<>();
    private final ExecutorService forwardedCommands = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "jctdb-forwarded-command");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong nextRequestId = new AtomicLong();
    private Function<List<String>, ControlReply> commands;
    private NodeMesh mesh;

    private ControlServer control;
    private EventLifecycle events;
    private volatile HealthLifecycle health;
    private LeaderDriver leader;
    private IpTakeoverDriver ip;
    private volatile ClientProtocol ctdb; // CTDB's client socket and the databases
    private volatile LogLevel logLevel; // setdebug
    private volatile boolean leaderRole; // setleaderrole; the leader core's copy is set on the core thread
    private final AtomicLong recoveries = new AtomicLong(); // statistics
    private final DaemonMetrics metrics = new DaemonMetrics();
    private volatile long statisticsSince = System.currentTimeMillis();
    private final MeshFragments fragments = new MeshFragments();
    private final NodeAdmin admin = new NodeAdmin(core, f -> submit(new NodeInput.AdminChange(f)));

    // Written on the core thread, read by command, event and health threads.
    private volatile Tunables tunables;
    // The node's own state and its peers': touched only on the core thread.
    private final NodeStateCore node;
    private volatile ClusterView view;

    public Daemon(NodeConfig config) {
        this.config = config;
        this.tunables = config.tunables();
        this.logLevel = config.conf().logLevel();
        this.leaderRole = config.conf().leaderCapability();
        int initial = 0;
        if (config.conf().startAsStopped()) {
            initial |= NodeFlags.STOPPED;
        }
        if (config.conf().startAsDisabled()) {
            initial |= NodeFlags.PERMANENTLY_DISABLED;
        }
        node = new NodeStateCore(config.myPnn(), initial);
        publishView();
    }

    /** Starts the mesh and the control socket; {@code commands} runs what `jctdb` sends. */
    public void start(Function<List<String>, ControlReply> commands, Installation installation) throws IOException {
        this.commands = commands;
        mesh = new NodeMesh(meshSettings(config), this, io);
        events = new EventLifecycle(
                config,
                () -> tunables,
                core,
                this::setHealthy,
                this::shutdown,
                () -> view.recoveryMode() != 0,
                metrics);
        Path lockHelper = installation.helper("jctdb_mutex_fcntl_helper");
        try {
            leader = new LeaderDriver(config, tunables, core, ticker, lockHelper, metrics, new LeaderDriver.Host() {
                @Override
                public NodeMesh mesh() {
                    return mesh;
                }

                @Override
                public CompletableFuture<Boolean> runEvent(String event, long generation) {
                    return events.runRecoveryEvent(event, generation);
                }

                @Override
                public void leaderStateChanged() {
                    publishView();
                }

                @Override
                public CompletableFuture<Boolean> recoverDatabases(long generation, List<Integer> members) {
                    ClientProtocol c = ctdb;
                    return c == null
                            ? CompletableFuture.completedFuture(true)
                            : c.service().recoverDatabases(generation, members);
                }

                @Override
                public void leaderLost() {
                    ClientProtocol c = ctdb;
                    if (c != null) {
                        c.service().leaderLost();
                    }
                }

                @Override
                public long storedGeneration() {
                    ClientProtocol c = ctdb;
                    return c == null ? 0 : c.service().storedGeneration();
                }
            });
        } catch (IllegalArgumentException e) {
            throw new IOException("cluster lock: " + e.getMessage(), e);
        }
        ip = createIpDriver();
        mesh.start();
        control = new ControlServer(config.layout().socket(), commands);
        startClientProtocol(installation);
        events.start(installation.jctdbCommand());
        // The storage summary changes only with a path's probe state: recomputed at the next one-second
        // point after the monitor says one changed, the point the 1 s refresh used to find it at.
        GridTimer storageRefresh = GridTimer.on(core, 1000, this::refreshStorage);
        health = new HealthLifecycle(
                config,
                () -> tunables,
                core,
                this::setStorageHealthy,
                this::shutdown,
                storageRefresh::armSoon,
                metrics);
        health.start();
        core.execute(leader::start);
        core.execute(ip::start);
        log.info(
                "node {} ({}) started; {} nodes in the cluster",
                config.myPnn(),
                config.myAddress().getHostAddress(),
                config.nodes().size());
        config.warnings().forEach(w -> log.warn("{}", w));
    }

    /** What the shell counts for the Prometheus endpoint. */
    DaemonMetrics metrics() {
        return metrics;
    }

    /** Completes with the reason when the daemon has been asked to stop. */
    public CompletableFuture<String> stopped() {
        return stopped;
    }

    // ---- mesh events: hop to the core thread ----

    @Override
    public void peerConnected(int pnn) {
        submit(new NodeInput.PeerConnected(pnn));
    }

    @Override
    public void peerDisconnected(int pnn, DisconnectCause cause, String detail) {
        submit(new NodeInput.PeerDisconnected(pnn, cause, detail));
        fragments.forget(pnn);
        if (ctdb != null) {
            ctdb.service().peerDisconnected(pnn);
        }
    }

    @Override
    public void keepaliveMissed(int pnn) {
        metrics.keepaliveMissed(pnn);
    }

    @Override
    public void messageReceived(int pnn, WireMessage message) {
        if (message instanceof WireMessage.ControlRequest request) {
            runForwarded(pnn, request);
        } else if (message instanceof WireMessage.ControlReply r) {
            CompletableFuture<ControlReply> f = pendingForwards.remove(r.id());
            if (f != null) {
                f.complete(new ControlReply(r.exitCode(), r.stdout(), r.stderr()));
            }
        } else if (message instanceof WireMessage.CtdbRelay r) {
            if (ctdb != null) {
                ctdb.service().relayReceived(pnn, r);
            }
        } else if (message instanceof WireMessage.Migration m) {
            if (ctdb != null) {
                ctdb.service().migrationReceived(pnn, m);
            }
        } else if (message instanceof WireMessage.DbRecoveryRequest r) {
            if (ctdb != null) {
                ctdb.service().recoveryRequestReceived(pnn, r);
            }
        } else if (message instanceof WireMessage.DbRecoveryReply r) {
            if (ctdb != null) {
                ctdb.service().recoveryReplyReceived(pnn, r);
            }
        } else if (message instanceof WireMessage.TraverseAll t) {
            if (ctdb != null) {
                ctdb.service().traverseAllReceived(pnn, t);
            }
        } else if (message instanceof WireMessage.TraverseData t) {
            if (ctdb != null) {
                ctdb.service().traverseDataReceived(pnn, t);
            }
        } else if (message instanceof WireMessage.RecoveryWanted w) {
            log.info("node {} asks for a recovery: {}", pnn, w.reason());
            core.execute(() -> leader.recover());
        } else if (message instanceof WireMessage.Fragment f) {
            fragments.received(pnn, f).ifPresent(whole -> messageReceived(pnn, whole));
        } else if (message instanceof WireMessage.NodeState s) {
            submit(new NodeInput.StateReceived(pnn, s));
        } else if (message instanceof WireMessage.Leader l) {
            core.execute(() -> leader.message(pnn, l.message()));
        } else if (message instanceof WireMessage.Ip m) {
            ip.message(pnn, m.message());
        } else if (message instanceof WireMessage.Tickles t) {
            ip.tickles().peerList(pnn, t.list());
        } else if (message instanceof WireMessage.Hello || message instanceof WireMessage.Keepalive) {
            // The transport consumes these; one arriving here is a transport bug worth a line.
            log.warn(
                    "node {} sent {} after the handshake; ignored",
                    pnn,
                    message.getClass().getSimpleName());
        } else {
            throw new IllegalStateException("unhandled mesh message " + message);
        }
    }

    /** The core thread's inbox for the node's own state: one input, its effects carried out in order. */
    private void submit(NodeInput input) {
        core.execute(() -> apply(node.handle(input)));
    }

    private void apply(List<NodeEffect> effects) {
        for (NodeEffect e : effects) {
            if (e instanceof NodeEffect.Broadcast b) {
                mesh.broadcast(b.state());
            } else if (e instanceof NodeEffect.SendState s) {
                mesh.send(s.pnn(), s.state());
            } else if (e instanceof NodeEffect.LeaderOwnFlags f) {
                leader.ownFlags(f.flags());
            } else if (e instanceof NodeEffect.LeaderPeerFlags f) {
                leader.peerFlags(f.pnn(), f.flags());
            } else if (e instanceof NodeEffect.LeaderPeerConnected c) {
                leader.peerConnected(c.pnn());
            } else if (e instanceof NodeEffect.LeaderPeerDisconnected d) {
                leader.peerDisconnected(d.pnn());
            } else if (e instanceof NodeEffect.IpPeerDisconnected d) {
                ip.peerDisconnected(d.pnn(), d.cause());
            } else if (e instanceof NodeEffect.PublishView) {
                publishView();
            } else if (e instanceof NodeEffect.Log l) {
                if (l.level() == NodeEffect.Level.WARN) {
                    log.warn("{}", l.message());
                } else {
                    log.info("{}", l.message());
                }
            } else {
                throw new IllegalStateException("unhandled node effect " + e);
            }
        }
    }

    /**
     * Forwarded commands run off the core thread, like local ones, and reply over the mesh. They
     * get their own threads: a command may wait for another node, which must not starve the
     * common pool that CompletableFuture callbacks run on.
     */
    private void runForwarded(int pnn, WireMessage.ControlRequest request) {
        CompletableFuture.supplyAsync(() -> commands.apply(request.argv()), forwardedCommands)
                .exceptionally(e -> ControlReply.error(1, "command failed on node " + config.myPnn() + ": " + e))
                .thenAccept(r -> mesh.send(
                        pnn, new WireMessage.ControlReply(request.id(), r.exitCode(), r.stdout(), r.stderr())));
    }

    /** CTDB's client socket (smbd, the ctdb tool); without libtdb the node runs without it. */
    private void startClientProtocol(Installation installation) {
        try {
            ctdb = ClientProtocol.start(config, installation, io, new CtdbService.Host() {
                @Override
                public ClusterView view() {
                    return view;
                }

                @Override
                public Tunables tunables() {
                    return tunables;
                }

                @Override
                public boolean leaderRole() {
                    return leaderRole;
                }

                @Override
                public RunState runState() {
                    return Daemon.this.runState();
                }

                @Override
                public Optional<IpSnapshot> ips() {
                    return Optional.ofNullable(ip).map(IpTakeoverDriver::snapshot);
                }

                @Override
                public boolean send(int pnn, WireMessage message) {
                    return fragments.send(mesh, pnn, message);
                }

                @Override
                public Optional<TickleControl> tickles() {
                    return Daemon.this.tickles();
                }

                @Override
                public Optional<Statistics> statistics() {
                    return Optional.of(Daemon.this.statistics());
                }

                @Override
                public void resetStatistics() {
                    Daemon.this.resetStatistics();
                }

                @Override
                public CompletableFuture<Void> setTunable(String name, long value) {
                    return Daemon.this.setTunable(name, value);
                }

                @Override
                public void requestRecovery(String reason) {
                    core.execute(() -> {
                        if (!leader.recover()) {
                            int l = leader.status().leader();
                            if (l >= 0 && l != config.myPnn()) {
                                mesh.send(l, new WireMessage.RecoveryWanted(config.myPnn(), reason));
                            }
                        }
                    });
                }
            });
            ctdb.service().viewChanged(); // a view published before ctdb was set
        } catch (IOException | RuntimeException | LinkageError e) {
            log.error("CTDB client socket not started (smbd and the ctdb tool cannot connect): {}", e.toString());
        }
    }

    // ---- state ----

    private void setHealthy(boolean healthy) {
        apply(node.handle(new NodeInput.MonitorVerdict(healthy)));
    }

    private void setStorageHealthy(boolean healthy, String reason) {
        StorageSummary summary = health.summary(node.ownStorage(), System.currentTimeMillis());
        apply(node.handle(new NodeInput.StorageVerdict(healthy, reason, summary)));
    }

    /** Tells the other nodes when the storage probe's worst state changes (status shows it). */
    private void refreshStorage() {
        StorageSummary now = health.summary(node.ownStorage(), System.currentTimeMillis());
        apply(node.handle(new NodeInput.StorageSummaryChanged(now)));
    }

    private void publishView() {
        if (ip != null) {
            ip.wake(); // a quiet IP driver sleeps until something changes: the view did
        }
        List<NodeView> nodes = node.nodeViews(config.nodes());
        if (leader == null) {
            view = new ClusterView(
                    config.myPnn(),
                    nodes,
                    ClusterView.INVALID_GENERATION,
                    List.of(),
                    1,
                    -1,
                    startTimeMillis,
                    0,
                    0,
                    config.conf().clusterLock());
            return;
        }
        LeaderStatus ls = leader.status();
        if (leader.lastRecoveryEnd() > 0 && leader.lastRecoveryEnd() != view.lastRecoveryEndMillis()) {
            recoveries.incrementAndGet(); // a recovery ended since the last view
            long start = leader.lastRecoveryStart();
            long end = leader.lastRecoveryEnd();
            metrics.recoveryEnded(start > 0 && end >= start ? end - start : -1);
        }
        long generation =
                ls.appliedGeneration() == Generation.NONE ? ClusterView.INVALID_GENERATION : ls.appliedGeneration();
        view = new ClusterView(
                config.myPnn(),
                nodes,
                generation,
                ls.vnnMap(),
                ls.recoveryMode() == RecoveryMode.NORMAL && generation != ClusterView.INVALID_GENERATION ? 0 : 1,
                ls.leader(),
                startTimeMillis,
                leader.lastRecoveryStart(),
                leader.lastRecoveryEnd(),
                config.conf().clusterLock());
        ClientProtocol c = ctdb;
        if (c != null) {
            c.service().viewChanged(); // a new leader for the local clients wakes their tick
        }
    }

    // ---- DaemonApi ----

    @Override
    public ClusterView view() {
        return view;
    }

    @Override
    public NodeConfig config() {
        return config;
    }

    @Override
    public Tunables tunables() {
        return tunables;
    }

    @Override
    public CompletableFuture<Void> setTunable(String name, long value) {
        return CompletableFuture.runAsync(
                () -> {
                    Tunables next = tunables.with(name, value);
                    List<String> bad = TunableRules.violations(next);
                    if (!bad.isEmpty()) {
                        throw new IllegalArgumentException(String.join("; ", bad));
                    }
                    tunables = next;
                    log.info("tunable {} set to {}", name, value);
                    ClientProtocol c = ctdb;
                    if (c != null) {
                        c.service().tunablesChanged();
                    }
                },
                core);
    }

    @Override
    public CompletableFuture<ControlReply> forward(int pnn, List<String> argv, long timeoutMillis) {
        long id = nextRequestId.incrementAndGet();
        CompletableFuture<ControlReply> reply = new CompletableFuture<>();
        pendingForwards.put(id, reply);
        if (!mesh.send(pnn, new WireMessage.ControlRequest(id, argv))) {
            pendingForwards.remove(id);
            return CompletableFuture.failedFuture(new IOException("node " + pnn + " is not connected"));
        }
        return reply.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((r, e) -> pendingForwards.remove(id));
    }

    @Override
    public Optional<EventControl> events() {
        return Optional.ofNullable(events).map(EventLifecycle::engine);
    }

    @Override
    public Optional<HealthReport> health() {
        return Optional.ofNullable(health).map(HealthLifecycle::report);
    }

    @Override
    public Optional<LockReport> lockReport() {
        LeaderDriver l = leader;
        return l == null ? Optional.empty() : l.lockReport();
    }

    @Override
    public CompletableFuture<Boolean> recover() {
        return CompletableFuture.supplyAsync(() -> leader != null && leader.recover(), core);
    }

    @Override
    public int clients() {
        return control == null ? 0 : control.clients();
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public LogLevel logLevel() {
        return logLevel;
    }

    @Override
    public void setLogLevel(LogLevel level) {
        LogLevel before = logLevel;
        logLevel = level;
        Logging.setLevel(level);
        log.warn("log level changed from {} to {}", before, level);
    }

    @Override
    public boolean leaderRole() {
        return leaderRole;
    }

    @Override
    public Statistics statistics() {
        ClientProtocol c = ctdb;
        ClusterView v = view;
        MeshCounters m = mesh.counters();
        ClientCounters cc = c == null ? null : c.service().counters();
        Runtime rt = Runtime.getRuntime();
        return new Statistics(
                statisticsSince,
                System.currentTimeMillis(),
                c == null ? 0 : c.service().clients(),
                v.recoveryMode() == 0 ? 0 : 1, // databases are frozen exactly while recovering
                v.recoveryMode() == 0 ? 0 : 1,
                recoveries.get(),
                cc == null ? new Statistics.Client(0, 0, 0, 0, 0) : cc.client(),
                cc == null
                        ? new Statistics.Node(m.sent(), m.received(), 0, 0, 0, 0, 0, 0, 0, 0)
                        : cc.node(m.sent(), m.received()),
                m.keepalivesSent(),
                m.keepalivesReceived(),
                cc == null ? 0 : cc.controlTimeouts(),
                cc == null ? 0 : cc.traverseTimeouts(),
                c == null
                        ? new Statistics.Locks(0, 0, 0, 0)
                        : c.service().lockWaiter().locks(),
                cc == null ? 0 : cc.totalCalls(),
                cc == null ? 0 : cc.pendingCalls(),
                rt.totalMemory() - rt.freeMemory(),
                cc == null ? 0 : cc.maxHopCount(),
                cc == null ? Collections.nCopies(16, 0L) : cc.hopCountBuckets(),
                cc == null ? Statistics.Latency.NONE : cc.callLatency(),
                c == null ? Statistics.Latency.NONE : c.service().lockWaiter().latency());
    }

    @Override
    public void resetStatistics() {
        ClientProtocol c = ctdb;
        mesh.counters().reset();
        if (c != null) {
            c.service().counters().reset();
            c.service().lockWaiter().reset();
        }
        recoveries.set(0);
        statisticsSince = System.currentTimeMillis();
        log.info("statistics reset");
    }

    @Override
    public RunState runState() {
        EventLifecycle e = events;
        return e == null ? RunState.INIT : e.runState();
    }

    @Override
    public CompletableFuture<Void> setLeaderRole(boolean on) {
        return CompletableFuture.runAsync(
                () -> {
                    if (leaderRole != on) {
                        log.info("leader role switched {}", on ? "on" : "off");
                        leaderRole = on;
                        leader.leaderRole(on);
                    }
                },
                core);
    }

    @Override
    public boolean processExists(int pid, long srvid) {
        return ctdb != null && ctdb.service().processExists(pid, srvid);
    }

    @Override
    public void shutdown(String why) {
        log.info("shutting down: {}", why);
        // Release public addresses first (bounded); let the reply to the command go out too.
        CompletableFuture<Void> released = ip == null
                ? CompletableFuture.completedFuture(null)
                : ip.releaseAll(tunables.millis("TakeoverTimeout"));
        // Then the shutdown event (services stop), as ctdbd does.
        released.thenCompose(x -> events == null ? CompletableFuture.completedFuture(null) : events.runShutdownEvent())
                .thenRun(() -> core.schedule(() -> stopped.complete(why), 100, TimeUnit.MILLISECONDS));
    }

    private MeshSettings meshSettings(NodeConfig c) {
        Map<Integer, InetAddress> peers = new HashMap<>();
        for (NodeEntry n : c.nodes().nodes()) {
            n.address().ifPresent(a -> peers.put(n.pnn(), a));
        }
        return new MeshSettings(
                c.myPnn(),
                peers,
                c.conf().port(),
                c.nodes().clusterId(),
                VERSION,
                tunables.millis("KeepaliveInterval"),
                tunables.get("KeepaliveLimit"),
                c.keys());
    }

    @Override
    public CompletableFuture<String> reloadNodes() {
        return CompletableFuture.supplyAsync(
                () -> {
                    NodesFile next;
                    try {
                        next = NodesFile.read(config.layout().nodesFile());
                    } catch (ConfigException e) {
                        return e.getMessage();
                    }
                    Optional<String> refusal = NodesReload.refusal(config.nodes(), next, config.myPnn());
                    if (refusal.isPresent()) {
                        log.warn("reloadnodes refused: {}", refusal.get());
                        return refusal.get();
                    }
                    config = config.withNodes(next);
                    mesh.updatePeers(meshSettings(config));
                    leader.nodesChanged(config);
                    log.info("nodes file reloaded: {} nodes", next.size());
                    publishView();
                    return "";
                },
                core);
    }

    /** SIGHUP: re-reads the cluster key file (new connections use it); a bad file keeps the old keys. */
    public CompletableFuture<String> reloadClusterKeys() {
        return CompletableFuture.supplyAsync(
                () -> {
                    if (!config.keys().enabled()) {
                        return "";
                    }
                    try {
                        ClusterKeys keys = ClusterKeys.read(config.layout().clusterKey());
                        config = config.withKeys(keys);
                        mesh.updateKeys(keys);
                        return "";
                    } catch (ConfigException e) {
                        return e.getMessage();
                    }
                },
                core);
    }

    // ---- IP failover and node administration (see IpTakeoverDriver, NodeAdmin) ----

    private IpTakeoverDriver createIpDriver() throws IOException {
        FailoverTiming timing = FailoverTiming.fromTunables(tunables);
        List<String> bad = timing.violations();
        if (!bad.isEmpty()) {
            throw new IOException(
                    "IP failover timer budget broken (docs/design/ip-failover.md): " + String.join("; ", bad));
        }
        return new IpTakeoverDriver(config, timing, core, ticker, metrics, new IpTakeoverDriver.Host() {
            @Override
            public NodeMesh mesh() {
                return mesh;
            }

            @Override
            public LeaderStatus leaderStatus() {
                return leader.statusNow();
            }

            @Override
            public ClusterView view() {
                return view;
            }

            @Override
            public Tunables tunables() {
                return tunables;
            }

            @Override
            public Optional<EventEngine> events() {
                return Optional.ofNullable(Daemon.this.events).map(EventLifecycle::engine);
            }

            @Override
            public void ban(int seconds, String why) {
                admin.ban(seconds, why);
            }

            @Override
            public void releasing(String address) {
                if (ctdb != null) {
                    ctdb.service().releasingIp(address);
                }
            }
        });
    }

    @Override
    public Optional<IpControl> ip() {
        return Optional.ofNullable(ip);
    }

    @Override
    public Optional<TickleControl> tickles() {
        return Optional.ofNullable(ip).map(IpTakeoverDriver::tickles);
    }

    @Override
    public CompletableFuture<Void> changeOwnFlags(int set, int clear) {
        return admin.change(set, clear);
    }

    @Override
    public CompletableFuture<Void> ban(int seconds, String why) {
        return admin.ban(seconds, why);
    }

    @Override
    public CompletableFuture<Void> unban() {
        return admin.unban();
    }

    @Override
    public void close() {
        if (health != null) {
            health.close();
        }
        if (ip != null) {
            ip.close();
        }
        if (leader != null) {
            leader.close();
        }
        if (events != null) {
            events.close();
        }
        if (control != null) {
            control.close();
        }
        if (ctdb != null) {
            ctdb.close();
        }
        if (mesh != null) {
            mesh.close();
        }
        io.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        forwardedCommands.shutdownNow();
    }
}

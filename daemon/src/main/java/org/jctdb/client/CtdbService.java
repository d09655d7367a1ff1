package org.jctdb.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.jctdb.common.Ticker;
import org.jctdb.config.Tunables;
import org.jctdb.control.ClusterView;
import org.jctdb.control.IpSnapshot;
import org.jctdb.control.NodeView;
import org.jctdb.control.Statistics;
import org.jctdb.control.TickleControl;
import org.jctdb.database.Database;
import org.jctdb.database.DatabaseKind;
import org.jctdb.database.DbId;
import org.jctdb.database.LocalDatabases;
import org.jctdb.database.LockWaiter;
import org.jctdb.database.LtdbHeader;
import org.jctdb.database.migration.RecordKey;
import org.jctdb.ip.RunState;
import org.jctdb.mesh.WireMessage;
import org.jctdb.mesh.WireMessage.CtdbRelay;
import org.jctdb.protocol.NodeFlags;
import org.jctdb.protocol.ctdb.BadPacketException;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.ControlData;
import org.jctdb.protocol.ctdb.ControlOpcode;
import org.jctdb.protocol.ctdb.CtdbCodec;
import org.jctdb.protocol.ctdb.CtdbHeader;
import org.jctdb.protocol.ctdb.CtdbPacket;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyCall;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyControl;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyError;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqCall;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqControl;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqMessage;
import org.jctdb.protocol.ctdb.CtdbWire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CTDB's client protocol on one node: routes what local clients send (controls, calls,
 * messages) and what other daemons relay over the mesh. Controls themselves are answered by
 * {@link Controls}; TDB work runs on the {@link DatabaseWorker}'s thread.
 */
public final class CtdbService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jctdb.client");
    /** A control relayed to another node fails after this long without an answer. */
    static final long FORWARD_TIMEOUT_MILLIS = 10_000;

    /** What the service needs from the daemon. */
    public interface Host {
        ClusterView view();

        Tunables tunables();

        /** Whether this node may be elected leader now (GET_CAPABILITIES). */
        boolean leaderRole();

        /** CTDB's run state of this daemon (GET_RUNSTATE). */
        RunState runState();

        Optional<IpSnapshot> ips();

        /** Sends over the node mesh; false when that node is not connected. */
        boolean send(int pnn, WireMessage message);

        /** The databases disagree between nodes: ask the leader for a recovery (CTDB: recovery mode ACTIVE). */
        void requestRecovery(String reason);

        /** The tickle lists, where smbd's TCP_CLIENT registrations go. */
        default Optional<TickleControl> tickles() {
            return Optional.empty();
        }

        /** The daemon's counters (STATISTICS); empty where there are none. */
        default Optional<Statistics> statistics() {
            return Optional.empty();
        }

        /** STATISTICS_RESET. */
        default void resetStatistics() {}

        /** SET_TUNABLE: one tunable on this node, under setvar's rules; fails with the rule broken. */
        default CompletableFuture<Void> setTunable(String name, long value) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("tunables cannot be set here"));
        }
    }

    private final CtdbCodec codec;
    private final Host host;
    private final ClientRegistry registry = new ClientRegistry();
    private final ClientCounters counters = new ClientCounters();
    private final DbCounters dbCounters = new DbCounters();
    private final DatabaseWorker worker;
    private final LocalDatabases databases;
    private final Controls controls;
    private final ClusterDatabases cluster;
    private final ClusterTraverse traverse;
    private final SeqnumPropagation seqnums;
    private final Vacuum vacuum;
    private final RecordWrites writes;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private volatile int announcedLeader = -1;
    private volatile Runnable leaderTimer = () -> {};

    /** A control relayed to another node, waiting for its reply. */
    record Pending(int pnn, CompletableFuture<ReplyControl> reply) {}

    public CtdbService(
            CtdbCodec codec, Host host, LocalDatabases databases, DatabaseWorker worker, Controls.Settings settings) {
        this.codec = codec;
        this.host = host;
        this.databases = databases;
        this.worker = worker;
        this.controls = new Controls(this, settings);
        this.cluster = new ClusterDatabases(
                new ClusterDatabases.Host() {
                    @Override
                    public int pnn() {
                        return databases.pnn();
                    }

                    @Override
                    public boolean send(int pnn, WireMessage message) {
                        return host.send(pnn, message);
                    }

                    @Override
                    public void requestRecovery(String reason) {
                        host.requestRecovery(reason);
                    }

                    @Override
                    public void hops(DbId db, RecordKey key, int hops) {
                        counters.hops(hops);
                        dbCounters.answered(db, key, hops);
                    }

                    @Override
                    public DbCounters dbCounters() {
                        return dbCounters;
                    }
                },
                worker,
                databases);
        this.traverse = new ClusterTraverse(
                new ClusterTraverse.Host() {
                    @Override
                    public int pnn() {
                        return databases.pnn();
                    }

                    @Override
                    public List<Integer> activePeers() {
                        return CtdbService.this.activePeers();
                    }

                    @Override
                    public boolean send(int pnn, WireMessage message) {
                        return host.send(pnn, message);
                    }

                    @Override
                    public void deliverLocal(ReqMessage m) {
                        CtdbService.this.deliverLocal(myPnn(), m);
                    }

                    @Override
                    public long timeoutMillis() {
                        return host.tunables().get("TraverseTimeout") * 1000;
                    }

                    @Override
                    public void timedOut() {
                        counters.traverseTimeouts.increment();
                    }
                },
                worker,
                databases,
                Ticker.SYSTEM::nowMillis); // the clock of its expiry timer
        this.seqnums = new SeqnumPropagation(this);
        this.vacuum = new Vacuum(this);
        this.writes = new RecordWrites(this);
    }

    /** The delete queue and vacuuming of volatile databases. */
    Vacuum vacuum() {
        return vacuum;
    }

    /** UPDATE_SEQNUM between nodes. */
    SeqnumPropagation seqnums() {
        return seqnums;
    }

    /** Cluster-wide traverses this node streams to its clients. */
    ClusterTraverse traverse() {
        return traverse;
    }

    /** Record migration and database recovery on this node. */
    ClusterDatabases cluster() {
        return cluster;
    }

    // ---- accessors for the helpers of this package ----

    Host host() {
        return host;
    }

    ClientRegistry registry() {
        return registry;
    }

    /** The lock-wait helper's counters, for `jctdb statistics`. */
    public LockWaiter lockWaiter() {
        return worker.waiter();
    }

    /** This socket's counters for `jctdb statistics`. */
    public ClientCounters counters() {
        return counters;
    }

    /** Per-database counters (GET_DB_STATISTICS). */
    DbCounters dbCounters() {
        return dbCounters;
    }

    /** process-exists: a client with this pid is connected (and registered {@code srvid}, unless 0). */
    public boolean processExists(int pid, long srvid) {
        return srvid == 0 ? registry.pidConnected(pid) : registry.pidRegistered(pid, srvid);
    }

    DatabaseWorker worker() {
        return worker;
    }

    LocalDatabases databases() {
        return databases;
    }

    CtdbCodec codec() {
        return codec;
    }

    int myPnn() {
        return host.view().myPnn();
    }

    int generation() {
        return (int) host.view().generation();
    }

    public int clients() {
        return registry.size();
    }

    // ---- local clients ----

    void connected(ClientConnection c) {
        registry.add(c);
        log.debug("{} connected", c);
    }

    void disconnected(ClientConnection c) {
        registry.remove(c);
        log.debug("{} disconnected", c);
    }

    /** One packet from a local client; runs on the socket's event loop and never blocks. */
    void received(ClientConnection c, CtdbCodec.Frame frame) {
        CtdbHeader h = frame.header();
        CtdbPacket p = frame.packet();
        counters.received.increment();
        if (p instanceof ReqControl rc) {
            counters.reqControl.increment();
            CompletableFuture<ReplyControl> reply =
                    isRemote(h.destnode()) ? forward(h.destnode(), h, rc) : controls.run(c, h, rc);
            if ((rc.flags() & CtdbWire.CTRL_FLAG_NOREPLY) != 0) {
                return;
            }
            reply.exceptionally(e -> ReplyControl.failed(-1, message(e))).thenAccept(r -> {
                c.send(codec, replyHeader(CtdbHeader.REPLY_CONTROL, h), r);
                controls.afterReply(c, rc, r);
            });
        } else if (p instanceof ReqCall call) {
            counters.reqCall.increment();
            counters.pendingCalls.increment();
            long start = System.nanoTime();
            BiConsumer<CtdbPacket, Throwable> reply = (r, e) -> {
                counters.callDone(System.nanoTime() - start);
                c.send(
                        codec,
                        replyHeader(e == null ? CtdbHeader.REPLY_CALL : CtdbHeader.REPLY_ERROR, h),
                        e == null ? r : new ReplyError(-1, Bytes.ofUtf8(message(e))));
            };
            calls(call, reply);
        } else if (p instanceof ReqMessage m) {
            counters.reqMessage.increment();
            route(h.destnode(), h.srcnode(), m);
        } else {
            log.warn("{} sent {}, which clients do not send; ignored", c, CtdbHeader.operationName(h.operation()));
        }
    }

    private boolean isRemote(int destnode) {
        return destnode != CtdbWire.CURRENT_NODE && destnode != myPnn();
    }

    CtdbHeader replyHeader(int operation, CtdbHeader request) {
        return CtdbHeader.of(operation, generation(), myPnn(), myPnn(), request.reqid());
    }

    static String message(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    // ---- REQ_CALL ----

    /**
     * Volatile databases: the record migrates here through {@link ClusterDatabases} (CTDB's immediate
     * migration), then the client reads it from the file itself. Persistent and replicated ones are
     * answered from the local copy.
     */
    private void calls(ReqCall call, BiConsumer<CtdbPacket, Throwable> reply) {
        Optional<Database> found = databases.byId(new DbId(call.dbId()));
        if (found.isEmpty()) {
            reply.accept(
                    null,
                    new IllegalArgumentException(String.format("unknown database 0x%08x in REQ_CALL", call.dbId())));
            return;
        }
        Database db = found.get();
        if (call.callId() == CtdbWire.JCTDB_STORE_FUNC || call.callId() == CtdbWire.JCTDB_DELETE_FUNC) {
            byte[] value =
                    call.callId() == CtdbWire.JCTDB_STORE_FUNC ? call.callData().toArray() : null;
            writes.write(db, call.key().toArray(), value)
                    .thenApply(x -> (CtdbPacket) new ReplyCall(0, Bytes.EMPTY))
                    .whenComplete(reply);
            return;
        }
        if (!isFetch(call.callId())) {
            reply.accept(
                    null,
                    new IllegalArgumentException(
                            String.format("call function 0x%08x is not supported", call.callId())));
            return;
        }
        byte[] key = call.key().toArray();
        if (db.kind() == DatabaseKind.VOLATILE) {
            // the record migration path: answered from the database thread, without a future chain
            cluster.call(
                    db,
                    key,
                    (r, e) ->
                            reply.accept(e == null ? callReply(call, r.header().encode(r.data())) : null, e));
            return;
        }
        int me = myPnn();
        worker.<CtdbPacket>submit("REQ_CALL on " + db.name(), () -> {
                    Optional<byte[]> stored = db.file().tryChainLock(key, () -> {
                        Optional<byte[]> old = db.file().fetch(key).filter(v -> v.length >= LtdbHeader.SIZE);
                        if (old.isPresent()) {
                            return old.get();
                        }
                        // CTDB's initial header (dmaster = us, AUTOMATIC), stored with rsn raised.
                        byte[] initial = new LtdbHeader(1, me, LtdbHeader.FLAG_AUTOMATIC).encode(new byte[0]);
                        db.file().store(key, initial);
                        return initial;
                    });
                    if (stored.isEmpty()) {
                        return DatabaseWorker.Outcome.busyChain(db.file(), key);
                    }
                    return DatabaseWorker.Outcome.<CtdbPacket>done(callReply(call, stored.get()));
                })
                .whenComplete(reply);
    }

    private static boolean isFetch(int callId) {
        return callId == CtdbWire.NULL_FUNC
                || callId == CtdbWire.FETCH_FUNC
                || callId == CtdbWire.FETCH_WITH_HEADER_FUNC;
    }

    private static CtdbPacket callReply(ReqCall call, byte[] stored) {
        Bytes reply = switch (call.callId()) {
            case CtdbWire.FETCH_FUNC -> Bytes.of(LtdbHeader.dataOf(stored));
            case CtdbWire.FETCH_WITH_HEADER_FUNC -> Bytes.of(stored);
            default -> Bytes.EMPTY;
        };
        return new ReplyCall(0, reply);
    }

    // ---- messages ----

    /** Delivers a message as ctdbd does: here, to one other node, or to several. */
    void route(int destnode, int srcnode, ReqMessage m) {
        int me = myPnn();
        if (destnode == CtdbWire.CURRENT_NODE || destnode == me) {
            deliverLocal(srcnode, m);
            return;
        }
        List<Integer> targets = new ArrayList<>();
        boolean here = false;
        if (destnode == CtdbWire.BROADCAST_ALL
                || destnode == CtdbWire.BROADCAST_CONNECTED
                || destnode == CtdbWire.BROADCAST_ACTIVE) {
            for (NodeView n : host.view().nodes()) {
                boolean wanted = destnode == CtdbWire.BROADCAST_ACTIVE ? isActive(n) : n.reachable();
                if (!wanted) {
                    continue;
                }
                if (n.pnn() == me) {
                    here = true;
                } else {
                    targets.add(n.pnn());
                }
            }
        } else {
            targets.add(destnode);
        }
        for (int pnn : targets) {
            byte[] wire = codec.encode(CtdbHeader.of(CtdbHeader.REQ_MESSAGE, generation(), pnn, me, 0), m);
            if (!host.send(pnn, new CtdbRelay(CtdbRelay.Kind.MESSAGE, 0, wire))) {
                log.debug("message for srvid 0x{} to node {} dropped: not connected", Long.toHexString(m.srvid()), pnn);
            }
        }
        if (here) {
            deliverLocal(srcnode, m);
        }
    }

    /** To every local client that registered the srvid (or CTDB_SRVID_ALL). */
    void deliverLocal(int srcnode, ReqMessage m) {
        CtdbHeader h = CtdbHeader.of(CtdbHeader.REQ_MESSAGE, generation(), myPnn(), srcnode, 0);
        for (ClientConnection c : registry.registered(m.srvid())) {
            c.send(codec, h, m);
        }
        if (m.srvid() != CtdbWire.SRVID_ALL) {
            for (ClientConnection c : registry.registered(CtdbWire.SRVID_ALL)) {
                c.send(codec, h, m);
            }
        }
    }

    /** Before an address is released here: tell local clients (smbd drops its connections to it). */
    public void releasingIp(String ip) {
        deliverLocal(myPnn(), new ReqMessage(CtdbWire.SRVID_RELEASE_IP, Bytes.of(ControlData.cString(ip))));
        controls.forgetTcpClients(ip);
    }

    /**
     * Runs {@link #tick} soon on the client socket's thread ({@link ClientServer}'s timer, on the
     * one-second grid); {@link #viewChanged} wakes it only when there is a leader to announce.
     */
    void leaderTimer(Runnable armSoon) {
        leaderTimer = armSoon;
    }

    /**
     * The daemon published a new cluster view (any thread): when it names a leader the clients were
     * not told about, {@link #tick} runs at the next one-second point, where a tick every second
     * would have announced it; otherwise nothing wakes.
     */
    public void viewChanged() {
        int leader = host.view().leader();
        if (leader >= 0 && leader != announcedLeader) {
            leaderTimer.run();
        }
    }

    /** The daemon's tunables were set (any thread): timers that count them re-arm. */
    public void tunablesChanged() {
        vacuum.tunablesChanged();
    }

    /** Announces a new leader to clients that registered the leader srvid (see {@link #viewChanged}). */
    public void tick() {
        int leader = host.view().leader();
        if (leader != announcedLeader && leader >= 0) {
            announcedLeader = leader;
            deliverLocal(myPnn(), leaderMessage(leader));
        }
    }

    static ReqMessage leaderMessage(int leader) {
        return new ReqMessage(CtdbWire.SRVID_LEADER, Bytes.of(ControlData.u32(leader)));
    }

    // ---- cluster ----

    static boolean isActive(NodeView n) {
        return (n.flags() & (NodeFlags.INACTIVE | NodeFlags.UNKNOWN)) == 0;
    }

    /** Active nodes other than this one (where persistent writes and attaches go). */
    List<Integer> activePeers() {
        List<Integer> out = new ArrayList<>();
        for (NodeView n : host.view().nodes()) {
            if (n.pnn() != myPnn() && isActive(n)) {
                out.add(n.pnn());
            }
        }
        return out;
    }

    int activeNodes() {
        return (int) host.view().nodes().stream().filter(CtdbService::isActive).count();
    }

    /** Sends a control to another node and completes with its reply (or an error reply). */
    CompletableFuture<ReplyControl> forward(int pnn, CtdbHeader request, ReqControl control) {
        ClusterView v = host.view();
        if (pnn < 0 || pnn >= v.nodes().size() || !v.node(pnn).reachable()) {
            return CompletableFuture.completedFuture(
                    ReplyControl.failed(-1, "node " + Integer.toUnsignedString(pnn) + " is not connected"));
        }
        long id = nextId.incrementAndGet();
        byte[] wire = codec.encode(
                CtdbHeader.of(CtdbHeader.REQ_CONTROL, generation(), pnn, myPnn(), request.reqid()), control);
        boolean noReply = (control.flags() & CtdbWire.CTRL_FLAG_NOREPLY) != 0;
        CompletableFuture<ReplyControl> f = new CompletableFuture<>();
        if (!noReply) {
            pending.put(id, new Pending(pnn, f));
        }
        if (!host.send(pnn, new CtdbRelay(CtdbRelay.Kind.CONTROL, id, wire))) {
            pending.remove(id);
            return CompletableFuture.completedFuture(ReplyControl.failed(-1, "node " + pnn + " is not connected"));
        }
        if (noReply) {
            return CompletableFuture.completedFuture(ReplyControl.ok(0, Bytes.EMPTY));
        }
        ReplyControl timedOut = ReplyControl.failed(
                -1,
                "node " + pnn + " did not answer " + ControlOpcode.describe(control.opcode()) + " within "
                        + FORWARD_TIMEOUT_MILLIS / 1000 + " s");
        ScheduledFuture<?> timer = worker.timeout(() -> f.complete(timedOut), FORWARD_TIMEOUT_MILLIS);
        return f.whenComplete((r, e) -> {
            timer.cancel(false);
            pending.remove(id);
            if (r == timedOut) {
                counters.controlTimeouts.increment();
            }
        });
    }

    /** A control for this node built by the daemon itself (replication, catch-up). */
    CompletableFuture<ReplyControl> forward(int pnn, int opcode, int flags, byte[] data) {
        return forward(
                pnn,
                CtdbHeader.of(CtdbHeader.REQ_CONTROL, 0, pnn, myPnn(), 0),
                new ReqControl(opcode, 0, 0, flags, Bytes.of(data)));
    }

    /** Fails what is waiting on a node that just went away, at once. */
    public void peerDisconnected(int pnn) {
        cluster.peerDisconnected(pnn);
        traverse.peerDisconnected(pnn);
        pending.forEach((id, p) -> {
            if (p.pnn() == pnn) {
                p.reply().complete(ReplyControl.failed(-1, "node " + pnn + " disconnected"));
            }
        });
    }

    // ---- record migration and database recovery over the mesh ----

    public void migrationReceived(int fromPnn, WireMessage.Migration m) {
        counters.fromNode(m.message());
        cluster.peerMessage(fromPnn, m.message());
    }

    public void recoveryRequestReceived(int fromPnn, WireMessage.DbRecoveryRequest r) {
        cluster.recoveryRequest(fromPnn, r);
    }

    public void recoveryReplyReceived(int fromPnn, WireMessage.DbRecoveryReply r) {
        cluster.recoveryReply(fromPnn, r);
    }

    public void traverseAllReceived(int fromPnn, WireMessage.TraverseAll t) {
        traverse.traverseAll(fromPnn, t);
    }

    public void traverseDataReceived(int fromPnn, WireMessage.TraverseData t) {
        traverse.data(fromPnn, t);
    }

    /** The leader's database step of a recovery; completes with whether every member serves the generation. */
    public CompletableFuture<Boolean> recoverDatabases(long generation, List<Integer> members) {
        return cluster.recover(generation, members);
    }

    /** No leader for the leader timeout: stop serving records until a recovery. */
    public void leaderLost() {
        cluster.leaderLost();
    }

    /** The persistent databases' lineage generation kept from before this start. */
    public long storedGeneration() {
        return cluster.storedGeneration();
    }

    /** Migration counters and hop counts, as logged. */
    public String migrationStats() {
        return cluster.statsLine();
    }

    /** A CTDB packet relayed by another daemon over the mesh. */
    public void relayReceived(int fromPnn, CtdbRelay relay) {
        counters.fromNode(relay.kind());
        CtdbCodec.Frame frame;
        try {
            frame = codec.decode(relay.packet());
        } catch (BadPacketException e) {
            log.warn("node {} relayed a bad CTDB packet: {}", fromPnn, e.getMessage());
            return;
        }
        switch (relay.kind()) {
            case MESSAGE -> {
                if (frame.packet() instanceof ReqMessage m) {
                    deliverLocal(frame.header().srcnode(), m);
                }
            }
            case REPLY -> {
                Pending p = pending.remove(relay.id());
                if (p != null && frame.packet() instanceof ReplyControl r) {
                    p.reply().complete(r);
                }
            }
            case CONTROL -> {
                if (!(frame.packet() instanceof ReqControl rc)) {
                    return;
                }
                CompletableFuture<ReplyControl> reply = controls.run(null, frame.header(), rc);
                if ((rc.flags() & CtdbWire.CTRL_FLAG_NOREPLY) != 0) {
                    return;
                }
                reply.exceptionally(e -> ReplyControl.failed(-1, message(e))).thenAccept(r -> {
                    byte[] wire = codec.encode(
                            CtdbHeader.of(
                                    CtdbHeader.REPLY_CONTROL,
                                    generation(),
                                    fromPnn,
                                    myPnn(),
                                    frame.header().reqid()),
                            r);
                    host.send(fromPnn, new CtdbRelay(CtdbRelay.Kind.REPLY, relay.id(), wire));
                });
            }
            default -> log.warn("node {} relayed {}; not handled", fromPnn, relay.kind());
        }
    }

    /** Attaches the persistent databases whose files this node kept (`<name>.<pnn>`), as ctdbd does at start. */
    public void attachKeptPersistent() {
        Path dir = databases.directories().persistentDir();
        String suffix = "." + databases.pnn();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.endsWith(suffix) && n.length() > suffix.length()) {
                    String name = n.substring(0, n.length() - suffix.length());
                    worker.call(
                                    "attach " + name,
                                    () -> DatabaseWorker.Outcome.done(databases.attach(name, DatabaseKind.PERSISTENT)))
                            .join();
                    log.info("attached persistent database {} kept from before", name);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot attach the persistent databases in {}: {}", dir, message(e));
        }
    }

    @Override
    public void close() {
        worker.close();
    }
}

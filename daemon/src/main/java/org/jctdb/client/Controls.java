package org.jctdb.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jctdb.config.TunableDef;
import org.jctdb.config.Tunables;
import org.jctdb.control.ClusterView;
import org.jctdb.control.IpSnapshot;
import org.jctdb.control.NodeView;
import org.jctdb.database.Database;
import org.jctdb.database.DatabaseKind;
import org.jctdb.database.DbId;
import org.jctdb.database.LtdbHeader;
import org.jctdb.database.LtdbRecord;
import org.jctdb.database.recovery.MemberInput;
import org.jctdb.ip.HostedAddress;
import org.jctdb.ip.IpMessage;
import org.jctdb.protocol.NodeFlags;
import org.jctdb.protocol.ctdb.BadPacketException;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.ControlData;
import org.jctdb.protocol.ctdb.ControlOpcode;
import org.jctdb.protocol.ctdb.CtdbHeader;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyControl;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqControl;
import org.jctdb.protocol.ctdb.CtdbWire;
import org.jctdb.protocol.ctdb.DbidMap;
import org.jctdb.protocol.ctdb.IfaceList;
import org.jctdb.protocol.ctdb.NodeMap;
import org.jctdb.protocol.ctdb.PidSrvid;
import org.jctdb.protocol.ctdb.PublicIpInfo;
import org.jctdb.protocol.ctdb.PublicIpList;
import org.jctdb.protocol.ctdb.RecBuffer;
import org.jctdb.protocol.ctdb.RecData;
import org.jctdb.protocol.ctdb.SockAddr;
import org.jctdb.protocol.ctdb.TcpConnection;
import org.jctdb.protocol.ctdb.TraverseStart;
import org.jctdb.protocol.ctdb.TraverseStartExt;
import org.jctdb.protocol.ctdb.Tunable;
import org.jctdb.protocol.ctdb.Uptime;
import org.jctdb.protocol.ctdb.VnnMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controls of CTDB's client protocol that JCTDB answers (see docs/design/databases.md for
 * the table). Cheap ones answer on the calling thread; database ones on the database thread.
 * Anything else gets CTDB's error reply: status -1, no data.
 */
final class Controls {
    private static final Logger log = LoggerFactory.getLogger("jctdb.client");
    /**
     * JCTDB's own control flag between daemons: TRANS3_COMMIT applied here only (a replica of a
     * commit made on another node), DB_PULL (a copy of a persistent database for catch-up).
     */
    static final int FLAG_REPLICA = 0x40000000;

    /** How the node is configured. */
    record Settings(int port) {}

    private final CtdbService s;
    private final Settings settings;
    /** TCP_CLIENT: the SMB connections per public address of this node. */
    private final Map<String, Set<TcpConnection>> tcpClients = new ConcurrentHashMap<>();

    Controls(CtdbService service, Settings settings) {
        this.s = service;
        this.settings = settings;
    }

    private static CompletableFuture<ReplyControl> done(ReplyControl r) {
        return CompletableFuture.completedFuture(r);
    }

    private static CompletableFuture<ReplyControl> status(int status) {
        return done(ReplyControl.ok(status, Bytes.EMPTY));
    }

    private static CompletableFuture<ReplyControl> data(byte[] data) {
        return done(ReplyControl.ok(0, Bytes.of(data)));
    }

    private static CompletableFuture<ReplyControl> fail(String why) {
        return done(ReplyControl.failed(-1, why));
    }

    /** Runs one control; {@code c} is the local client, or null when another daemon sent it. */
    CompletableFuture<ReplyControl> run(ClientConnection c, CtdbHeader h, ReqControl rc) {
        ControlOpcode op = rc.knownOpcode();
        if (op == null) {
            return done(new ReplyControl(-1, Bytes.EMPTY, Bytes.EMPTY));
        }
        try {
            return dispatch(c, op, rc, rc.data().toArray());
        } catch (BadPacketException e) {
            log.warn("{} sent a malformed {}: {}", who(c), op, e.getMessage());
            return fail(op + ": " + e.getMessage());
        } catch (RuntimeException e) {
            log.warn("{}: {} failed", who(c), op, e);
            return fail(op + " failed: " + e);
        }
    }

    private static String who(ClientConnection c) {
        return c == null ? "another node" : c.toString();
    }

    private CompletableFuture<ReplyControl> dispatch(ClientConnection c, ControlOpcode op, ReqControl rc, byte[] in)
            throws BadPacketException {
        ClusterView v = s.host().view();
        switch (op) {
            case GET_PNN:
                return status(v.myPnn());
            case GET_PID:
                return status((int) ProcessHandle.current().pid());
            case PING:
                return status(s.clients());
            case GET_RECMODE:
                return status(v.recoveryMode());
            case GET_RUNSTATE:
                return data(ControlData.u32(s.host().runState().code()));
            case GET_NODEMAP:
                return data(nodeMap(v).encode());
            case GETVNNMAP:
                return data(vnnMap(v).encode());
            case GET_CAPABILITIES:
                return data(ControlData.u32((s.host().leaderRole() ? CtdbWire.CAP_RECMASTER : 0)
                        | CtdbWire.CAP_LMASTER
                        | CtdbWire.CAP_PARALLEL_RECOVERY
                        | CtdbWire.CAP_FRAGMENTED_CONTROLS));
            case UPTIME:
                return data(new Uptime(
                                tv(System.currentTimeMillis()),
                                tv(v.startTimeMillis()),
                                tv(v.lastRecoveryStartMillis()),
                                tv(v.lastRecoveryEndMillis()))
                        .encode());
            case STATISTICS:
                return s.host()
                        .statistics()
                        .map(x -> data(StatisticsWire.encode(x)))
                        .orElseGet(() -> status(-1));
            case STATISTICS_RESET:
                s.host().resetStatistics();
                return status(0);
            case SET_TUNABLE:
                if (c == null) {
                    return fail("SET_TUNABLE from another node");
                }
                return setTunable(Tunable.decode(in));
            case GET_TUNABLE:
                return getTunable(ControlData.decodeStringN(in, "GET_TUNABLE request"));
            case LIST_TUNABLES:
                return data(ControlData.tunableNames(s.host().tunables().listed().stream()
                        .map(Map.Entry::getKey)
                        .toList()));
            case REGISTER_SRVID:
                if (c == null) {
                    return fail("REGISTER_SRVID from another node");
                }
                s.registry().register(c, rc.srvid());
                return status(0);
            case DEREGISTER_SRVID:
                return status(c != null && s.registry().deregister(c, rc.srvid()) ? 0 : -1);
            case PROCESS_EXISTS:
                return status(s.registry().pidConnected(ControlData.decodeU32(in, "PROCESS_EXISTS request")) ? 0 : -1);
            case CHECK_PID_SRVID: {
                PidSrvid p = PidSrvid.decode(in);
                return status(s.registry().pidRegistered(p.pid(), p.srvid()) ? 0 : -1);
            }
            case DB_ATTACH:
                return attach(c, rc, ControlData.decodeCString(in, "DB_ATTACH request"), DatabaseKind.VOLATILE);
            case DB_ATTACH_PERSISTENT:
                return attach(
                        c, rc, ControlData.decodeCString(in, "DB_ATTACH_PERSISTENT request"), DatabaseKind.PERSISTENT);
            case DB_ATTACH_REPLICATED:
                return attach(
                        c, rc, ControlData.decodeCString(in, "DB_ATTACH_REPLICATED request"), DatabaseKind.REPLICATED);
            case GET_DBMAP: {
                List<DbidMap.Dbid> ids = new ArrayList<>();
                for (Database d : s.databases().list()) {
                    ids.add(new DbidMap.Dbid(d.id().value(), d.dbFlags()));
                }
                return data(new DbidMap(ids).encode());
            }
            case GETDBPATH:
                return withDb(in, op, d -> data(ControlData.cString(d.path().toString())));
            case GET_DBNAME:
                return withDb(in, op, d -> data(ControlData.cString(d.name())));
            case DB_OPEN_FLAGS:
                return withDb(in, op, d -> data(ControlData.u32(d.tdbFlags())));
            case DB_GET_HEALTH:
                return withDb(in, op, d -> data(new byte[0]));
            case SET_DB_READONLY:
                return withDb(
                        in,
                        op,
                        d -> d.kind() == DatabaseKind.PERSISTENT
                                ? fail("cannot set read-only on persistent database " + d.name())
                                : status(0));
            case ENABLE_SEQNUM:
                return withDb(
                        in,
                        op,
                        d -> s.worker().call("ENABLE_SEQNUM " + d.name(), () -> {
                            d.enableSeqnum();
                            s.seqnums().enabled();
                            return DatabaseWorker.Outcome.done(ReplyControl.ok(0, Bytes.EMPTY));
                        }));
            case UPDATE_SEQNUM: {
                if (c != null) {
                    return fail("UPDATE_SEQNUM is sent between nodes");
                }
                s.seqnums().updated(new DbId(ControlData.decodeU32(in, "UPDATE_SEQNUM")));
                return status(0);
            }
            case DB_DETACH:
                return withDb(in, op, d -> detach(c, d));
            case GET_DB_STATISTICS:
                return withDb(in, op, d -> data(DbCounters.encode(s.dbCounters().snapshot(d.id()))));
            case GET_DB_SEQNUM:
                return withDb(ControlData.u32(ControlData.decodeDbSeqnumRequest(in)), op, this::seqnum);
            case SCHEDULE_FOR_DELETION:
                s.vacuum().schedule(in);
                return status(0);
            case TRY_DELETE_RECORDS:
                return c != null
                        ? fail("TRY_DELETE_RECORDS is sent between nodes")
                        : s.vacuum().tryDelete(rc.srvid(), in);
            case VACUUM_FETCH:
                if (c != null) {
                    return fail("VACUUM_FETCH is sent between nodes");
                }
                s.vacuum().fetch(in);
                return status(0);
            case TRAVERSE_START: {
                TraverseStart t = TraverseStart.decode(in);
                return withDb(
                        ControlData.u32(t.dbId()), op, d -> c == null ? fail("traverse from another node") : status(0));
            }
            case TRAVERSE_START_EXT: {
                TraverseStartExt t = TraverseStartExt.decode(in);
                return withDb(
                        ControlData.u32(t.dbId()), op, d -> c == null ? fail("traverse from another node") : status(0));
            }
            case TRANS3_COMMIT:
                return trans3Commit(rc, RecBuffer.decode(in));
            case DB_PULL:
                if (c != null || (rc.flags() & FLAG_REPLICA) == 0) {
                    return done(new ReplyControl(-1, Bytes.EMPTY, Bytes.EMPTY));
                }
                return withDb(in, op, this::pull);
            case GET_PUBLIC_IPS:
                return publicIps((rc.flags() & CtdbWire.PUBLIC_IP_FLAGS_ONLY_AVAILABLE) != 0);
            case GET_PUBLIC_IP_INFO:
                return publicIpInfo(SockAddr.decode(in));
            case GET_IFACES:
                return data(ifaces(s.host().ips()).encode());
            case TCP_CLIENT: {
                TcpConnection conn = TcpConnection.decode(in);
                InetAddress dst = conn.dst().address();
                if (dst != null) {
                    tcpClients
                            .computeIfAbsent(dst.getHostAddress(), k -> ConcurrentHashMap.newKeySet())
                            .add(conn);
                    TcpTickles.register(s.host(), conn);
                }
                return status(0);
            }
            default:
                return done(new ReplyControl(-1, Bytes.EMPTY, Bytes.EMPTY));
        }
    }

    /** What follows a reply: the leader for whoever registered its srvid, a traverse's records. */
    void afterReply(ClientConnection c, ReqControl rc, ReplyControl reply) {
        if (reply.status() != 0 || reply.error().length() > 0) {
            return;
        }
        ControlOpcode op = rc.knownOpcode();
        try {
            if (op == ControlOpcode.REGISTER_SRVID && rc.srvid() == CtdbWire.SRVID_LEADER) {
                int leader = s.host().view().leader();
                if (leader >= 0) {
                    c.send(
                            s.codec(),
                            CtdbHeader.of(CtdbHeader.REQ_MESSAGE, s.generation(), s.myPnn(), s.myPnn(), 0),
                            CtdbService.leaderMessage(leader));
                }
            } else if (op == ControlOpcode.TRAVERSE_START) {
                TraverseStart t = TraverseStart.decode(rc.data().toArray());
                traverse(rc, t.dbId(), t.reqid(), t.srvid(), false);
            } else if (op == ControlOpcode.TRAVERSE_START_EXT) {
                TraverseStartExt t = TraverseStartExt.decode(rc.data().toArray());
                traverse(rc, t.dbId(), t.reqid(), t.srvid(), t.withEmptyRecords());
            }
        } catch (BadPacketException e) {
            log.warn("{}: {}", c, e.getMessage()); // already answered with an error
        }
    }

    void forgetTcpClients(String ip) {
        tcpClients.remove(ip);
    }

    int tcpClientCount(String ip) {
        return tcpClients.getOrDefault(ip, Set.of()).size();
    }

    // ---- databases ----

    @FunctionalInterface
    private interface DbAction {
        CompletableFuture<ReplyControl> apply(Database d) throws BadPacketException;
    }

    private CompletableFuture<ReplyControl> withDb(byte[] in, ControlOpcode op, DbAction action)
            throws BadPacketException {
        int id = ControlData.decodeU32(in, op + " request");
        Optional<Database> d = s.databases().byId(new DbId(id));
        if (d.isEmpty()) {
            return fail(String.format("%s: unknown database 0x%08x", op, id));
        }
        return action.apply(d.get());
    }

    /**
     * A client's attach waits while this node is frozen for a recovery (as CTDB defers it); an attach
     * relayed by another node (ATTACH_RECOVERY) runs at once. Every kind is attached on every active node.
     */
    private CompletableFuture<ReplyControl> attach(ClientConnection c, ReqControl rc, String name, DatabaseKind kind) {
        boolean fromPeer = (rc.flags() & CtdbWire.CTRL_FLAG_ATTACH_RECOVERY) != 0;
        CompletableFuture<Void> ready =
                fromPeer ? CompletableFuture.completedFuture(null) : s.cluster().whenServing(MemberInput.Gated.ATTACH);
        ControlOpcode op = switch (kind) {
            case PERSISTENT -> ControlOpcode.DB_ATTACH_PERSISTENT;
            case REPLICATED -> ControlOpcode.DB_ATTACH_REPLICATED;
            default -> ControlOpcode.DB_ATTACH;
        };
        return ready.thenCompose(x -> s.worker()
                        .call(
                                "attach " + name,
                                () -> DatabaseWorker.Outcome.done(s.databases().attach(name, kind))))
                .thenApply(d -> {
                    if (!fromPeer) {
                        // Attach it everywhere, as ctdbd does (no reply awaited).
                        for (int pnn : s.activePeers()) {
                            s.forward(
                                    pnn,
                                    op.code(),
                                    CtdbWire.CTRL_FLAG_NOREPLY | CtdbWire.CTRL_FLAG_ATTACH_RECOVERY,
                                    ControlData.cString(name));
                        }
                    }
                    return ReplyControl.ok(0, Bytes.of(ControlData.u32(d.id().value())));
                });
    }

    /**
     * DB_DETACH as ctdbd: only volatile databases, only while clients may not attach
     * (AllowClientDBAttach 0) and not during a recovery. A client's request detaches here and on
     * every other active node; the database's file stays.
     */
    private CompletableFuture<ReplyControl> detach(ClientConnection c, Database d) {
        if (s.host().tunables().get("AllowClientDBAttach") == 1) {
            return fail("DB detach from database " + d.name() + " denied: clients may attach (AllowClientDBAttach 1)");
        }
        if (d.kind() != DatabaseKind.VOLATILE) {
            return fail("detaching non-volatile database " + d.name() + " denied");
        }
        if (s.host().view().recoveryMode() != 0) {
            return fail("DB detach denied while in recovery");
        }
        if (c != null) {
            for (int pnn : s.activePeers()) {
                s.forward(
                        pnn,
                        ControlOpcode.DB_DETACH.code(),
                        CtdbWire.CTRL_FLAG_NOREPLY,
                        ControlData.u32(d.id().value()));
            }
        }
        return s.worker().call("detach " + d.name(), () -> {
            s.databases().detach(d.id()).ifPresent(x -> {
                x.file().close();
                s.dbCounters().forget(x.id());
                log.info("database {} detached", x.name());
            });
            return DatabaseWorker.Outcome.done(ReplyControl.ok(0, Bytes.EMPTY));
        });
    }

    private CompletableFuture<ReplyControl> seqnum(Database d) {
        return s.worker().submit("GET_DB_SEQNUM " + d.name(), () -> {
            var n = d.trySequenceNumber();
            return n.isPresent()
                    ? DatabaseWorker.Outcome.done(ReplyControl.ok(0, Bytes.of(ControlData.u64(n.getAsLong()))))
                    : DatabaseWorker.Outcome.busyChain(d.file(), Database.seqnumKey());
        });
    }

    /**
     * A client's commit waits while this node is frozen for a recovery and runs after the thaw; a replica
     * from another node is refused while frozen (the recovery in progress pushes the committing node's copy).
     */
    private CompletableFuture<ReplyControl> trans3Commit(ReqControl rc, RecBuffer buffer) {
        boolean replica = (rc.flags() & FLAG_REPLICA) != 0;
        if (replica && !s.cluster().serving()) {
            return fail("TRANS3_COMMIT replica refused: node " + s.myPnn() + " is frozen for a recovery");
        }
        CompletableFuture<Void> ready = replica
                ? CompletableFuture.completedFuture(null)
                : s.cluster().whenServing(MemberInput.Gated.TRANS3_COMMIT);
        // Looked up on the database thread: an attach relayed just before this commit is queued there.
        return ready.thenCompose(x -> s.worker()
                .call(
                        "TRANS3_COMMIT lookup",
                        () -> DatabaseWorker.Outcome.done(s.databases().byId(new DbId(buffer.dbId()))))
                .thenCompose(found -> {
                    try {
                        return trans3Commit(rc, buffer, found);
                    } catch (BadPacketException e) {
                        return fail(e.getMessage());
                    }
                }));
    }

    private CompletableFuture<ReplyControl> trans3Commit(ReqControl rc, RecBuffer buffer, Optional<Database> found)
            throws BadPacketException {
        if (found.isEmpty()) {
            return fail(String.format("TRANS3_COMMIT: unknown database 0x%08x", buffer.dbId()));
        }
        Database d = found.get();
        if (d.kind() == DatabaseKind.VOLATILE) {
            return fail("TRANS3_COMMIT: database " + d.name() + " is not persistent");
        }
        List<LtdbRecord> records = new ArrayList<>();
        for (RecData r : buffer.records()) {
            byte[] stored = r.data().toArray();
            if (stored.length < LtdbHeader.SIZE) {
                return fail("TRANS3_COMMIT: a record of " + stored.length + " bytes has no CTDB header");
            }
            records.add(LtdbRecord.parse(r.key().toArray(), stored));
        }
        boolean replica = (rc.flags() & FLAG_REPLICA) != 0;
        CompletableFuture<Long> local = s.worker().submit("TRANS3_COMMIT " + d.name(), () -> {
            Optional<Long> seq = d.tryApplyTransaction(records);
            return seq.isPresent() ? DatabaseWorker.Outcome.done(seq.get()) : DatabaseWorker.Outcome.busyAll(d.file());
        });
        if (replica) {
            return local.thenApply(seq -> ReplyControl.ok(0, Bytes.EMPTY));
        }
        byte[] payload = rc.data().toArray();
        return local.thenCompose(seq -> {
            List<Integer> peers = s.activePeers();
            List<CompletableFuture<ReplyControl>> acks = new ArrayList<>();
            for (int pnn : peers) {
                acks.add(s.forward(pnn, ControlOpcode.TRANS3_COMMIT.code(), FLAG_REPLICA, payload));
            }
            return CompletableFuture.allOf(acks.toArray(new CompletableFuture[0]))
                    .thenApply(x -> {
                        for (int i = 0; i < peers.size(); i++) {
                            ReplyControl a = acks.get(i).join();
                            if (a.status() != 0) {
                                // As in CTDB, a node that failed a commit makes the cluster recover: the recovery
                                // pushes
                                // the newest copy of the lineage to every node.
                                log.warn(
                                        "persistent commit to {} (seqnum {}) failed on node {}: {}; asking for a recovery",
                                        d.name(),
                                        seq,
                                        peers.get(i),
                                        a.errorMessage());
                                s.host()
                                        .requestRecovery(
                                                "persistent commit to " + d.name() + " failed on node " + peers.get(i));
                            }
                        }
                        return ReplyControl.ok(0, Bytes.EMPTY);
                    });
        });
    }

    /** Every record of a persistent database, for a node catching up. */
    private CompletableFuture<ReplyControl> pull(Database d) {
        return s.worker().submit("pull " + d.name(), () -> {
            List<RecData> all = new ArrayList<>();
            boolean ok = d.tryTraverse(r -> {
                all.add(new RecData(0, Bytes.of(r.key()), Bytes.of(r.stored())));
                return true;
            });
            return ok
                    ? DatabaseWorker.Outcome.done(
                            ReplyControl.ok(0, Bytes.of(new RecBuffer(d.id().value(), all).encode())))
                    : DatabaseWorker.Outcome.busyAll(d.file());
        });
    }

    /** Streams the records as messages to srvid, then the empty end marker, as ctdbd does (cluster-wide). */
    private void traverse(ReqControl rc, int dbId, int reqid, long srvid, boolean withEmpty) {
        s.databases()
                .byId(new DbId(dbId))
                .ifPresent(d -> s.traverse()
                        .start(
                                d,
                                reqid,
                                srvid,
                                withEmpty,
                                (rc.flags() & CtdbWire.CTRL_FLAG_JCTDB_LOCAL_TRAVERSE) != 0));
    }

    // ---- nodes, tunables ----

    private NodeMap nodeMap(ClusterView v) {
        List<NodeMap.Node> nodes = new ArrayList<>();
        for (NodeView n : v.nodes()) {
            int flags = n.flags() & 0x3f;
            if ((n.flags() & NodeFlags.UNKNOWN) != 0) {
                flags |= NodeFlags.DISCONNECTED; // CTDB has no "unknown": not heard from is disconnected
            }
            nodes.add(new NodeMap.Node(n.pnn(), flags, SockAddr.of(parse(n.address()), settings.port())));
        }
        return new NodeMap(nodes);
    }

    private static InetAddress parse(String address) {
        try {
            if (address != null
                    && !address.isEmpty()
                    && (address.indexOf(':') >= 0 || Character.isDigit(address.charAt(0)))) {
                return InetAddress.getByName(address); // a literal: no lookup
            }
            return InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Uptime.Timeval tv(long millis) {
        return new Uptime.Timeval(millis / 1000, (millis % 1000) * 1000);
    }

    /**
     * The vnnmap of the generation this node serves in. ctdbd's recovery installs the new vnnmap on every
     * node before any database thaws; ours installs it in the view with the leader's FINISH, after the
     * database step thawed the databases, so in between record calls are already answered in the new
     * generation. Then the databases' map is the one to show, never "no generation" or the old one.
     */
    private VnnMap vnnMap(ClusterView v) {
        return vnnMap(v, s.cluster().serving() ? s.cluster().map() : Optional.empty());
    }

    /** The view's vnnmap, or {@code served} (the thawed databases' map) when its generation is newer. */
    static VnnMap vnnMap(ClusterView v, Optional<org.jctdb.database.migration.VnnMap> served) {
        if (served.isPresent() && served.get().generation() > v.generation()) {
            return new VnnMap((int) served.get().generation(), served.get().nodes());
        }
        return new VnnMap((int) v.generation(), v.vnnMap());
    }

    private CompletableFuture<ReplyControl> getTunable(String name) {
        Tunables t = s.host().tunables();
        Optional<TunableDef> def = Tunables.definition(name);
        if (def.isEmpty()) {
            return fail("unknown tunable " + name);
        }
        return data(ControlData.u32((int) t.get(def.get().name())));
    }

    /** As ctdbd: status 1 for an obsolete tunable (ctdb setvar says so), -1 for an unknown one. */
    private CompletableFuture<ReplyControl> setTunable(Tunable t) {
        Optional<TunableDef> def = Tunables.definition(t.name());
        if (def.isEmpty()) {
            return fail("unknown tunable " + t.name());
        }
        int status = def.get().obsolete() ? 1 : 0;
        return s.host()
                .setTunable(def.get().name(), Integer.toUnsignedLong(t.value()))
                .handle((ok, e) -> e == null
                        ? ReplyControl.ok(status, Bytes.EMPTY)
                        : ReplyControl.failed(-1, (e.getCause() != null ? e.getCause() : e).getMessage()));
    }

    // ---- public addresses ----

    private CompletableFuture<ReplyControl> publicIps(boolean onlyAvailable) {
        Optional<IpSnapshot> snap = s.host().ips();
        List<PublicIpList.PublicIp> out = new ArrayList<>();
        if (snap.isPresent()) {
            for (IpMessage.Listed l : snap.get().listed()) {
                if (onlyAvailable && l.ifaces().stream().allMatch(snap.get().downIfaces()::contains)) {
                    continue;
                }
                out.add(new PublicIpList.PublicIp(snap.get().pnnOf(l.ip()), SockAddr.of(parse(l.ip()), 0)));
            }
        }
        return data(new PublicIpList(out).encode());
    }

    private CompletableFuture<ReplyControl> publicIpInfo(SockAddr addr) {
        Optional<IpSnapshot> snap = s.host().ips();
        InetAddress want = addr.address();
        if (snap.isPresent() && want != null) {
            for (IpMessage.Listed l : snap.get().listed()) {
                if (!parse(l.ip()).equals(want)) {
                    continue;
                }
                List<IfaceList.Iface> ifaces = new ArrayList<>();
                int active = -1;
                for (String name : l.ifaces()) {
                    if (hostedOn(snap.get(), l.ip()).filter(name::equals).isPresent()) {
                        active = ifaces.size();
                    }
                    ifaces.add(iface(snap.get(), name));
                }
                return data(new PublicIpInfo(
                                new PublicIpList.PublicIp(snap.get().pnnOf(l.ip()), SockAddr.of(want, 0)),
                                active,
                                new IfaceList(ifaces))
                        .encode());
            }
        }
        return fail(addr + " is not a public address of node " + s.myPnn());
    }

    private static Optional<String> hostedOn(IpSnapshot snap, String ip) {
        return snap.hosted().stream()
                .filter(h -> h.ip().equals(ip))
                .map(HostedAddress::iface)
                .findFirst();
    }

    private static IfaceList.Iface iface(IpSnapshot snap, String name) {
        int refs =
                (int) snap.hosted().stream().filter(h -> h.iface().equals(name)).count();
        return new IfaceList.Iface(name, snap.downIfaces().contains(name) ? 0 : 1, refs);
    }

    private static IfaceList ifaces(Optional<IpSnapshot> snap) {
        if (snap.isEmpty()) {
            return new IfaceList(List.of());
        }
        Map<String, IfaceList.Iface> all = new LinkedHashMap<>();
        for (IpMessage.Listed l : snap.get().listed()) {
            for (String name : l.ifaces()) {
                all.computeIfAbsent(name, n -> iface(snap.get(), n));
            }
        }
        return new IfaceList(List.copyOf(all.values()));
    }
}

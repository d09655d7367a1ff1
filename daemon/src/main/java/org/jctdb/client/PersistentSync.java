package org.jctdb.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jctdb.database.Database;
import org.jctdb.database.DatabaseKind;
import org.jctdb.database.DbId;
import org.jctdb.database.LtdbHeader;
import org.jctdb.protocol.ctdb.BadPacketException;
import org.jctdb.protocol.ctdb.ControlData;
import org.jctdb.protocol.ctdb.ControlOpcode;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyControl;
import org.jctdb.protocol.ctdb.DbidMap;
import org.jctdb.protocol.ctdb.RecBuffer;
import org.jctdb.protocol.ctdb.RecData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps persistent databases the same on every node, in the simplest way that is right: each
 * node, after a recovery, when a node joins, and every few seconds, asks the other active nodes
 * which persistent databases they have and at which sequence number, attaches those it lacks
 * and replaces its copy with the highest one when that is higher than its own. A pure recovery
 * core may replace this later.
 */
final class PersistentSync {
    private static final Logger log = LoggerFactory.getLogger("jctdb.client");
    private static final int PERIOD_TICKS = 5;

    private final CtdbService s;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean requested = true;
    private int ticks;

    PersistentSync(CtdbService service) {
        this.s = service;
    }

    void requestSoon() {
        requested = true;
    }

    /** Once a second (on one thread). */
    void tick() {
        ticks++;
        if ((requested || ticks % PERIOD_TICKS == 0) && !s.activePeers().isEmpty() && running.compareAndSet(false, true)) {
            requested = false;
            round().whenComplete((v, e) -> {
                if (e != null) {
                    log.warn("persistent database catch-up failed: {}", CtdbService.message(e));
                    requested = true;
                }
                running.set(false);
            });
        }
    }

    /** Attaches every persistent database whose file this node kept (`<name>.<pnn>`). */
    void attachKept() {
        Path dir = s.databases().directories().persistentDir();
        String suffix = "." + s.databases().pnn();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.endsWith(suffix) && n.length() > suffix.length()) {
                    String name = n.substring(0, n.length() - suffix.length());
                    s.worker().call("attach " + name, () -> DatabaseWorker.Outcome.done(
                            s.databases().attach(name, DatabaseKind.PERSISTENT))).join();
                    log.info("attached persistent database {} kept from before", name);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot attach the persistent databases in {}: {}", dir, CtdbService.message(e));
        }
    }

    private CompletableFuture<Void> round() {
        List<Integer> peers = s.activePeers();
        List<CompletableFuture<Void>> discovered = new ArrayList<>();
        for (int pnn : peers) {
            discovered.add(s.forward(pnn, ControlOpcode.GET_DBMAP.code(), 0, new byte[0])
                    .thenCompose(r -> attachMissing(pnn, r)));
        }
        return CompletableFuture.allOf(discovered.toArray(new CompletableFuture[0])).thenCompose(v -> {
            List<CompletableFuture<Void>> each = new ArrayList<>();
            for (Database d : s.databases().list()) {
                if (d.kind() == DatabaseKind.PERSISTENT) {
                    each.add(catchUp(d, peers));
                }
            }
            return CompletableFuture.allOf(each.toArray(new CompletableFuture[0]));
        });
    }

    private CompletableFuture<Void> attachMissing(int pnn, ReplyControl map) {
        if (map.status() != 0) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> attaches = new ArrayList<>();
        try {
            for (DbidMap.Dbid id : DbidMap.decode(map.data().toArray()).dbs()) {
                if ((id.flags() & org.jctdb.database.DatabaseFlags.PERSISTENT) == 0
                        || s.databases().byId(new DbId(id.dbId())).isPresent()) {
                    continue;
                }
                attaches.add(s.forward(pnn, ControlOpcode.GET_DBNAME.code(), 0, ControlData.u32(id.dbId()))
                        .thenCompose(r -> {
                            if (r.status() != 0) {
                                return CompletableFuture.completedFuture(null);
                            }
                            String name;
                            try {
                                name = ControlData.decodeCString(r.data().toArray(), "GET_DBNAME reply");
                            } catch (BadPacketException e) {
                                return CompletableFuture.failedFuture(e);
                            }
                            return s.worker().call("attach " + name, () -> DatabaseWorker.Outcome.done(
                                    s.databases().attach(name, DatabaseKind.PERSISTENT))).thenAccept(d ->
                                    log.info("attached persistent database {} that node {} has", name, pnn));
                        }));
            }
        } catch (BadPacketException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.allOf(attaches.toArray(new CompletableFuture[0]));
    }

    private CompletableFuture<Void> catchUp(Database d, List<Integer> peers) {
        List<CompletableFuture<ReplyControl>> seqs = new ArrayList<>();
        for (int pnn : peers) {
            seqs.add(s.forward(pnn, ControlOpcode.GET_DB_SEQNUM.code(), 0, ControlData.dbSeqnumRequest(d.id().value())));
        }
        CompletableFuture<Long> mine = s.worker().submit("seqnum " + d.name(), () -> {
            var n = d.trySequenceNumber();
            return n.isPresent() ? DatabaseWorker.Outcome.done(n.getAsLong())
                    : DatabaseWorker.Outcome.busyChain(d.file(), Database.seqnumKey());
        });
        return CompletableFuture.allOf(seqs.toArray(new CompletableFuture[0])).thenCombine(mine, (v, local) -> {
            int best = -1;
            long bestSeq = local;
            for (int i = 0; i < peers.size(); i++) {
                ReplyControl r = seqs.get(i).join();
                if (r.status() != 0 || r.data().length() != 8) {
                    continue;
                }
                try {
                    long seq = ControlData.decodeU64(r.data().toArray(), "GET_DB_SEQNUM reply");
                    if (seq > bestSeq) {
                        bestSeq = seq;
                        best = peers.get(i);
                    }
                } catch (BadPacketException e) {
                    log.warn("node {}: {}", peers.get(i), e.getMessage());
                }
            }
            return new long[] {best, bestSeq, local};
        }).thenCompose(b -> {
            if (b[0] < 0) {
                return CompletableFuture.completedFuture(null);
            }
            int from = (int) b[0];
            return s.forward(from, ControlOpcode.DB_PULL.code(), Controls.FLAG_REPLICA, ControlData.u32(d.id().value()))
                    .thenCompose(r -> {
                        if (r.status() != 0) {
                            return CompletableFuture.failedFuture(new IOException("pull of " + d.name() + " from node "
                                    + from + ": " + r.errorMessage()));
                        }
                        try {
                            return replace(d, RecBuffer.decode(r.data().toArray()), b[1], b[2], from);
                        } catch (BadPacketException e) {
                            return CompletableFuture.failedFuture(e);
                        }
                    });
        });
    }

    /** Replaces the local copy in one TDB transaction, unless it has meanwhile reached {@code seq}. */
    private CompletableFuture<Void> replace(Database d, RecBuffer copy, long seq, long localSeq, int from) {
        return s.worker().submit("catch up " + d.name(), () -> {
            Set<String> keep = new HashSet<>();
            for (RecData r : copy.records()) {
                keep.add(java.util.HexFormat.of().formatHex(r.key().toArray()));
            }
            List<byte[]> stale = new ArrayList<>();
            if (!d.tryTraverse(r -> {
                if (!keep.contains(java.util.HexFormat.of().formatHex(r.key()))) {
                    stale.add(r.key());
                }
                return true;
            })) {
                return DatabaseWorker.Outcome.<Boolean>busyAll(d.file());
            }
            Optional<Boolean> done = d.file().tryTransaction(() -> {
                Optional<byte[]> now = d.file().fetch(Database.seqnumKey());
                long current = now.filter(v -> v.length == LtdbHeader.SIZE + 8)
                        .map(v -> java.nio.ByteBuffer.wrap(v, LtdbHeader.SIZE, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong())
                        .orElse(0L);
                if (current >= seq) {
                    return Boolean.FALSE;
                }
                for (byte[] k : stale) {
                    d.file().delete(k);
                }
                for (RecData r : copy.records()) {
                    d.file().store(r.key().toArray(), r.data().toArray());
                }
                return Boolean.TRUE;
            });
            return done.isPresent() ? DatabaseWorker.Outcome.done(done.get()) : DatabaseWorker.Outcome.<Boolean>busyAll(d.file());
        }).thenAccept(replaced -> {
            if (replaced) {
                log.info("persistent database {} caught up from sequence number {} to {} (copy of node {})",
                        d.name(), localSeq, seq, from);
            }
        });
    }
}

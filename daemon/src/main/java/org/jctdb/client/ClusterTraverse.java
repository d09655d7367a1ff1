package org.jctdb.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.jctdb.database.Database;
import org.jctdb.database.DbId;
import org.jctdb.database.LocalDatabases;
import org.jctdb.database.TraverseRule;
import org.jctdb.mesh.WireMessage;
import org.jctdb.protocol.ctdb.BadPacketException;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqMessage;
import org.jctdb.protocol.ctdb.RecBuffer;
import org.jctdb.protocol.ctdb.RecData;
import org.jctdb.transport.GridTimer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CTDB's cluster-wide traverse (TRAVERSE_START / _EXT from a client): a volatile database is traversed on
 * every active node, each sending the records it is data master of ({@link TraverseRule}) in batches of at
 * most {@link #BATCH_BYTES} ({@link WireMessage.TraverseData}); this node streams them to the client's srvid
 * as REQ_MESSAGEs and ends with the empty record once every node said it is done. A node that disconnects,
 * or a traverse not finished within the TraverseTimeout tunable, ends it early with an error in the log
 * (CTDB's client protocol has no way to tell the client; CTDB also just ends it). Persistent and replicated
 * databases are traversed here only. All state lives on the database thread.
 */
final class ClusterTraverse {
    private static final Logger log = LoggerFactory.getLogger("jctdb.client");
    /** Records per mesh message, at most (a frame is 1 MiB, base64 in JSON costs a third). */
    static final int BATCH_BYTES = 256 * 1024;

    /** What a traverse needs from the service. */
    interface Host {
        int pnn();

        List<Integer> activePeers();

        boolean send(int pnn, WireMessage message);

        void deliverLocal(ReqMessage m);

        /** TraverseTimeout, in milliseconds. */
        long timeoutMillis();

        /** A traverse ran out of TraverseTimeout (statistics). */
        void timedOut();
    }

    private final Host host;
    private final DatabaseWorker worker;
    private final LocalDatabases databases;
    private final LongSupplier clock;
    private final LongConsumer expiry;
    private final AtomicLong nextId = new AtomicLong();
    // database thread only
    private final Map<Long, Running> running = new HashMap<>();

    /** A traverse this node streams to one of its clients; {@code waiting}: nodes not done yet. */
    private record Running(String db, int reqid, long srvid, Set<Integer> waiting, long deadline) {}

    /**
     * @param clock {@code Ticker.SYSTEM}'s milliseconds: the expiry check runs on a {@link GridTimer}, at
     *     the first one-second point at or after the earliest TraverseTimeout of the running traverses
     *     (where a check every second would have found it), and not at all while none runs
     */
    ClusterTraverse(Host host, DatabaseWorker worker, LocalDatabases databases, LongSupplier clock) {
        this(host, worker, databases, clock, task -> worker.timerOnGrid(task, 1000)::moveToMillis);
    }

    /** The same with the expiry timer given: {@code timers} makes one for a task, armed for a time of {@code clock}. */
    ClusterTraverse(
            Host host,
            DatabaseWorker worker,
            LocalDatabases databases,
            LongSupplier clock,
            Function<Runnable, LongConsumer> timers) {
        this.host = host;
        this.worker = worker;
        this.databases = databases;
        this.clock = clock;
        this.expiry = timers.apply(this::expire);
    }

    /** A client's traverse of {@code d}: records to {@code srvid}, then the empty end record. */
    void start(Database d, int reqid, long srvid, boolean withEmpty, boolean localOnly) {
        long id = nextId.incrementAndGet();
        worker.execute(() -> {
            Set<Integer> waiting = new LinkedHashSet<>();
            waiting.add(host.pnn());
            List<Integer> peers = localOnly || !TraverseRule.clusterWide(d.kind()) ? List.of() : host.activePeers();
            waiting.addAll(peers);
            running.put(id, new Running(d.name(), reqid, srvid, waiting, clock.getAsLong() + host.timeoutMillis()));
            armExpiry();
            for (int pnn : peers) {
                if (!host.send(pnn, new WireMessage.TraverseAll(id, d.id().value(), withEmpty))) {
                    fail(id, "node " + pnn + " is not connected");
                    return;
                }
            }
            // cattdb (local only) wants this node's whole file, whoever is data master
            boolean everything = localOnly;
            readLocal(d, withEmpty, everything)
                    .whenComplete((records, e) -> worker.execute(() -> {
                        if (e != null) {
                            fail(id, "traverse of the local copy failed: " + CtdbService.message(e));
                            return;
                        }
                        Running r = running.get(id);
                        if (r != null) {
                            records.forEach(rec -> deliver(r, rec));
                            done(id, host.pnn());
                        }
                    }));
        });
    }

    /** Another node's TRAVERSE_ALL: send it our records, in batches, then the end. */
    void traverseAll(int from, WireMessage.TraverseAll m) {
        Optional<Database> found = databases.byId(new DbId(m.dbId()));
        if (found.isEmpty()) {
            log.warn(
                    "node {} traverses database 0x{}, which is not attached here", from, Integer.toHexString(m.dbId()));
            host.send(from, new WireMessage.TraverseData(m.id(), new RecBuffer(m.dbId(), List.of()).encode(), true));
            return;
        }
        Database d = found.get();
        readLocal(d, m.withEmpty(), false).whenComplete((records, e) -> {
            if (e != null) {
                log.warn("traverse of {} for node {} failed: {}", d.name(), from, CtdbService.message(e));
                records = List.of(); // the end alone: the traverse finishes without our records
            }
            List<Integer> sizes = new ArrayList<>(records.size());
            records.forEach(r -> sizes.add(r.encode().length));
            int at = 0;
            List<Integer> batches = TraverseRule.batches(sizes, BATCH_BYTES);
            for (int i = 0; i < batches.size(); i++) {
                List<RecData> part = records.subList(at, at + batches.get(i));
                at += part.size();
                boolean end = i == batches.size() - 1;
                if (!host.send(
                        from, new WireMessage.TraverseData(m.id(), new RecBuffer(m.dbId(), part).encode(), end))) {
                    return; // the origin sees the disconnect
                }
            }
            if (batches.isEmpty()) {
                host.send(
                        from, new WireMessage.TraverseData(m.id(), new RecBuffer(m.dbId(), List.of()).encode(), true));
            }
        });
    }

    /** A batch of records from another node. */
    void data(int from, WireMessage.TraverseData m) {
        worker.execute(() -> {
            Running r = running.get(m.id());
            if (r == null || !r.waiting().contains(from)) {
                return; // ended already, or a node we did not ask
            }
            RecBuffer b;
            try {
                b = RecBuffer.decode(m.records());
            } catch (BadPacketException e) {
                fail(m.id(), "node " + from + " sent bad records: " + e.getMessage());
                return;
            }
            b.records().forEach(rec -> deliver(r, rec));
            if (m.end()) {
                done(m.id(), from);
            }
        });
    }

    void peerDisconnected(int pnn) {
        worker.execute(() -> {
            for (Map.Entry<Long, Running> e : List.copyOf(running.entrySet())) {
                if (e.getValue().waiting().contains(pnn)) {
                    fail(e.getKey(), "node " + pnn + " disconnected");
                }
            }
        });
    }

    private void expire() {
        long now = clock.getAsLong();
        for (Map.Entry<Long, Running> e : List.copyOf(running.entrySet())) {
            if (now >= e.getValue().deadline()) {
                host.timedOut();
                fail(
                        e.getKey(),
                        "not finished within TraverseTimeout (nodes "
                                + e.getValue().waiting() + " did not end)");
            }
        }
        armExpiry();
    }

    /** The expiry check for the earliest deadline of the running traverses; none while none runs. */
    private void armExpiry() {
        expiry.accept(nextExpiry());
    }

    /** The earliest deadline of the running traverses, {@code Long.MAX_VALUE} when none runs (database thread). */
    long nextExpiry() {
        long next = Long.MAX_VALUE;
        for (Running r : running.values()) {
            next = Math.min(next, r.deadline());
        }
        return next;
    }

    private void deliver(Running r, RecData rec) {
        host.deliverLocal(new ReqMessage(r.srvid(), Bytes.of(new RecData(r.reqid(), rec.key(), rec.data()).encode())));
    }

    private void done(long id, int pnn) {
        Running r = running.get(id);
        if (r != null && r.waiting().remove(pnn) && r.waiting().isEmpty()) {
            end(id);
        }
    }

    private void fail(long id, String why) {
        Running r = running.get(id);
        if (r != null) {
            log.error("traverse of {} ended early: {}", r.db(), why);
            end(id);
        }
    }

    private void end(long id) {
        Running r = running.remove(id);
        host.deliverLocal(
                new ReqMessage(r.srvid(), Bytes.of(new RecData(r.reqid(), Bytes.EMPTY, Bytes.EMPTY).encode())));
        armExpiry(); // its deadline no longer counts
    }

    /** This node's records of {@code d} for a traverse, read on the database thread without waiting. */
    private java.util.concurrent.CompletableFuture<List<RecData>> readLocal(
            Database d, boolean withEmpty, boolean everything) {
        int me = host.pnn();
        return worker.submit("traverse " + d.name(), () -> {
            List<RecData> out = new ArrayList<>();
            boolean ok = d.tryTraverse(r -> {
                if (everything || TraverseRule.sends(d.kind(), withEmpty, me, r.header(), r.data().length)) {
                    out.add(new RecData(0, Bytes.of(r.key()), Bytes.of(r.stored())));
                }
                return true;
            });
            return ok ? DatabaseWorker.Outcome.done(out) : DatabaseWorker.Outcome.<List<RecData>>busyAll(d.file());
        });
    }
}

package org.jctdb.client;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jctdb.database.Database;
import org.jctdb.database.DatabaseKind;
import org.jctdb.database.DbId;
import org.jctdb.database.LtdbHeader;
import org.jctdb.database.TdbException;
import org.jctdb.database.migration.LocalRecord;
import org.jctdb.database.migration.RecordKey;
import org.jctdb.database.migration.VnnMap;
import org.jctdb.database.vacuum.DeleteQueue;
import org.jctdb.database.vacuum.VacuumRules;
import org.jctdb.protocol.ctdb.BadPacketException;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.ControlOpcode;
import org.jctdb.protocol.ctdb.CtdbHeader;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyControl;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqControl;
import org.jctdb.protocol.ctdb.CtdbWire;
import org.jctdb.protocol.ctdb.RecBuffer;
import org.jctdb.protocol.ctdb.RecData;
import org.jctdb.transport.GridTimer;
import org.jctdb.transport.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vacuuming of volatile databases (CTDB's ctdb_vacuum.c, simplified; the decisions are {@link VacuumRules}):
 * SCHEDULE_FOR_DELETION queues a key ({@link DeleteQueue}); every VacuumInterval seconds, while this node
 * serves a generation, each volatile database is vacuumed: the queued keys (the fast path) and, every
 * VacuumFastPathCount-th pass, every empty record this node is data master of (the full vacuum, a traverse).
 * An empty record this node is also location master of is offered to every other node of the vnnmap with
 * TRY_DELETE_RECORDS; when all of them dropped their copies, it is deleted here under its chain lock if it
 * is still the offered copy. One whose location master is another node is handed to it with VACUUM_FETCH:
 * the location master migrates it to itself and queues it. Everything runs on the database thread and
 * takes chain locks without waiting (a busy record waits for the next pass).
 */
final class Vacuum {
    private static final Logger log = LoggerFactory.getLogger("jctdb.database");
    /** Keys queued per database at most (more are left to the full vacuum). */
    static final int QUEUE_LIMIT = 100_000;
    /** Records offered or handed over per database and pass at most, so each message stays inside a mesh frame. */
    static final int BATCH_BYTES = 256 * 1024;

    private final CtdbService s;
    // database thread only
    private final DeleteQueue queue = new DeleteQueue(QUEUE_LIMIT);
    private long passes;
    private final VacuumSchedule schedule;
    private final GridTimer timer;
    private volatile long deletedTotal;

    Vacuum(CtdbService service) {
        this.s = service;
        this.schedule = new VacuumSchedule(interval(), point());
        this.timer = s.worker().timerOnGrid(this::tick, 1000);
        arm();
    }

    private long interval() {
        return s.host().tunables().get("VacuumInterval");
    }

    /** The last point of the one-second grid at or before now. */
    private static long point() {
        return Periodic.pointIndex(System.nanoTime(), 1000);
    }

    /** The timer for the next pass: the I/O thread sleeps until then, not woken every second to count. */
    private void arm() {
        long next = schedule.nextPass();
        timer.moveToNanos(next == Long.MAX_VALUE ? Long.MAX_VALUE : Periodic.pointNanos(next, 1000));
    }

    /** The tunables were set (any thread): a changed VacuumInterval moves the next pass. */
    void tunablesChanged() {
        s.worker().execute(() -> {
            schedule.intervalChanged(interval(), point());
            arm();
        });
    }

    /** Records deleted by this node's vacuuming so far. */
    long deleted() {
        return deletedTotal;
    }

    /** SCHEDULE_FOR_DELETION: u32 db id, u32 padding, the record's header, u32 key length, the key. */
    void schedule(byte[] in) throws BadPacketException {
        ByteBuffer b = ByteBuffer.wrap(in).order(CtdbWire.ORDER);
        if (in.length < 8 + LtdbHeader.SIZE + 4) {
            throw new BadPacketException("SCHEDULE_FOR_DELETION of " + in.length + " bytes is too short");
        }
        int db = b.getInt(0);
        int keylen = b.getInt(8 + LtdbHeader.SIZE);
        int at = 8 + LtdbHeader.SIZE + 4;
        if (keylen < 0 || keylen > in.length - at) {
            throw new BadPacketException(
                    "SCHEDULE_FOR_DELETION key length " + keylen + " beyond its " + in.length + " bytes");
        }
        byte[] key = java.util.Arrays.copyOfRange(in, at, at + keylen);
        queue(new DbId(db), key);
    }

    /** Queues a key emptied on this node (any thread). */
    void queue(DbId db, byte[] key) {
        s.worker().execute(() -> queue.add(db, new RecordKey(key)));
    }

    private void tick() {
        long point = point();
        schedule.intervalChanged(interval(), point - 1); // read at each tick, as before
        boolean due = schedule.tick(point); // VacuumInterval 0 switches vacuuming off, as in CTDB
        arm();
        if (!due) {
            return;
        }
        Optional<VnnMap> map = s.cluster().map();
        if (!s.cluster().serving() || map.isEmpty()) {
            return;
        }
        long fastPathCount = Math.max(1, s.host().tunables().get("VacuumFastPathCount"));
        boolean full = ++passes % fastPathCount == 0;
        for (Database d : s.databases().list()) {
            if (d.kind() == DatabaseKind.VOLATILE) {
                try {
                    long start = System.nanoTime();
                    pass(d, map.get(), full);
                    s.dbCounters().vacuumed(d.id(), System.nanoTime() - start);
                } catch (TdbException | RuntimeException e) {
                    log.warn("vacuuming {} failed: {}", d.name(), e.toString());
                }
            }
        }
    }

    /** One pass over one database: plan every candidate, hand some to their lmaster, offer the rest. */
    private void pass(Database d, VnnMap map, boolean full) throws TdbException {
        int me = s.myPnn();
        Set<RecordKey> candidates = new LinkedHashSet<>(queue.take(d.id()));
        if (full) {
            d.tryTraverse(r -> {
                if (r.data().length == 0 && r.header().dmaster() == me) {
                    candidates.add(new RecordKey(r.key()));
                }
                return true;
            }); // busy: the next full pass
        }
        if (candidates.isEmpty()) {
            return;
        }
        List<RecData> offer = new ArrayList<>();
        Map<Integer, List<RecData>> handOver = new HashMap<>();
        long bytes = 0;
        for (RecordKey k : candidates) {
            if (bytes > BATCH_BYTES) {
                queue.add(d.id(), k); // the next pass
                continue;
            }
            Optional<Optional<LocalRecord>> copy = d.file().tryChainLock(k.bytes(), () -> read(d, k));
            if (copy.isEmpty()) {
                queue.add(d.id(), k); // a client holds it: the next pass
                continue;
            }
            int lmaster = map.lmaster(k);
            VacuumRules.Plan plan = VacuumRules.plan(me, lmaster, copy.get());
            if (plan == VacuumRules.Plan.SKIP) {
                continue;
            }
            RecData r = new RecData(
                    0, Bytes.of(k.bytes()), Bytes.of(copy.get().get().header().encode()));
            bytes += r.encode().length; // offers and hand-overs both stay well inside a mesh frame
            if (plan == VacuumRules.Plan.DELETE_HERE) {
                offer.add(r);
            } else {
                handOver.computeIfAbsent(lmaster, x -> new ArrayList<>()).add(r);
            }
        }
        handOver.forEach((lmaster, records) -> s.forward(
                lmaster,
                ControlOpcode.VACUUM_FETCH.code(),
                CtdbWire.CTRL_FLAG_NOREPLY,
                new RecBuffer(d.id().value(), records).encode()));
        if (!offer.isEmpty()) {
            offerAndDelete(d, map, offer);
        }
    }

    private static Optional<LocalRecord> read(Database d, RecordKey k) throws TdbException {
        return d.file()
                .fetch(k.bytes())
                .filter(v -> v.length >= LtdbHeader.SIZE)
                .map(v -> new LocalRecord(LtdbHeader.decode(v), LtdbHeader.dataOf(v)));
    }

    /** TRY_DELETE_RECORDS to every other vnnmap node; then the final check and delete here. */
    private void offerAndDelete(Database d, VnnMap map, List<RecData> offer) {
        byte[] payload = new RecBuffer(d.id().value(), offer).encode();
        List<Integer> peers =
                map.nodes().stream().filter(p -> p != s.myPnn()).distinct().toList();
        List<CompletableFuture<ReplyControl>> replies = new ArrayList<>();
        for (int pnn : peers) {
            // the srvid carries the generation: a node serving another one keeps its copies
            replies.add(s.forward(
                    pnn,
                    CtdbHeader.of(CtdbHeader.REQ_CONTROL, 0, pnn, s.myPnn(), 0),
                    new ReqControl(
                            ControlOpcode.TRY_DELETE_RECORDS.code(), map.generation(), 0, 0, Bytes.of(payload))));
        }
        CompletableFuture.allOf(replies.toArray(new CompletableFuture[0]))
                .whenComplete((x, e) -> s.worker().execute(() -> {
                    Set<RecordKey> kept = new HashSet<>();
                    boolean everyone = true;
                    for (int i = 0; i < replies.size(); i++) {
                        ReplyControl r = replies.get(i).getNow(null);
                        if (r == null || r.status() != 0) {
                            everyone = false;
                            log.debug("vacuuming {}: node {} did not drop its copies", d.name(), peers.get(i));
                            continue;
                        }
                        try {
                            for (RecData k :
                                    RecBuffer.decode(r.data().toArray()).records()) {
                                kept.add(new RecordKey(k.key().toArray()));
                            }
                        } catch (BadPacketException bad) {
                            everyone = false;
                            log.warn(
                                    "vacuuming {}: node {} answered garbage: {}",
                                    d.name(),
                                    peers.get(i),
                                    bad.getMessage());
                        }
                    }
                    // the generation must not have changed meanwhile: a recovery rewrote every copy
                    Optional<VnnMap> now = s.cluster().map();
                    if (!s.cluster().serving() || now.isEmpty() || now.get().generation() != map.generation()) {
                        return;
                    }
                    deleteOffered(d, offer, kept, everyone);
                }));
    }

    private void deleteOffered(Database d, List<RecData> offer, Set<RecordKey> kept, boolean everyone) {
        int me = s.myPnn();
        int deleted = 0;
        for (RecData r : offer) {
            RecordKey k = new RecordKey(r.key().toArray());
            long rsn = LtdbHeader.decode(r.data().toArray()).rsn();
            boolean dropped = everyone && !kept.contains(k);
            try {
                Optional<Boolean> done = d.file().tryChainLock(k.bytes(), () -> {
                    if (VacuumRules.mayDelete(me, rsn, dropped, read(d, k))) {
                        return d.file().delete(k.bytes());
                    }
                    return false;
                });
                if (done.orElse(false)) {
                    deleted++;
                }
            } catch (TdbException e) {
                log.warn("vacuuming {}: {}", d.name(), e.toString());
            }
        }
        if (deleted > 0) {
            deletedTotal += deleted;
            log.info("vacuuming {}: {} of {} emptied records deleted", d.name(), deleted, offer.size());
        }
    }

    /** TRY_DELETE_RECORDS from the location master: drop stale copies; the reply lists the ones kept. */
    CompletableFuture<ReplyControl> tryDelete(long generation, byte[] in) throws BadPacketException {
        RecBuffer b = RecBuffer.decode(in);
        return s.worker().call("TRY_DELETE_RECORDS", () -> {
            Optional<Database> d = s.databases().byId(new DbId(b.dbId()));
            if (d.isEmpty()
                    || d.get().kind() != DatabaseKind.VOLATILE
                    || !s.cluster().serving()
                    || s.cluster().map().isEmpty()) {
                return DatabaseWorker.Outcome.done(ReplyControl.failed(
                        -1, "not vacuuming database 0x" + Integer.toHexString(b.dbId()) + " here now"));
            }
            int me = s.myPnn();
            long mine = s.cluster().map().get().generation();
            List<RecData> kept = new ArrayList<>();
            for (RecData r : b.records()) {
                byte[] key = r.key().toArray();
                byte[] stored = r.data().toArray();
                if (stored.length < LtdbHeader.SIZE) {
                    kept.add(r);
                    continue;
                }
                long rsn = LtdbHeader.decode(stored).rsn();
                Optional<Boolean> dropped = d.get().file().tryChainLock(key, () -> {
                    Optional<LocalRecord> copy = read(d.get(), new RecordKey(key));
                    if (!VacuumRules.mayDropCopy(me, mine, generation, rsn, copy)) {
                        return false;
                    }
                    if (copy.isPresent()) {
                        d.get().file().delete(key);
                    }
                    return true;
                });
                if (!dropped.orElse(false)) {
                    kept.add(r);
                }
            }
            return DatabaseWorker.Outcome.done(ReplyControl.ok(0, Bytes.of(new RecBuffer(b.dbId(), kept).encode())));
        });
    }

    /** VACUUM_FETCH from a data master: migrate the records here (we are their lmaster) and queue them. */
    void fetch(byte[] in) throws BadPacketException {
        RecBuffer b = RecBuffer.decode(in);
        Optional<Database> d = s.databases().byId(new DbId(b.dbId()));
        if (d.isEmpty() || d.get().kind() != DatabaseKind.VOLATILE) {
            return;
        }
        Optional<VnnMap> map = s.cluster().map();
        for (RecData r : b.records()) {
            byte[] key = r.key().toArray();
            if (map.isEmpty() || map.get().lmaster(new RecordKey(key)) != s.myPnn()) {
                continue; // sent under another vnnmap: the sender's next full vacuum tries again
            }
            s.cluster().call(d.get(), key).whenComplete((rec, e) -> {
                if (e == null && rec.isEmpty()) {
                    queue(d.get().id(), key);
                }
            });
        }
    }
}

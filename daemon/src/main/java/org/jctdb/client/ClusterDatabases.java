package org.jctdb.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.jctdb.database.Database;
import org.jctdb.database.DatabaseKind;
import org.jctdb.database.DbId;
import org.jctdb.database.LocalDatabases;
import org.jctdb.database.LtdbHeader;
import org.jctdb.database.TdbException;
import org.jctdb.database.TdbFile;
import org.jctdb.database.migration.LocalRecord;
import org.jctdb.database.migration.MigrationCore;
import org.jctdb.database.migration.MigrationEffect;
import org.jctdb.database.migration.MigrationInput;
import org.jctdb.database.migration.MigrationStats;
import org.jctdb.database.migration.PeerMessage;
import org.jctdb.database.migration.RecordInput;
import org.jctdb.database.migration.RecordKey;
import org.jctdb.database.migration.VnnMap;
import org.jctdb.database.recovery.DatabaseContent;
import org.jctdb.database.recovery.DbRecoveryRun;
import org.jctdb.database.recovery.MemberEffect;
import org.jctdb.database.recovery.MemberInput;
import org.jctdb.database.recovery.RecoveryEffect;
import org.jctdb.database.recovery.RecoveryMember;
import org.jctdb.database.recovery.RecoveryReply;
import org.jctdb.database.recovery.RecoveryRequest;
import org.jctdb.mesh.WireMessage;
import org.jctdb.transport.GridTimer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's shell around the pure database cores: {@link MigrationCore} (record migration for
 * volatile databases), {@link RecoveryMember} (this node's side of a database recovery) and, on the
 * leader, {@link DbRecoveryRun}. Everything here runs on the database thread ({@link DatabaseWorker}),
 * the only thread that touches TDB files, so the cores need no locking.
 *
 * <p>Lock discipline: record inputs are delivered to the migration core only under the record's chain
 * lock taken without waiting; a busy chain goes back to the core ({@code RecordBusy}), whose
 * {@code WaitForChain} starts the lock-wait helper and delivers the input again when it exits. A freeze
 * takes every volatile file's all-record lock without waiting and keeps it until the thaw (clients then
 * wait in their own chain locks, as with CTDB's freeze); when one file is busy it drops every lock it
 * took, waits for that file with the helper, and starts over, so it never holds locks while waiting.
 */
final class ClusterDatabases {
    private static final Logger log = LoggerFactory.getLogger("jctdb.database");
    /** A call forwarded more often than this fails back to its node and a recovery is asked for. */
    static final int HOP_LIMIT = 16;
    /** A step of the leader's database recovery not answered by every member within this aborts it. */
    static final long STEP_TIMEOUT_MILLIS = 30_000;

    private static final long STATS_LOG_MILLIS = 10_000;

    /** What this shell needs from the daemon. */
    interface Host {
        int pnn();

        /** Over the node mesh; false when that node is not connected. */
        boolean send(int pnn, WireMessage message);

        /** Migration found the nodes disagreeing: ask the leader (maybe this node) for a recovery. */
        void requestRecovery(String reason);

        /** A client's call on {@code key} was answered after {@code hops} hops (statistics). */
        void hops(DbId db, RecordKey key, int hops);

        /** Per-database statistics: lock waits of calls on a busy chain. */
        DbCounters dbCounters();
    }

    private final Host host;
    private final DatabaseWorker worker;
    private final LocalDatabases databases;
    private final Path lineageFile;
    private final MigrationCore migration;
    private final RecoveryMember member;
    private volatile boolean serving;
    private volatile VnnMap currentMap;

    // client calls and gated requests: created on any thread, completed on the database thread
    private final Map<Long, BiConsumer<LocalRecord, Throwable>> calls = new ConcurrentHashMap<>();
    private final AtomicLong nextCall = new AtomicLong();
    private final Map<Long, CompletableFuture<Void>> gated = new ConcurrentHashMap<>();
    private final AtomicLong nextGated = new AtomicLong();

    // database thread only
    private final Set<TdbFile> held = new LinkedHashSet<>();
    private boolean freezing;
    private final Map<String, String> knownNames = new HashMap<>();
    private DbRecoveryRun run;
    private CompletableFuture<Boolean> runDone;
    private final GridTimer tick; // every 500 ms while a run is in progress, not at all otherwise
    private long hopsTotal;
    private long callsAnswered;
    private int maxHopsSeen;
    private MigrationStats loggedStats;
    private final GridTimer statsLog;
    /** A migration step ran since the stats log last ran: it is armed (database thread). */
    private boolean statsLogArmed;

    private volatile long lastRecoveryMillis = -1;
    private volatile long lastRecoveryRecords;

    ClusterDatabases(Host host, DatabaseWorker worker, LocalDatabases databases) {
        this.host = host;
        this.worker = worker;
        this.databases = databases;
        this.lineageFile = lineageFile(databases);
        this.migration = new MigrationCore(databases.pnn(), HOP_LIMIT);
        this.member = new RecoveryMember(databases.pnn(), readLineage(lineageFile));
        // The counters change only in a migration step: logged at the next 10 s point after one.
        this.statsLog = worker.timerOnGrid(this::logStats, STATS_LOG_MILLIS);
        this.tick = worker.timerOnGrid(this::tick, 500);
    }

    /** Where the persistent databases' lineage generation is kept, beside them (never a `NAME.PNN` file). */
    static Path lineageFile(LocalDatabases dbs) {
        return dbs.directories().persistentDir().resolve("jctdb_persistent_generation." + dbs.pnn() + ".txt");
    }

    static long readLineage(Path file) {
        try {
            return Files.isRegularFile(file)
                    ? Long.parseLong(Files.readString(file).strip())
                    : 0;
        } catch (IOException | NumberFormatException e) {
            log.error("cannot read the persistent lineage generation from {}: {}; using 0", file, e.toString());
            return 0;
        }
    }

    /** The persistent lineage generation this node kept from before its start (the leader must pick above it). */
    long storedGeneration() {
        return member.persistentGeneration();
    }

    /** Whether this node serves in a generation now (thawed). */
    boolean serving() {
        return serving;
    }

    // ---------------------------------------------------------------- entry points (any thread)

    /** REQ_CALL of a local client on a volatile database: completes once this node is the record's dmaster. */
    CompletableFuture<LocalRecord> call(Database db, byte[] key) {
        CompletableFuture<LocalRecord> f = new CompletableFuture<>();
        call(db, key, (r, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(r);
            }
        });
        return f;
    }

    /**
     * The same with the answer given to {@code done} (record or failure) on the database thread: a client's
     * REQ_CALL answers from there directly, without a future and its dependent stages on every migration.
     */
    void call(Database db, byte[] key, BiConsumer<LocalRecord, Throwable> done) {
        long id = nextCall.incrementAndGet();
        calls.put(id, done);
        worker.executeNow(() -> deliver(new RecordInput.ClientCall(id, db.id(), new RecordKey(key))));
    }

    /** Completes when attaches or persistent commits may run (at once while serving, else after the thaw). */
    CompletableFuture<Void> whenServing(MemberInput.Gated kind) {
        long id = nextGated.incrementAndGet();
        CompletableFuture<Void> f = new CompletableFuture<>();
        gated.put(id, f);
        worker.execute(() -> member(new MemberInput.ClientWaits(id, kind)));
        return f;
    }

    void peerMessage(int from, PeerMessage m) {
        if (m.from() != from) {
            log.warn("node {} sent a migration message naming node {}; dropped", from, m.from());
            return;
        }
        worker.executeNow(() -> {
            if (m instanceof PeerMessage.ReplyError e) {
                log.warn("node {}: call {} hit the hop limit", from, e.reqId());
                migrationEffects(migration.step(e));
            } else {
                deliver((RecordInput) m);
            }
        });
    }

    void recoveryRequest(int from, WireMessage.DbRecoveryRequest r) {
        worker.execute(() -> {
            knownNames.putAll(r.dbNames());
            if (r.request().leader() != from) {
                log.warn(
                        "node {} sent a recovery request naming leader {}; dropped",
                        from,
                        r.request().leader());
                return;
            }
            member(new MemberInput.Request(r.request()));
        });
    }

    void recoveryReply(int from, WireMessage.DbRecoveryReply r) {
        worker.execute(() -> {
            knownNames.putAll(r.dbNames());
            if (r.reply().from() != from) {
                return;
            }
            leaderReply(r.reply());
        });
    }

    void peerDisconnected(int pnn) {
        worker.execute(() -> {
            if (run != null) {
                runEffects(run.onMemberLost(pnn, System.currentTimeMillis()));
            }
        });
    }

    /** No leader heard for the leader timeout: stop serving until a recovery (RecoveryMember LeaderLost). */
    void leaderLost() {
        worker.execute(() -> member(new MemberInput.LeaderLost()));
    }

    /**
     * The leader's database step of recovery {@code generation}: freeze, collect, merge, push, thaw on
     * every member. Completes with true when every member serves the new generation.
     */
    CompletableFuture<Boolean> recover(long generation, List<Integer> members) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        worker.execute(() -> {
            if (runInProgress()) {
                log.info(
                        "database recovery of generation {} superseded by generation {}", run.generation(), generation);
                runDone.complete(false);
            }
            run = new DbRecoveryRun(host.pnn(), new VnnMap(generation, members), members, STEP_TIMEOUT_MILLIS);
            runDone = done;
            log.info("database recovery of generation {} starting, members {}", generation, members);
            runEffects(run.start(System.currentTimeMillis()));
            tick.armSoon();
        });
        return done;
    }

    // ---------------------------------------------------------------- migration

    /** Delivers a record input under its chain lock (or tells the core it is busy). Database thread. */
    private void deliver(RecordInput in) {
        deliver(in, false);
    }

    /** {@code lent}: a lock helper holds the chain for this daemon (after a busy chain), so it is not tried. */
    private void deliver(RecordInput in, boolean lent) {
        Optional<Database> found = databases.byId(in.db());
        if (found.isEmpty() || found.get().kind() != DatabaseKind.VOLATILE) {
            log.warn(
                    "{} for database {}, which is not an attached volatile database here; dropped",
                    in.getClass().getSimpleName(),
                    in.db());
            if (in instanceof RecordInput.ClientCall c) {
                fail(c.callId(), "database " + in.db() + " is not attached as volatile");
            }
            return;
        }
        Database db = found.get();
        byte[] key = in.key().bytes();
        List<MigrationEffect> effects;
        try {
            if (lent) {
                effects = db.file().underLentChainLock(key, () -> stepLocked(db, key, in));
            } else {
                Optional<List<MigrationEffect>> locked = db.file().tryChainLock(key, () -> stepLocked(db, key, in));
                effects = locked.isPresent() ? locked.get() : migration.step(new MigrationInput.RecordBusy(in));
            }
        } catch (TdbException | RuntimeException e) {
            statsMayChange(); // the step may have run before the failure
            log.error("migration of record {} of {}: {}", in.key(), db.name(), e.toString());
            if (in instanceof RecordInput.ClientCall c) {
                fail(c.callId(), e.toString());
            }
            return;
        }
        migrationEffects(effects);
    }

    /** Under the chain lock: read the copy, step the core, write what it stores before the lock goes. */
    private List<MigrationEffect> stepLocked(Database db, byte[] key, RecordInput in) throws TdbException {
        Optional<LocalRecord> local = db.file()
                .fetch(key)
                .filter(v -> v.length >= LtdbHeader.SIZE)
                .map(v -> new LocalRecord(LtdbHeader.decode(v), LtdbHeader.dataOf(v)));
        List<MigrationEffect> effects = migration.step(new MigrationInput.Locked(in, local));
        List<MigrationEffect> out = new ArrayList<>(effects.size());
        boolean stored = false;
        for (MigrationEffect e : effects) {
            if (e instanceof MigrationEffect.StoreRecord s) {
                if (!s.db().equals(in.db()) || !s.key().equals(in.key())) {
                    throw new IllegalStateException("store of another record than the locked one: " + s);
                }
                db.file().store(key, s.header().encode(s.data()));
                stored = true;
            } else if (e instanceof MigrationEffect.ReplyToClient r && local.isEmpty() && !stored) {
                // This node is lmaster and dmaster of a record nobody has: store CTDB's initial header with
                // the rsn raised (as ctdbd's store does), so the client finds a record it is dmaster of.
                LtdbHeader h = new LtdbHeader(
                        Math.max(1, r.header().rsn()),
                        r.header().dmaster(),
                        r.header().flags());
                db.file().store(key, h.encode(r.data()));
                out.add(new MigrationEffect.ReplyToClient(r.callId(), r.db(), r.key(), h, r.data(), r.hops()));
            } else {
                out.add(e);
            }
        }
        return out;
    }

    /** After every migration step (the only thing that moves its counters): the stats log is due. */
    private void statsMayChange() {
        if (!statsLogArmed) {
            statsLogArmed = true;
            statsLog.armSoon();
        }
    }

    private void migrationEffects(List<MigrationEffect> effects) {
        statsMayChange();
        for (MigrationEffect e : effects) {
            if (e instanceof MigrationEffect.SendToNode s) {
                if (!host.send(s.to(), new WireMessage.Migration(s.message()))) {
                    log.debug("migration message to node {} not sent (not connected); the recovery resends", s.to());
                }
            } else if (e instanceof MigrationEffect.ReplyToClient r) {
                BiConsumer<LocalRecord, Throwable> f = calls.remove(r.callId());
                callsAnswered++;
                hopsTotal += r.hops();
                maxHopsSeen = Math.max(maxHopsSeen, r.hops());
                host.hops(r.db(), r.key(), r.hops());
                if (r.hops() >= 4) {
                    log.info("record {} of {} reached this node after {} hops", r.key(), r.db(), r.hops());
                }
                if (f != null) {
                    answer(f, new LocalRecord(r.header(), r.data()), null);
                }
            } else if (e instanceof MigrationEffect.WaitForChain w) {
                Optional<Database> db = databases.byId(w.input().db());
                if (db.isEmpty()) {
                    continue;
                }
                DbId lockDb = w.input().db();
                long lockStart = System.nanoTime();
                host.dbCounters().lockWaitStarted(lockDb);
                // As ctdbd: the helper keeps the lock it waited for until the input has run under it, so the
                // input is not beaten to the lock again by the next client queued behind it.
                worker.waiter()
                        .holdChain(db.get().file(), w.input().key().bytes())
                        .whenComplete((held, err) -> {
                            host.dbCounters().lockWaitEnded(lockDb, System.nanoTime() - lockStart, err != null);
                            if (err != null) {
                                worker.schedule(() -> deliver(w.input()), 20);
                                return;
                            }
                            try {
                                worker.execute(() -> {
                                    try {
                                        deliver(w.input(), true);
                                    } finally {
                                        held.release();
                                    }
                                });
                            } catch (RuntimeException gone) {
                                held.release(); // the thread is gone (shutdown)
                            }
                        });
            } else if (e instanceof MigrationEffect.Resubmit r) {
                worker.execute(() -> deliver(r.input()));
            } else if (e instanceof MigrationEffect.RequestRecovery r) {
                log.warn("record migration asks for a recovery: {}", r.reason());
                host.requestRecovery(r.reason());
            } else if (e instanceof MigrationEffect.StoreRecord s) {
                throw new IllegalStateException("store outside the chain lock: " + s);
            }
        }
    }

    private void fail(long callId, String why) {
        BiConsumer<LocalRecord, Throwable> f = calls.remove(callId);
        if (f != null) {
            answer(f, null, new IllegalStateException(why));
        }
    }

    /** A failing answer must not stop the effects after it (a future swallowed such failures before). */
    private static void answer(BiConsumer<LocalRecord, Throwable> f, LocalRecord record, Throwable failure) {
        try {
            f.accept(record, failure);
        } catch (RuntimeException e) {
            log.error("answering a client call failed", e);
        }
    }

    // ---------------------------------------------------------------- recovery, member side

    private void member(MemberInput in) {
        memberEffects(member.step(in));
    }

    private void memberEffects(List<MemberEffect> effects) {
        for (MemberEffect e : effects) {
            if (e instanceof MemberEffect.FreezeDatabases) {
                serving = false;
                migrationEffects(migration.step(new MigrationInput.Freeze(member.seenGeneration())));
                freezing = true;
                lockVolatile();
            } else if (e instanceof MemberEffect.CollectDatabases c) {
                collect(c.generation());
            } else if (e instanceof MemberEffect.ReplaceDatabases r) {
                push(r.generation(), r.databases());
            } else if (e instanceof MemberEffect.ThawDatabases t) {
                thaw(t.map());
            } else if (e instanceof MemberEffect.Reply r) {
                if (r.to() == host.pnn()) {
                    worker.execute(() -> leaderReply(r.reply()));
                } else if (!host.send(
                        r.to(),
                        new WireMessage.DbRecoveryReply(
                                r.reply(),
                                r.reply() instanceof RecoveryReply.Collected ? namesOfAttached() : Map.of()))) {
                    log.warn("recovery reply to leader {} not sent: not connected", r.to());
                }
            } else if (e instanceof MemberEffect.Proceed p) {
                CompletableFuture<Void> f = gated.remove(p.requestId());
                if (f != null) {
                    f.complete(null);
                }
            }
        }
    }

    /** Takes every volatile file's all-record lock; on a busy one drops them all, waits for it, starts over. */
    private void lockVolatile() {
        if (!freezing) {
            return;
        }
        for (Database d : databases.list()) {
            if (d.kind() != DatabaseKind.VOLATILE || held.contains(d.file())) {
                continue;
            }
            boolean got;
            try {
                got = d.file().tryLockAll();
            } catch (TdbException e) {
                log.error("freeze of {}: {}", d.name(), e.toString());
                got = false;
            }
            if (!got) {
                releaseHeld();
                worker.waiter()
                        .waitForAll(d.file())
                        .whenComplete((v, err) -> worker.schedule(this::lockVolatile, err == null ? 0 : 20));
                return;
            }
            held.add(d.file());
        }
        freezing = false;
        member(new MemberInput.FreezeDone());
    }

    private void releaseHeld() {
        for (TdbFile f : held) {
            try {
                f.unlockAll();
            } catch (TdbException e) {
                log.error("unlock of {}: {}", f.path(), e.toString());
            }
        }
        held.clear();
    }

    private void collect(long generation) {
        List<DatabaseContent> out = new ArrayList<>();
        for (Database d : databases.list()) {
            TreeMap<RecordKey, LocalRecord> recs = new TreeMap<>();
            TdbFile.Visitor visit = (k, v) -> {
                if (v.length >= LtdbHeader.SIZE) {
                    recs.put(new RecordKey(k), new LocalRecord(LtdbHeader.decode(v), LtdbHeader.dataOf(v)));
                }
                return true;
            };
            try {
                if (held.contains(d.file())) {
                    d.file().traverseHeld(visit);
                } else if (!d.file().tryTraverseRead(visit)) {
                    worker.waiter()
                            .waitForAll(d.file())
                            .whenComplete((v, err) -> worker.schedule(() -> collect(generation), err == null ? 0 : 20));
                    return;
                }
            } catch (TdbException e) {
                log.error("collect of {} for generation {}: {}", d.name(), generation, e.toString());
                return; // the leader's step times out and it starts over
            }
            out.add(new DatabaseContent(d.id(), d.kind(), recs));
        }
        member(new MemberInput.LocalCollected(generation, out));
    }

    private void push(long generation, List<DatabaseContent> pushed) {
        long records = 0;
        for (DatabaseContent c : pushed) {
            Database d;
            try {
                d = attachForPush(c);
            } catch (TdbException e) {
                log.error("push of generation {}: {}", generation, e.toString());
                return;
            }
            if (d == null) {
                log.error(
                        "push of generation {}: database {} is not attached here and its name is unknown; skipped",
                        generation,
                        c.db());
                continue;
            }
            records += c.records().size();
            try {
                if (c.kind() == DatabaseKind.VOLATILE) {
                    if (!held.contains(d.file())) {
                        if (!d.file().tryLockAll()) {
                            worker.waiter()
                                    .waitForAll(d.file())
                                    .whenComplete((v, err) ->
                                            worker.schedule(() -> push(generation, pushed), err == null ? 0 : 20));
                            return;
                        }
                        held.add(d.file());
                    }
                    if (!d.file().tryWipeAll()) {
                        throw new TdbException(d.path(), "wipe", -1, "busy although this node holds every chain");
                    }
                    for (Map.Entry<RecordKey, LocalRecord> r : c.records().entrySet()) {
                        d.file()
                                .store(
                                        r.getKey().bytes(),
                                        r.getValue()
                                                .header()
                                                .encode(r.getValue().data()));
                    }
                } else if (!replacePersistent(d, c)) {
                    worker.waiter()
                            .waitForAll(d.file())
                            .whenComplete(
                                    (v, err) -> worker.schedule(() -> push(generation, pushed), err == null ? 0 : 20));
                    return;
                }
            } catch (TdbException e) {
                log.error("push of {} for generation {}: {}", d.name(), generation, e.toString());
                return;
            }
        }
        lastRecoveryRecords = records;
        List<MemberEffect> effects = member.step(new MemberInput.PushApplied(generation));
        writeLineage(member.persistentGeneration());
        memberEffects(effects);
    }

    private Database attachForPush(DatabaseContent c) throws TdbException {
        Optional<Database> d = databases.byId(c.db());
        if (d.isPresent()) {
            return d.get();
        }
        String name = knownNames.get(hex(c.db()));
        if (name == null) {
            return null;
        }
        log.info(
                "attaching {} database {} pushed by the recovery",
                c.kind().name().toLowerCase(),
                name);
        return databases.attach(name, c.kind());
    }

    /** The persistent copy becomes exactly the pushed one, in one TDB transaction; false when busy. */
    private static boolean replacePersistent(Database d, DatabaseContent c) throws TdbException {
        List<byte[]> stale = new ArrayList<>();
        if (!d.tryTraverse(r -> {
            if (!c.records().containsKey(new RecordKey(r.key()))) {
                stale.add(r.key());
            }
            return true;
        })) {
            return false;
        }
        return d.file()
                .tryTransaction(() -> {
                    for (byte[] k : stale) {
                        d.file().delete(k);
                    }
                    for (Map.Entry<RecordKey, LocalRecord> r : c.records().entrySet()) {
                        byte[] stored =
                                r.getValue().header().encode(r.getValue().data());
                        Optional<byte[]> now = d.file().fetch(r.getKey().bytes());
                        if (now.isEmpty() || !Arrays.equals(now.get(), stored)) {
                            d.file().store(r.getKey().bytes(), stored);
                        }
                    }
                    return Boolean.TRUE;
                })
                .isPresent();
    }

    private void thaw(VnnMap map) {
        releaseHeld();
        freezing = false;
        currentMap = map;
        serving = true;
        log.info("databases thawed in generation {}, vnnmap {}", map.generation(), map.nodes());
        migrationEffects(migration.step(new MigrationInput.GenerationChanged(map)));
    }

    private void writeLineage(long generation) {
        try {
            Files.createDirectories(lineageFile.getParent());
            Path tmp = lineageFile.resolveSibling(lineageFile.getFileName() + ".tmp");
            Files.writeString(tmp, generation + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, lineageFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.error(
                    "cannot store the persistent lineage generation {} in {}: {}",
                    generation,
                    lineageFile,
                    e.toString());
        }
    }

    private Map<String, String> namesOfAttached() {
        Map<String, String> out = new HashMap<>();
        for (Database d : databases.list()) {
            out.put(hex(d.id()), d.name());
        }
        return out;
    }

    static String hex(DbId id) {
        return String.format("%08x", id.value());
    }

    // ---------------------------------------------------------------- recovery, leader side

    private void leaderReply(RecoveryReply reply) {
        if (run != null) {
            runEffects(run.onReply(reply, System.currentTimeMillis()));
        }
    }

    /** A recovery run started and not yet ended (ended runs stay in {@code run} until the next). */
    private boolean runInProgress() {
        return runDone != null && !runDone.isDone();
    }

    private void tick() {
        try {
            if (run != null) {
                runEffects(run.tick(System.currentTimeMillis()));
            }
        } finally {
            if (runInProgress()) {
                tick.armSoon();
            }
        }
    }

    private void runEffects(List<RecoveryEffect> effects) {
        for (RecoveryEffect e : effects) {
            if (e instanceof RecoveryEffect.SendToMember s) {
                if (s.to() == host.pnn()) {
                    worker.execute(() -> member(new MemberInput.Request(s.request())));
                } else {
                    Map<String, String> names =
                            s.request() instanceof RecoveryRequest.Push ? knownNamesWithLocal() : Map.of();
                    if (!host.send(s.to(), new WireMessage.DbRecoveryRequest(s.request(), names))) {
                        runEffects(run.onMemberLost(s.to(), System.currentTimeMillis()));
                        return;
                    }
                }
            } else if (e instanceof RecoveryEffect.Completed c) {
                long records = c.summary().pushed().stream()
                        .mapToLong(d -> d.records().size())
                        .sum();
                lastRecoveryMillis = c.summary().tookMs();
                log.info(
                        "database recovery of generation {} done in {} ms: {} databases, {} records pushed to nodes {}"
                                + " (volatile copies trusted from {}, {} equal-rsn conflicts)",
                        c.summary().generation(),
                        c.summary().tookMs(),
                        c.summary().pushed().size(),
                        records,
                        c.summary().members(),
                        c.summary().trustedVolatile(),
                        c.summary().conflicts());
                if (runDone != null) {
                    runDone.complete(true);
                }
            } else if (e instanceof RecoveryEffect.Aborted a) {
                log.warn("database recovery of generation {} aborted: {}", a.generation(), a.reason());
                if (runDone != null) {
                    runDone.complete(false);
                }
            }
        }
    }

    private Map<String, String> knownNamesWithLocal() {
        Map<String, String> out = new HashMap<>(knownNames);
        out.putAll(namesOfAttached());
        return out;
    }

    // ---------------------------------------------------------------- statistics

    /** Hop counts and migrations so far, for the log (and tests). */
    String statsLine() {
        MigrationStats s = migration.stats();
        return String.format(
                "record migration: %d calls answered (%d here at once), %d records migrated in, %d out,"
                        + " %d redirects, %d busy chains, %d stale messages dropped, hop limit hit %d times,"
                        + " hops total %d, max hops %d",
                callsAnswered,
                s.answeredLocally(),
                s.migratedIn(),
                s.migratedOut(),
                s.redirects(),
                s.busyWaits(),
                s.staleDropped(),
                s.hopLimitHits(),
                hopsTotal,
                Math.max(maxHopsSeen, s.maxHops()));
    }

    private void logStats() {
        statsLogArmed = false;
        MigrationStats s = migration.stats();
        if (!s.equals(loggedStats)) {
            loggedStats = s;
            log.info("{}", statsLine());
        }
    }

    long lastRecoveryMillis() {
        return lastRecoveryMillis;
    }

    Optional<VnnMap> map() {
        return Optional.ofNullable(currentMap);
    }

    /** Only for diagnosis: which files the freeze holds. */
    Set<String> heldFiles() {
        Set<String> out = new HashSet<>();
        held.forEach(f -> out.add(f.path().getFileName().toString()));
        return out;
    }
}

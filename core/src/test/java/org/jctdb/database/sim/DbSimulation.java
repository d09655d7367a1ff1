package org.jctdb.database.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jctdb.database.DatabaseKind;
import org.jctdb.database.DbId;
import org.jctdb.database.LtdbHeader;
import org.jctdb.database.migration.LocalRecord;
import org.jctdb.database.migration.MigrationEffect;
import org.jctdb.database.migration.MigrationInput;
import org.jctdb.database.migration.PeerMessage;
import org.jctdb.database.migration.RecordInput;
import org.jctdb.database.migration.RecordKey;
import org.jctdb.database.migration.VnnMap;
import org.jctdb.database.recovery.DatabaseContent;
import org.jctdb.database.recovery.DbRecoveryRun;
import org.jctdb.database.recovery.MemberEffect;
import org.jctdb.database.recovery.MemberInput;
import org.jctdb.database.recovery.RecordMerge;
import org.jctdb.database.recovery.RecoveryEffect;
import org.jctdb.database.recovery.RecoveryReply;
import org.jctdb.database.recovery.RecoveryRequest;

/**
 * The real {@link org.jctdb.database.migration.MigrationCore}, {@link org.jctdb.database.recovery.RecoveryMember}
 * and {@link DbRecoveryRun} of 2–5 nodes on virtual time, one seed deciding every delay, crash, restart,
 * partition and client action. The network keeps order per link (TCP) and loses messages only when a
 * link breaks or a node dies, which always changes the membership and so starts a recovery. The leader
 * is an oracle (the lowest live node once the old leader died; the leader simulator checks elections).
 * Invariants are checked after every event ({@link #checkEveryStep}) and at each recovery's push.
 */
final class DbSimulation {
    static final DbId VOL = DbId.of("locking.tdb");
    static final DbId PERS = DbId.of("registry.tdb");
    static final int HOP_LIMIT = 16;
    static final long STEP_TIMEOUT_MS = 3_000;
    static final long LEADER_TIMEOUT_MS = 500;
    static final long ELECT_MS = 300;
    static final long COMMIT_TIMEOUT_MS = 1_000;
    static final long LIVENESS_MS = 30_000;
    static final RecordKey[] VKEYS = keys("v", 4);
    static final RecordKey[] PKEYS = keys("p", 3);

    private record Ev(long at, long seq, Runnable action) {}

    /** A persistent commit every member of its generation applied, and so acknowledged to its client. */
    record Acked(long id, long seqnum, Set<RecordKey> keys, Set<Integer> holders) {}

    private final class Commit {
        final long id;
        final SimDbNode origin;
        final int inc;
        final long generation;
        final long seqnum;
        final Map<RecordKey, byte[]> writes;
        final Set<Integer> waiting;
        final Set<Integer> applied = new TreeSet<>();
        boolean done;

        Commit(
                long id,
                SimDbNode origin,
                long generation,
                long seqnum,
                Map<RecordKey, byte[]> writes,
                List<Integer> members) {
            this.id = id;
            this.origin = origin;
            this.inc = origin.incarnation;
            this.generation = generation;
            this.seqnum = seqnum;
            this.writes = writes;
            this.waiting = new TreeSet<>(members);
        }
    }

    private record Call(long id, int node, int inc, RecordKey key, boolean write) {}

    final long seed;
    /** Null: the schedules of the seeds found before vacuuming existed stay as they were. */
    final SimVacuum vacuum;

    final SplittableRandom rnd;
    final int n;
    final SimDbNode[] nodes;
    private final boolean traced;
    private final ArrayDeque<String> trace = new ArrayDeque<>();
    private final PriorityQueue<Ev> queue =
            new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long seq;
    long now;
    private final long[][] linkLast;
    private final long[][] linkEpoch;
    final long healAt;
    final long clientsStopAt;
    final long maxDelay;

    // leader oracle and the current recovery run
    int leader = -1;
    private long generations;
    private DbRecoveryRun run;
    private boolean recoveryScheduled;
    private final Map<Long, TreeMap<Integer, RecoveryReply.Collected>> collected = new HashMap<>();
    private final Set<Long> checkedThaw = new HashSet<>();
    private List<Integer> lastCompletedMembers = List.of();
    private long lastCompletedGeneration;

    // clients
    private long nextId = 1;
    private final Map<Long, Call> calls = new HashMap<>();
    private final Map<Long, Long> outstanding = new TreeMap<>(); // op id -> issued at
    private final Map<Long, Integer> opNode = new HashMap<>();
    private Commit gLock; // smbd serializes persistent transactions with g_lock
    private final Map<Long, Commit> commits = new HashMap<>();
    final List<Acked> acked = new ArrayList<>();
    private final Map<Long, Long> commitSeq = new HashMap<>();
    private final Map<Long, List<Acked>> inPush = new HashMap<>();

    // figures
    long recoveries;
    long aborted;
    long clientOps;
    long volatileWrites;
    int maxHops;
    long maxRecoveryMs;
    long finishedAt;
    long commitsLostWithAllHolders;
    long ackedTotal;

    DbSimulation(long seed, boolean traced) {
        this(seed, traced, false);
    }

    /** Runs one schedule; on a violation runs it again traced, which throws with the trace. */
    static DbSimulation runChecked(long seed, boolean vacuum) {
        DbSimulation sim = new DbSimulation(seed, false, vacuum);
        try {
            sim.run();
        } catch (AssertionError e) {
            new DbSimulation(seed, true, vacuum).run();
            throw e;
        }
        return sim;
    }

    /** With {@code vacuum}, clients also empty records and every node vacuums ({@link SimVacuum}). */
    DbSimulation(long seed, boolean traced, boolean vacuum) {
        this.vacuum = vacuum ? new SimVacuum(this) : null;
        this.seed = seed;
        this.traced = traced;
        this.rnd = new SplittableRandom(seed);
        this.n = 2 + rnd.nextInt(4);
        this.nodes = new SimDbNode[n];
        for (int i = 0; i < n; i++) {
            nodes[i] = new SimDbNode(i);
        }
        this.linkLast = new long[n][n];
        this.linkEpoch = new long[n][n];
        this.maxDelay = 1 + rnd.nextInt(30);
        this.healAt = 1_000 + rnd.nextLong(3_000);
        this.clientsStopAt = healAt + 500;
    }

    private static RecordKey[] keys(String prefix, int count) {
        RecordKey[] k = new RecordKey[count];
        for (int i = 0; i < count; i++) {
            k[i] = RecordKey.of(prefix + i);
        }
        return k;
    }

    // ------------------------------------------------------------------ running

    void run() {
        for (SimDbNode nd : nodes) {
            boot(nd);
        }
        leader = 0;
        wantRecovery(); // like CTDB, nodes start in recovery and the leader's first act is one
        planFaults();
        at(healAt, this::heal);
        at(0, this::tick);
        while (!queue.isEmpty()) {
            Ev ev = queue.poll();
            now = ev.at;
            ev.action.run();
            checkEveryStep();
            if (now > clientsStopAt && quiescent()) {
                finishedAt = now;
                return;
            }
            if (now > healAt + LIVENESS_MS) {
                fail("not quiescent " + LIVENESS_MS + " ms after the faults stopped: leader " + leader + ", run "
                        + (run == null ? "none" : run.phase() + " gen " + run.generation()) + ", outstanding ops "
                        + describeOutstanding() + ", last recovery " + lastCompletedMembers);
            }
        }
        fail("ran out of events");
    }

    private boolean quiescent() {
        if (!outstanding.isEmpty() || run != null || recoveryScheduled) {
            return false;
        }
        if (lastCompletedMembers.size() != n) {
            return false;
        }
        for (SimDbNode nd : nodes) {
            if (!nd.alive || !nd.member.thawed() || nd.member.servedGeneration() != lastCompletedGeneration) {
                return false;
            }
        }
        return true;
    }

    private String describeOutstanding() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Long, Long> e : outstanding.entrySet()) {
            Call c = calls.get(e.getKey());
            SimDbNode nd = nodes[opNode.get(e.getKey())];
            b.append("\n  op ")
                    .append(e.getKey())
                    .append(" on n")
                    .append(nd.pnn)
                    .append(" since ")
                    .append(e.getValue())
                    .append(c != null ? " call " + c.key() + " local " + nd.vol.get(c.key()) : " commit/attach")
                    .append(" commit ")
                    .append(commits.get(e.getKey()) != null)
                    .append(", node waiting calls ")
                    .append(nd.migration.waitingCalls())
                    .append(", gate ")
                    .append(nd.member.waiting())
                    .append(", chain waiters ")
                    .append(nd.chainWaiters);
        }
        return b.toString();
    }

    void fail(String why) {
        throw new AssertionError("seed " + seed + " (n=" + n + ", t=" + now + "): " + why
                + (traced ? "\nlast " + trace.size() + " steps:\n" + String.join("\n", trace) : ""));
    }

    private void log(int node, String what) {
        if (!traced) {
            return;
        }
        if (trace.size() == 100_000) {
            trace.poll();
        }
        trace.add(String.format("%7d %s %s", now, node < 0 ? "--" : "n" + node, what));
    }

    void at(long time, Runnable r) {
        queue.add(new Ev(Math.max(time, now), seq++, r));
    }

    // ------------------------------------------------------------------ network

    boolean connected(int a, int b) {
        return nodes[a].alive && nodes[b].alive && nodes[a].group == nodes[b].group;
    }

    /** Delivers {@code r} at {@code to} later, in order per link, unless the link breaks or a node dies first. */
    void net(int from, int to, Runnable r) {
        if (!connected(from, to)) {
            return;
        }
        int incFrom = nodes[from].incarnation;
        int incTo = nodes[to].incarnation;
        long epoch = linkEpoch[from][to];
        long t = from == to ? now : Math.max(now + 1 + rnd.nextLong(maxDelay), linkLast[from][to]);
        linkLast[from][to] = t;
        at(t, () -> {
            if (nodes[from].incarnation == incFrom
                    && nodes[to].incarnation == incTo
                    && linkEpoch[from][to] == epoch
                    && connected(from, to)) {
                r.run();
            }
        });
    }

    private void breakLinks(int node) {
        for (int i = 0; i < n; i++) {
            linkEpoch[node][i]++;
            linkEpoch[i][node]++;
        }
    }

    // ------------------------------------------------------------------ faults

    private void planFaults() {
        int faults = rnd.nextInt(7);
        for (int i = 0; i < faults; i++) {
            long t = 100 + rnd.nextLong(Math.max(1, healAt - 100));
            int kind = rnd.nextInt(3);
            if (kind == 0) {
                at(t, () -> crash(nodes[rnd.nextInt(n)]));
            } else if (kind == 1) {
                at(t, this::partition);
            } else {
                at(t, () -> isolate(rnd.nextInt(n)));
            }
        }
    }

    private void crash(SimDbNode nd) {
        if (!nd.alive) {
            return;
        }
        log(nd.pnn, "CRASH");
        nd.alive = false;
        nd.incarnation++;
        breakLinks(nd.pnn);
        if (gLock != null && gLock.origin == nd) {
            gLock = null; // the holder's process died: g_lock frees
        }
        outstanding.entrySet().removeIf(e -> opNode.get(e.getKey()) == nd.pnn);
        topologyChanged();
        long back = now + 100 + rnd.nextLong(1_500);
        if (back < healAt) {
            at(back, () -> restart(nd));
        }
    }

    private void restart(SimDbNode nd) {
        if (nd.alive) {
            return;
        }
        log(nd.pnn, "RESTART (volatile database lost, persistent kept)");
        nd.alive = true;
        nd.incarnation++;
        boot(nd);
        topologyChanged();
    }

    private void boot(SimDbNode nd) {
        nd.boot(HOP_LIMIT);
        nd.lastLeaderContact = now;
        int inc = nd.incarnation;
        for (int c = 0; c < 2; c++) {
            at(now + rnd.nextLong(50), () -> clientLoop(nd, inc));
        }
    }

    private void partition() {
        int[] g = new int[n];
        for (int i = 0; i < n; i++) {
            g[i] = rnd.nextInt(2);
        }
        applyGroups(g, "PARTITION " + Arrays.toString(g));
        long end = now + 200 + rnd.nextLong(1_500);
        if (end < healAt) {
            at(end, () -> applyGroups(new int[n], "PARTITION healed"));
        }
    }

    private void isolate(int node) {
        int[] g = new int[n];
        g[node] = 1;
        applyGroups(g, "ISOLATE n" + node);
        long end = now + 50 + rnd.nextLong(800);
        if (end < healAt) {
            at(end, () -> applyGroups(new int[n], "ISOLATION healed"));
        }
    }

    private void applyGroups(int[] g, String what) {
        log(-1, what);
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (nodes[a].group != nodes[b].group && g[a] == g[b]
                        || nodes[a].group == nodes[b].group && g[a] != g[b]) {
                    linkEpoch[a][b]++;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            nodes[i].group = g[i];
        }
        topologyChanged();
    }

    private void heal() {
        log(-1, "HEAL");
        applyGroups(new int[n], "all links up");
        for (SimDbNode nd : nodes) {
            if (!nd.alive) {
                restart(nd);
            }
        }
    }

    // ------------------------------------------------------------------ leader oracle and recovery

    private void tick() {
        if (leader >= 0 && !nodes[leader].alive) {
            leader = -1;
            at(now + ELECT_MS, this::elect);
        }
        for (SimDbNode nd : nodes) {
            if (!nd.alive) {
                continue;
            }
            if (leader >= 0 && connected(nd.pnn, leader)) {
                nd.lastLeaderContact = now;
            } else if (now - nd.lastLeaderContact >= LEADER_TIMEOUT_MS) {
                memberStep(nd, new MemberInput.LeaderLost());
            }
        }
        if (run != null) {
            applyRun(run.tick(now));
        }
        if (vacuum != null) {
            vacuum.pass(VKEYS);
        }
        if (now < healAt + LIVENESS_MS + 1_000) {
            at(now + 100, this::tick);
        }
    }

    private void elect() {
        if (leader >= 0) {
            return;
        }
        for (SimDbNode nd : nodes) {
            if (nd.alive) {
                leader = nd.pnn;
                log(leader, "LEADER");
                run = null;
                wantRecovery();
                return;
            }
        }
        at(now + ELECT_MS, this::elect);
    }

    private List<Integer> members() {
        List<Integer> m = new ArrayList<>();
        for (SimDbNode nd : nodes) {
            if (leader >= 0 && connected(nd.pnn, leader)) {
                m.add(nd.pnn);
            }
        }
        return m;
    }

    private void topologyChanged() {
        if (leader >= 0 && !nodes[leader].alive) {
            leader = -1;
            run = null;
            at(now + ELECT_MS, this::elect);
            return;
        }
        if (leader < 0) {
            return;
        }
        List<Integer> m = members();
        if (run != null) {
            for (int old : run.members()) {
                if (!m.contains(old)) {
                    applyRun(run.onMemberLost(old, now));
                    break; // the run is over
                }
            }
        }
        if (run != null && !run.members().equals(m) || run == null && !lastCompletedMembers.equals(m)) {
            run = null;
            wantRecovery();
        }
    }

    private void wantRecovery() {
        if (recoveryScheduled) {
            return;
        }
        recoveryScheduled = true;
        at(now + 10 + rnd.nextLong(40), () -> {
            recoveryScheduled = false;
            startRecovery();
        });
    }

    private void startRecovery() {
        if (leader < 0 || !nodes[leader].alive) {
            return;
        }
        List<Integer> m = members();
        generations++;
        long gen = generations * 1024 + leader;
        run = new DbRecoveryRun(leader, new VnnMap(gen, m), m, STEP_TIMEOUT_MS);
        log(leader, "RECOVERY start gen " + gen + " members " + m);
        applyRun(run.start(now));
    }

    private void applyRun(List<RecoveryEffect> effects) {
        for (RecoveryEffect e : effects) {
            if (e instanceof RecoveryEffect.SendToMember s) {
                checkAtPhase(s.request());
                int to = s.to();
                net(leader, to, () -> memberStep(nodes[to], new MemberInput.Request(s.request())));
            } else if (e instanceof RecoveryEffect.Completed c) {
                log(
                        leader,
                        "RECOVERY complete gen " + c.summary().generation() + " in "
                                + c.summary().tookMs() + " ms, pushed "
                                + c.summary().pushed().get(0).records().size() + " volatile records");
                recoveries++;
                maxRecoveryMs = Math.max(maxRecoveryMs, c.summary().tookMs());
                if (c.summary().conflicts() != 0) {
                    fail("recovery " + c.summary().generation() + " met "
                            + c.summary().conflicts() + " equal-rsn copies with different data");
                }
                lastCompletedMembers = c.summary().members();
                lastCompletedGeneration = c.summary().generation();
                run = null;
                if (!members().equals(lastCompletedMembers)) {
                    wantRecovery();
                }
            } else if (e instanceof RecoveryEffect.Aborted a) {
                log(leader, "RECOVERY aborted gen " + a.generation() + ": " + a.reason());
                aborted++;
                run = null;
                wantRecovery();
            } else {
                throw new IllegalStateException("unknown recovery effect " + e);
            }
        }
    }

    private void leaderReply(int to, RecoveryReply reply) {
        if (to != leader || run == null) {
            return;
        }
        if (reply instanceof RecoveryReply.Collected c && c.generation() == run.generation()) {
            collected.computeIfAbsent(c.generation(), g -> new TreeMap<>()).put(c.from(), c);
        }
        applyRun(run.onReply(reply, now));
    }

    // ------------------------------------------------------------------ member shell

    private void memberStep(SimDbNode nd, MemberInput in) {
        if (!nd.alive) {
            return;
        }
        for (MemberEffect e : nd.member.step(in)) {
            if (e instanceof MemberEffect.FreezeDatabases) {
                nd.freezing = true;
                applyMig(nd, nd.migration.step(new MigrationInput.Freeze(nd.member.seenGeneration())));
                checkFreeze(nd);
            } else if (e instanceof MemberEffect.CollectDatabases c) {
                List<DatabaseContent> dbs = List.of(
                        DatabaseContent.of(VOL, DatabaseKind.VOLATILE, nd.vol),
                        DatabaseContent.of(PERS, DatabaseKind.PERSISTENT, nd.pers));
                later(nd, 1, () -> memberStep(nd, new MemberInput.LocalCollected(c.generation(), dbs)));
            } else if (e instanceof MemberEffect.ReplaceDatabases r) {
                for (DatabaseContent d : r.databases()) {
                    if (d.db().equals(VOL)) {
                        nd.vol = new TreeMap<>(d.records());
                    } else {
                        nd.pers = new TreeMap<>(d.records());
                        nd.persistentGeneration = r.generation();
                        for (Acked a : inPush.getOrDefault(r.generation(), List.of())) {
                            a.holders().add(nd.pnn); // checkCommits found it in this push
                        }
                    }
                }
                later(nd, 1, () -> memberStep(nd, new MemberInput.PushApplied(r.generation())));
            } else if (e instanceof MemberEffect.ThawDatabases t) {
                nd.locksHeld = false;
                log(
                        nd.pnn,
                        "THAW gen " + t.map().generation() + " map " + t.map().nodes());
                applyMig(nd, nd.migration.step(new MigrationInput.GenerationChanged(t.map())));
            } else if (e instanceof MemberEffect.Reply r) {
                int to = r.to();
                net(nd.pnn, to, () -> leaderReply(to, r.reply()));
            } else if (e instanceof MemberEffect.Proceed p) {
                if (p.kind() == MemberInput.Gated.ATTACH) {
                    finishOp(nd, p.requestId());
                } else {
                    startCommit(nd, p.requestId());
                }
            } else {
                throw new IllegalStateException("unknown member effect " + e);
            }
        }
    }

    /** A fresh id for a call or operation (the vacuum's internal migrations use them too). */
    long nextId() {
        return nextId++;
    }

    private void later(SimDbNode nd, long delay, Runnable r) {
        int inc = nd.incarnation;
        at(now + delay, () -> {
            if (nd.alive && nd.incarnation == inc) {
                r.run();
            }
        });
    }

    /** Freezing takes every chain lock; it completes when no client holds one any more. */
    private void checkFreeze(SimDbNode nd) {
        if (nd.freezing && nd.chainHeld.isEmpty()) {
            nd.freezing = false;
            nd.locksHeld = true;
            later(nd, 1, () -> memberStep(nd, new MemberInput.FreezeDone()));
        }
    }

    // ------------------------------------------------------------------ migration shell

    void deliverRecord(SimDbNode nd, RecordInput in) {
        if (!nd.alive) {
            return;
        }
        if (!nd.locksHeld && nd.chainHeld.containsKey(in.key())) {
            applyMig(nd, nd.migration.step(new MigrationInput.RecordBusy(in)));
        } else {
            applyMig(nd, nd.migration.step(new MigrationInput.Locked(in, Optional.ofNullable(nd.vol.get(in.key())))));
        }
    }

    private void applyMig(SimDbNode nd, List<MigrationEffect> effects) {
        for (MigrationEffect e : effects) {
            if (e instanceof MigrationEffect.SendToNode s) {
                PeerMessage m = s.message();
                if (m instanceof PeerMessage.ReqCall c) {
                    maxHops = Math.max(maxHops, c.hops());
                    if (c.hops() > HOP_LIMIT + 1) {
                        fail("call forwarded beyond the hop limit: " + c);
                    }
                }
                SimDbNode to = nodes[s.to()];
                log(nd.pnn, "-> n" + s.to() + " " + m);
                net(nd.pnn, s.to(), () -> {
                    if (m instanceof RecordInput ri) {
                        deliverRecord(to, ri);
                    } else if (m instanceof PeerMessage.ReplyError err) {
                        applyMig(to, to.migration.step(err));
                    } else {
                        throw new IllegalStateException("unknown peer message " + m);
                    }
                });
            } else if (e instanceof MigrationEffect.StoreRecord st) {
                nd.vol.put(st.key(), new LocalRecord(st.header(), st.data()));
            } else if (e instanceof MigrationEffect.ReplyToClient r) {
                log(nd.pnn, "call " + r.callId() + " answered after " + r.hops() + " hops");
                clientHasRecord(nd, r.callId());
            } else if (e instanceof MigrationEffect.WaitForChain w) {
                nd.chainWaiters
                        .computeIfAbsent(w.input().key(), k -> new ArrayList<>())
                        .add(w.input());
            } else if (e instanceof MigrationEffect.Resubmit r) {
                later(nd, 0, () -> deliverRecord(nd, r.input()));
            } else if (e instanceof MigrationEffect.RequestRecovery r) {
                log(nd.pnn, "requests a recovery: " + r.reason());
                if (leader >= 0 && connected(nd.pnn, leader)) {
                    wantRecovery();
                }
            } else {
                throw new IllegalStateException("unknown migration effect " + e);
            }
        }
    }

    // ------------------------------------------------------------------ clients

    private void clientLoop(SimDbNode nd, int inc) {
        if (!nd.alive || nd.incarnation != inc || now >= clientsStopAt) {
            return;
        }
        long id = nextId++;
        outstanding.put(id, now);
        opNode.put(id, nd.pnn);
        clientOps++;
        int r = rnd.nextInt(20);
        if (r < 15) {
            RecordKey key = VKEYS[rnd.nextInt(VKEYS.length)];
            calls.put(id, new Call(id, nd.pnn, inc, key, rnd.nextBoolean()));
            deliverRecord(nd, new RecordInput.ClientCall(id, VOL, key));
        } else if (r < 18) {
            memberStep(nd, new MemberInput.ClientWaits(id, MemberInput.Gated.TRANS3_COMMIT));
        } else {
            memberStep(nd, new MemberInput.ClientWaits(id, MemberInput.Gated.ATTACH));
        }
    }

    private void finishOp(SimDbNode nd, long id) {
        if (outstanding.remove(id) == null) {
            return;
        }
        calls.remove(id);
        int inc = nd.incarnation;
        at(now + rnd.nextLong(30), () -> clientLoop(nd, inc));
    }

    /** smbd's fetch-lock loop: take the chain lock, and if the record left meanwhile ask again. */
    private void clientHasRecord(SimDbNode nd, long callId) {
        Call c = calls.get(callId);
        if (c == null || c.inc() != nd.incarnation || !outstanding.containsKey(callId)) {
            return;
        }
        if (nd.locksHeld || nd.freezing || nd.chainHeld.containsKey(c.key())) {
            later(nd, 1 + rnd.nextLong(5), () -> clientHasRecord(nd, callId));
            return;
        }
        if (!claims(nd, c.key())) {
            deliverRecord(nd, new RecordInput.ClientCall(callId, VOL, c.key()));
            return;
        }
        nd.chainHeld.put(c.key(), callId);
        if (c.write()) {
            LocalRecord old = nd.vol.get(c.key());
            LtdbHeader h = old != null ? old.header() : new LtdbHeader(0, nd.pnn, 0);
            // with vacuuming, a third of the writes delete (store the record empty, as smbd does)
            byte[] data = vacuum != null && rnd.nextInt(3) == 0
                    ? new byte[0]
                    : ("w" + callId).getBytes(StandardCharsets.US_ASCII);
            nd.vol.put(c.key(), new LocalRecord(h, data));
            volatileWrites++;
            log(nd.pnn, "client writes " + c.key() + " = w" + callId + " at rsn " + h.rsn());
        }
        later(nd, 1 + rnd.nextLong(20), () -> {
            nd.chainHeld.remove(c.key());
            for (RecordInput w : nd.takeWaiters(c.key())) {
                deliverRecord(nd, w);
            }
            checkFreeze(nd);
            finishOp(nd, callId);
        });
    }

    /** This node believes it is the record's data master (explicitly, or as lmaster of an absent record). */
    private static boolean claims(SimDbNode nd, RecordKey key) {
        if (nd.migration.map().isEmpty()) {
            return false;
        }
        LocalRecord r = nd.vol.get(key);
        return r != null
                ? r.header().dmaster() == nd.pnn
                : nd.migration.map().get().lmaster(key) == nd.pnn;
    }

    // ------------------------------------------------------------------ persistent commits (TRANS3_COMMIT)

    private void startCommit(SimDbNode nd, long id) {
        if (!outstanding.containsKey(id)) {
            return;
        }
        if (gLock != null || !nd.member.thawed()) {
            later(
                    nd,
                    5 + rnd.nextLong(20),
                    () -> memberStep(nd, new MemberInput.ClientWaits(id, MemberInput.Gated.TRANS3_COMMIT)));
            return;
        }
        long s = RecordMerge.seqnum(nd.pers) + 1;
        Map<RecordKey, byte[]> writes = new TreeMap<>();
        writes.put(PKEYS[rnd.nextInt(PKEYS.length)], ("c" + id).getBytes(StandardCharsets.US_ASCII));
        writes.put(RecordMerge.SEQNUM_KEY, RecordMerge.seqnumData(s));
        VnnMap map = nd.migration.map().orElseThrow();
        Commit c = new Commit(id, nd, nd.member.servedGeneration(), s, writes, map.nodes());
        gLock = c;
        commits.put(id, c);
        commitSeq.put(id, s);
        log(nd.pnn, "commit c" + id + " seqnum " + s + " to " + map.nodes());
        for (int m : map.nodes()) {
            SimDbNode to = nodes[m];
            net(nd.pnn, m, () -> {
                boolean ok = applyUpdate(to, c);
                net(m, nd.pnn, () -> commitAnswer(c, m, ok));
            });
        }
        later(nd, COMMIT_TIMEOUT_MS, () -> endCommit(c, false));
    }

    /** A member applies a commit only while serving the commit's generation, refusing a seqnum not newer. */
    private boolean applyUpdate(SimDbNode nd, Commit c) {
        if (!nd.member.thawed()
                || nd.member.servedGeneration() != c.generation
                || nd.freezing
                || nd.locksHeld
                || RecordMerge.seqnum(nd.pers) >= c.seqnum) {
            return false;
        }
        for (Map.Entry<RecordKey, byte[]> w : c.writes.entrySet()) {
            nd.pers.put(w.getKey(), new LocalRecord(new LtdbHeader(c.seqnum, c.origin.pnn, 0), w.getValue()));
        }
        return true;
    }

    private void commitAnswer(Commit c, int from, boolean ok) {
        if (c.done) {
            return;
        }
        if (!ok) {
            endCommit(c, false);
            return;
        }
        c.applied.add(from);
        c.waiting.remove(from);
        if (c.waiting.isEmpty()) {
            endCommit(c, true);
        }
    }

    private void endCommit(Commit c, boolean success) {
        if (c.done) {
            return;
        }
        c.done = true;
        if (gLock == c) {
            gLock = null;
        }
        if (success) {
            Set<RecordKey> keys = new TreeSet<>(c.writes.keySet());
            keys.remove(RecordMerge.SEQNUM_KEY);
            acked.add(new Acked(c.id, c.seqnum, keys, new TreeSet<>(c.applied)));
            ackedTotal++;
            log(c.origin.pnn, "commit c" + c.id + " acknowledged, applied by " + c.applied);
        }
        if (c.origin.alive && c.origin.incarnation == c.inc) {
            finishOp(c.origin, c.id);
        }
    }

    // ------------------------------------------------------------------ invariants

    /** At most one data master per record among the nodes serving each generation. */
    private void checkEveryStep() {
        for (RecordKey key : VKEYS) {
            Map<Long, Integer> claimant = null;
            for (SimDbNode nd : nodes) {
                if (!nd.alive || nd.migration.frozen() || !claims(nd, key)) {
                    continue;
                }
                if (claimant == null) {
                    claimant = new HashMap<>();
                }
                long gen = nd.migration.map().get().generation();
                Integer other = claimant.putIfAbsent(gen, nd.pnn);
                if (other != null) {
                    fail("record " + key + ": nodes " + other + " and " + nd.pnn + " both serve it as data master in"
                            + " generation " + gen + " (" + nodes[other].vol.get(key) + " / " + nd.vol.get(key) + ")");
                }
            }
        }
    }

    private void checkAtPhase(RecoveryRequest req) {
        if (req instanceof RecoveryRequest.Push p) {
            checkMerge(p);
            checkCommits(p);
        } else if (req instanceof RecoveryRequest.Thaw t && checkedThaw.add(t.generation())) {
            checkPushed(t);
        }
    }

    /** The copy of the one trusted node that served a record as dmaster survives; equal rsn means equal data. */
    private void checkMerge(RecoveryRequest.Push p) {
        TreeMap<Integer, RecoveryReply.Collected> got = collected.get(p.generation());
        long newest = got.values().stream()
                .mapToLong(RecoveryReply.Collected::contentGeneration)
                .max()
                .orElse(0);
        DatabaseContent pushedVol = p.databases().stream()
                .filter(d -> d.db().equals(VOL))
                .findFirst()
                .orElseThrow();
        for (RecordKey key : VKEYS) {
            Integer owner = null;
            LocalRecord own = null;
            for (RecoveryReply.Collected c : got.values()) {
                if (c.contentGeneration() != newest) {
                    continue;
                }
                DatabaseContent vol = c.databases().stream()
                        .filter(d -> d.db().equals(VOL))
                        .findFirst()
                        .orElseThrow();
                LocalRecord r = vol.records().get(key);
                if (r != null && r.header().dmaster() == c.from()) {
                    if (owner != null) {
                        fail("record " + key + ": nodes " + owner + " and " + c.from() + " both hold it as dmaster");
                    }
                    owner = c.from();
                    own = r;
                }
            }
            if (own != null && !own.isEmpty()) {
                LocalRecord pushed = pushedVol.records().get(key);
                if (pushed == null || !Arrays.equals(pushed.data(), own.data())) {
                    fail("recovery " + p.generation() + " lost record " + key + " of its data master " + owner + ": "
                            + own + " became " + pushed);
                }
            }
        }
    }

    /**
     * Every acknowledged commit still held by a member is in the pushed persistent database. One whose
     * every holder is absent is lost (CTDB has no quorum either) and counted; a node holds a commit once
     * it applied it or a push that contained it.
     */
    private void checkCommits(RecoveryRequest.Push p) {
        List<Integer> members = run.members();
        DatabaseContent pers = p.databases().stream()
                .filter(d -> d.db().equals(PERS))
                .findFirst()
                .orElseThrow();
        List<Acked> contained = new ArrayList<>();
        inPush.put(p.generation(), contained);
        for (java.util.Iterator<Acked> it = acked.iterator(); it.hasNext(); ) {
            Acked a = it.next();
            if (a.holders().stream().noneMatch(members::contains)) {
                it.remove(); // none of the nodes holding it is here: no recovery can keep it
                commitsLostWithAllHolders++;
                continue;
            }
            if (pers.seqnum() < a.seqnum()) {
                fail("acknowledged commit c" + a.id() + " (seqnum " + a.seqnum() + ") lost: recovery " + p.generation()
                        + " pushed seqnum " + pers.seqnum());
            }
            for (RecordKey k : a.keys()) {
                LocalRecord r = pers.records().get(k);
                long writtenBy = r == null
                        ? -1
                        : commitSeq.getOrDefault(
                                Long.parseLong(new String(r.data(), StandardCharsets.US_ASCII).substring(1)), -1L);
                if (writtenBy < a.seqnum()) {
                    fail("acknowledged commit c" + a.id() + " lost key " + k + " in recovery " + p.generation());
                }
            }
            contained.add(a);
        }
    }

    /** Before the thaw every member holds exactly the pushed databases. */
    private void checkPushed(RecoveryRequest.Thaw t) {
        List<Integer> members = run.members();
        collected.remove(t.generation());
        DatabaseContent pushedPers = null;
        for (int m : members) {
            SimDbNode nd = nodes[m];
            for (Map.Entry<RecordKey, LocalRecord> e : nd.vol.entrySet()) {
                if (e.getValue().header().dmaster() != t.leader()) {
                    fail("after the push of " + t.generation() + " node " + m + " holds " + e.getKey()
                            + " with dmaster " + e.getValue().header().dmaster() + ", not the leader " + t.leader());
                }
            }
            if (!nd.vol.keySet().equals(nodes[t.leader()].vol.keySet())) {
                fail("after the push of " + t.generation() + " nodes disagree on the volatile keys");
            }
            if (pushedPers == null) {
                pushedPers = DatabaseContent.of(PERS, DatabaseKind.PERSISTENT, nd.pers);
            } else if (!pushedPers.records().equals(nd.pers)) {
                fail("after the push of " + t.generation() + " node " + m + " has other persistent contents");
            }
        }
    }
}

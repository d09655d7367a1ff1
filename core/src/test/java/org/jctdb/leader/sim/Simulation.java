package org.jctdb.leader.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.jctdb.leader.Effect;
import org.jctdb.leader.LeaderConfig;
import org.jctdb.leader.LeaderCore;
import org.jctdb.leader.LeaderMessage;
import org.jctdb.leader.LeaderStatus;
import org.jctdb.leader.LockResult;
import org.jctdb.leader.RecoveryMode;
import org.jctdb.leader.Role;

/**
 * Runs the real {@link LeaderCore} of several nodes on virtual time, with one seed deciding every
 * delay, loss, crash, pause, partition and storage fault. Safety invariants are checked after every
 * step; after the faults stop, one leader must be elected within {@link #LIVENESS_BOUND_MS}.
 */
final class Simulation {
    static final long TICK_MS = 250;
    static final long RECHECK_MS = 5_000;
    static final long RECHECK_TIMEOUT_MS = 5_000;
    static final long ACQUIRE_DEADLINE_MS = 10_000;
    /** The lock helper releases the lock of a daemon that has not ticked for this long (leader timeout + 2 s). */
    static final long HELPER_STALL_MS = 7_000;

    static final long LIVENESS_BOUND_MS = 60_000;
    /** The mesh notices a silent link (no FIN, no RST) only by its keepalive: up to this long. */
    static final long KEEPALIVE_DETECT_MS = 25_000;
    /** A settled partition: the side with a majority has an acting leader within this. */
    static final long MAJORITY_BOUND_MS = 30_000;
    /** How long a settled partition lasts before the final heal. */
    static final long SETTLE_MS = 40_000;
    /** ... and serves every public address from that side within this (leader, then D + L + F, then a run). */
    static final long MAJORITY_SERVES_BOUND_MS = 36_000;

    private record Ev(long at, long seq, Runnable action) {}

    final long seed;
    final SplittableRandom rnd;
    final int n;
    final boolean lockMode;
    final SimNode[] nodes;
    final LockModel lock = new LockModel();
    final Trace trace;
    private final PriorityQueue<Ev> queue =
            new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    final boolean[][] blocked; // blocked[a][b]: messages from a to b are dropped
    private final long[][] linkEpoch;
    private final boolean[][] linkState;
    private final boolean[][] silentCheckPending;
    private final long[][] ipDeliveredAt;
    private final Map<Long, Integer> generationLeader = new HashMap<>();
    private long seq;
    long now;
    boolean faultsActive = true;
    double lossRate;
    long maxDelay = 20;
    final long healAt;
    long convergedAt = -1;
    long maxStaleMs;
    /** Settled partition after the faults (null: none): node -> group; the final heal comes SETTLE_MS later. */
    int[] settled;

    long settledAt = -1;
    long majorityLedAt = -1;
    long minorityActedUntil = -1; // latest time a node without quorum acted as leader during the settled partition
    final long finalHealAt;
    final SplittableRandom ipRnd;
    private final SplittableRandom pauseRnd; // its own stream, so the leader's schedule of a seed stays what it was
    int stalledLeaders; // leaders resumed after a pause past the leader timeout (each checked never to act in it)
    final IpSim ip;
    long staleLeaderAt = -1; // last time a node led on a replaced lock file
    long ipServedAt = -1; // settled partition: every address on one node of the side with quorum

    Simulation(long seed, boolean traced) {
        this.seed = seed;
        this.rnd = new SplittableRandom(seed);
        this.trace = new Trace(traced);
        this.n = 2 + rnd.nextInt(4);
        this.lockMode = rnd.nextInt(8) != 0;
        this.nodes = new SimNode[n];
        this.blocked = new boolean[n][n];
        this.linkEpoch = new long[n][n];
        this.linkState = new boolean[n][n];
        this.silentCheckPending = new boolean[n][n];
        this.ipDeliveredAt = new long[n][n];
        for (int i = 0; i < n; i++) {
            nodes[i] = new SimNode(i, n);
        }
        if (n > 2 && rnd.nextInt(4) == 0) {
            nodes[rnd.nextInt(n)].capable = false; // at least one node can still lead
        }
        this.healAt = 10_000 + rnd.nextLong(25_000);
        this.finalHealAt = rnd.nextInt(3) == 0 ? healAt + SETTLE_MS : healAt;
        // IP failover draws from its own stream: the leader's schedule of a seed stays what it was.
        this.ipRnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.ip = new IpSim(this);
        this.pauseRnd = new SplittableRandom(seed ^ 0x57A11L);
    }

    /** Runs the schedule; throws AssertionError naming the seed when an invariant breaks. */
    void run() {
        for (SimNode nd : nodes) {
            boot(nd);
        }
        new FaultInjector(this).plan();
        if (finalHealAt > healAt) {
            at(healAt, this::settle);
        }
        at(finalHealAt, this::heal);
        while (!queue.isEmpty()) {
            Ev ev = queue.poll();
            ip.accountDark(ev.at, finalHealAt);
            now = ev.at;
            ev.action.run();
            Invariants.check(this);
            if (settled != null && now < finalHealAt) {
                Invariants.checkSettled(this);
            }
            if (now >= finalHealAt) {
                // Converged = one leader, everyone following it in NORMAL; it must hold for 3 s.
                if (!Invariants.converged(this)) {
                    convergedAt = -1;
                } else if (convergedAt < 0) {
                    convergedAt = now;
                } else if (now >= convergedAt + 3_000) {
                    return;
                }
                if (now > finalHealAt + LIVENESS_BOUND_MS) {
                    fail("no single stable leader " + LIVENESS_BOUND_MS + " ms after faults stopped: " + statuses());
                }
            }
        }
        fail("schedule ran out of events");
    }

    void fail(String why) {
        throw new AssertionError(
                "seed " + seed + " (n=" + n + ", lock=" + lockMode + ", t=" + now + "): " + why + trace.dump());
    }

    List<LeaderStatus> statuses() {
        List<LeaderStatus> out = new ArrayList<>();
        for (SimNode nd : nodes) {
            if (nd.alive) {
                out.add(nd.core.status());
            }
        }
        return out;
    }

    private final Map<String, List<Integer>> generationMap = new HashMap<>();

    Map<String, List<Integer>> generationMap() {
        return generationMap;
    }

    Map<Long, Integer> generationLeader() {
        return generationLeader;
    }

    // ------------------------------------------------------------------ scheduling

    void at(long time, Runnable r) {
        queue.add(new Ev(Math.max(time, now), seq++, r));
    }

    void after(long delay, Runnable r) {
        at(now + delay, r);
    }

    /** Delivers an input to the core of this incarnation, or queues it while the node is paused. */
    /** An input to the daemon that is not for the leader core (IP failover), queued like the others while paused. */
    void inputAction(SimNode nd, int inc, Runnable r) {
        input(nd, inc, false, c -> {
            r.run();
            return List.of();
        });
    }

    void input(SimNode nd, int inc, boolean lockResult, Function<LeaderCore, List<Effect>> f) {
        if (!nd.alive || nd.incarnation != inc) {
            return;
        }
        if (nd.paused) {
            (lockResult ? nd.lockBacklog : nd.backlog).add(f);
            return;
        }
        execute(nd, f.apply(nd.core));
    }

    // ------------------------------------------------------------------ node lifecycle

    private void boot(SimNode nd) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(i);
        }
        LeaderConfig cfg =
                LeaderConfig.defaults(nd.pnn, ids, nd.capable, lockMode).withRecoveryTimeouts(20_000, 10_000);
        nd.core = new LeaderCore(cfg, new SplittableRandom(rnd.nextLong()), now);
        nd.resetMemory();
        nd.lastTickAt = now;
        nd.stalledGeneration = 0; // a new incarnation may pick the old numbers again (its boot differs)
        int inc = nd.incarnation;
        execute(nd, nd.core.start(now));
        ip.boot(nd);
        after(rnd.nextLong(TICK_MS), () -> tickLoop(nd, inc));
        topologyChanged();
    }

    private void tickLoop(SimNode nd, int inc) {
        if (!nd.alive || nd.incarnation != inc) {
            return;
        }
        if (!nd.paused) { // a stopped daemon neither ticks nor sends heartbeats
            long next = nd.core.nextTickAt();
            if (now >= next) {
                execute(nd, nd.core.tick(now));
                nd.lastTickAt = now; // as LeaderDriver: a heartbeat to the lock helper with every tick it runs
            } else if (nd.core.status().role() != Role.LEADER) {
                // LeaderDriver leaves out the ticks before nextTickAt: each must be one that does nothing.
                // (Not tried on a leader: the tick would move the time its stall rule measures from.)
                LeaderStatus before = nd.core.status();
                List<Effect> fx = nd.core.tick(now);
                if (!fx.isEmpty() || !before.equals(nd.core.status()) || nd.core.nextTickAt() != next) {
                    fail("node " + nd.pnn + " ticked at " + now + " before its next tick time " + next
                            + " and that tick was not a no-op: " + fx);
                }
            }
        }
        after(TICK_MS, () -> tickLoop(nd, inc));
    }

    void crash(SimNode nd) {
        if (!nd.alive) {
            return;
        }
        trace.add(now, nd.pnn, "CRASH");
        nd.alive = false;
        nd.paused = false;
        nd.backlog.clear();
        nd.lockBacklog.clear();
        killHelper(nd); // the helper notices its parent died and exits
        nd.hungAttempt = false;
        nd.core = null;
        ip.crash(nd);
        nd.incarnation++;
        java.util.Arrays.fill(nd.view, -1);
        topologyChanged();
    }

    void restart(SimNode nd) {
        if (nd.alive) {
            return;
        }
        trace.add(now, nd.pnn, "RESTART");
        nd.alive = true;
        nd.flags = 0;
        boot(nd);
    }

    void pause(SimNode nd) {
        if (nd.alive && !nd.paused) {
            nd.paused = true;
            nd.helperPaused = pauseRnd.nextBoolean();
            nd.pausedAt = now;
            nd.pausedLeading = nd.core.status().leadingGeneration();
            trace.add(now, nd.pnn, nd.helperPaused ? "PAUSE (helper too)" : "PAUSE (daemon only)");
        }
    }

    void resume(SimNode nd) {
        if (!nd.alive || !nd.paused) {
            return;
        }
        trace.add(now, nd.pnn, "RESUME");
        nd.paused = false;
        if (nd.pausedLeading != org.jctdb.leader.Generation.NONE
                && now - nd.pausedAt
                        > LeaderConfig.defaults(nd.pnn, List.of(nd.pnn), true, true)
                                .leaderTimeoutMs()) {
            nd.stalledGeneration = nd.pausedLeading; // its next input must end that term before it acts
            stalledLeaders++;
        }
        while (!nd.lockBacklog.isEmpty() && nd.alive && !nd.paused) {
            execute(nd, nd.lockBacklog.poll().apply(nd.core));
        }
        while (!nd.backlog.isEmpty() && nd.alive && !nd.paused) {
            execute(nd, nd.backlog.poll().apply(nd.core));
        }
    }

    void setFlags(SimNode nd, int flags) {
        if (!nd.alive) {
            return;
        }
        nd.flags = flags;
        trace.add(now, nd.pnn, "FLAGS " + flags);
        int inc = nd.incarnation;
        input(nd, inc, false, c -> c.onOwnFlagsChanged(flags, now));
        for (SimNode p : nodes) {
            if (p != nd && p.alive) {
                int pinc = p.incarnation;
                // flag updates from one node arrive in order (one connection, one sender)
                long when = Math.max(now + 1 + rnd.nextLong(200), p.flagsDeliveredAt[nd.pnn] + 1);
                p.flagsDeliveredAt[nd.pnn] = when;
                int sinc = nd.incarnation; // sent over the sender's connection: gone if the sender restarts first
                at(when, () -> {
                    if (nd.incarnation == sinc) {
                        input(p, pinc, false, c -> c.onPeerFlagsChanged(nd.pnn, flags, now));
                    }
                });
            }
        }
    }

    void partition(int[] groups) {
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                blocked[a][b] = groups[a] != groups[b];
            }
        }
        trace.add(now, -1, "PARTITION " + java.util.Arrays.toString(groups));
        topologyChanged();
    }

    /** One direction of one link: messages from {@code a} to {@code b} are dropped (or flow again). */
    void block(int a, int b, boolean on) {
        if (blocked[a][b] != on) {
            blocked[a][b] = on;
            trace.add(now, -1, (on ? "BLOCK " : "UNBLOCK ") + a + "->" + b);
            topologyChanged();
        }
    }

    /**
     * Faults stop, but a partition stays for {@link #SETTLE_MS}: usually the leader of the moment
     * alone (or with a minority), else random groups. Checked by {@link Invariants#checkSettled}.
     */
    private void settle() {
        int[] groups = new int[n];
        int leaderNow = -1;
        for (SimNode nd : nodes) {
            if (isLeaderActing(nd)) {
                leaderNow = nd.pnn;
            }
        }
        if (leaderNow >= 0 && rnd.nextInt(4) != 0) {
            // The leader in the minority: it and fewer than half of the rest on side 1.
            groups[leaderNow] = 1;
            int more = rnd.nextInt(Math.max(1, (n - 1) / 2));
            for (int i = 0; i < more; i++) {
                groups[rnd.nextInt(n)] = 1;
            }
            groups[leaderNow] = 1;
        } else {
            for (int i = 0; i < n; i++) {
                groups[i] = rnd.nextInt(3);
            }
        }
        healFaults();
        trace.add(now, -1, "SETTLE " + java.util.Arrays.toString(groups) + " (leader " + leaderNow + ")");
        settled = groups;
        settledAt = now;
        partition(groups);
    }

    private void heal() {
        trace.add(now, -1, "HEAL");
        healFaults();
        settled = null;
        partition(new int[n]);
    }

    private void healFaults() {
        faultsActive = false;
        lossRate = 0;
        maxDelay = 20;
        lock.setHung(false);
        storageAnswered();
        for (SimNode nd : nodes) {
            restart(nd);
            resume(nd);
            if (nd.flags != 0) {
                setFlags(nd, 0);
            }
        }
    }

    // ------------------------------------------------------------------ network

    /** Messages from a reach b. */
    boolean linkUp(int a, int b) {
        return a != b && nodes[a].alive && nodes[b].alive && !blocked[a][b];
    }

    /** A connection between a and b can exist: both alive, both directions open (TCP needs both). */
    boolean connectable(int a, int b) {
        return linkUp(a, b) && linkUp(b, a);
    }

    /** Connection changes reach each daemon after a detection delay, coalesced. */
    private void topologyChanged() {
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (a == b) {
                    continue;
                }
                SimNode nd = nodes[a];
                int peer = b;
                if (linkUp(a, b) != linkState[a][b]) {
                    linkState[a][b] = !linkState[a][b];
                    linkEpoch[a][b]++; // a new connection: what was in flight on the old one is gone
                }
                int inc = nd.incarnation;
                after(rnd.nextLong(1_000), () -> notifyLink(nd, inc, peer));
            }
        }
    }

    /**
     * A message of a restarted peer's new connection arrives: the mesh registered that connection
     * (and closed the old one) before anything on it is read, so the node learns of the change
     * first. (Seed 1796591942504: the old connection's close, noticed only after the new one's
     * reports, made the leader treat the node as crashed and give its address to another.)
     */
    private void arrivingFrom(SimNode dst, int from) {
        if (dst.alive && nodes[from].alive && dst.view[from] != nodes[from].incarnation && connectable(dst.pnn, from)) {
            notifyLink(dst, dst.incarnation, from);
        }
    }

    /**
     * Tells a node's core about its connection to a peer; a restarted peer is a new connection. A
     * connection whose peer died closes at once; one that only went silent (a cut or blocked link)
     * is noticed by the mesh's keepalive, up to {@link #KEEPALIVE_DETECT_MS} later, and survives if
     * the link works again before that.
     */
    private void notifyLink(SimNode nd, int inc, int peer) {
        if (!nd.alive || nd.incarnation != inc) {
            return;
        }
        int want = connectable(nd.pnn, peer) ? nodes[peer].incarnation : -1;
        if (nd.view[peer] == want) {
            return;
        }
        if (want < 0 && nodes[peer].alive && nd.view[peer] == nodes[peer].incarnation) {
            // Silent: the same connection, nothing arrives. Wait for the keepalive.
            if (!silentCheckPending[nd.pnn][peer]) {
                silentCheckPending[nd.pnn][peer] = true;
                after(1_000 + rnd.nextLong(KEEPALIVE_DETECT_MS - 1_000), () -> {
                    silentCheckPending[nd.pnn][peer] = false;
                    if (nd.alive && nd.incarnation == inc && !connectable(nd.pnn, peer) && nd.view[peer] >= 0) {
                        trace.add(now, nd.pnn, "keepalive gave up on peer " + peer);
                        input(nd, inc, false, c -> c.onPeerDisconnected(peer, now));
                        nd.view[peer] = -1;
                    }
                });
            }
            return;
        }
        if (nd.view[peer] >= 0) {
            ip.connectionClosed(nd, peer); // closed, not silent: the peer's process is gone
            trace.add(now, nd.pnn, "peer " + peer + " disconnected");
            input(nd, inc, false, c -> c.onPeerDisconnected(peer, now));
        }
        nd.view[peer] = want;
        if (want >= 0) {
            trace.add(now, nd.pnn, "peer " + peer + " connected");
            int flags = nodes[peer].flags; // the daemon learns a peer's flags when it connects
            input(nd, inc, false, c -> c.onPeerFlagsChanged(peer, flags, now));
            input(nd, inc, false, c -> c.onPeerConnected(peer, now));
        }
    }

    /**
     * An IP failover message over the same links, in order per link as on the mesh's one TCP
     * connection per pair (leader messages may overtake each other: a harder test for that core),
     * with its own random stream for loss and delay.
     */
    void sendIp(SimNode from, int to, org.jctdb.ip.IpMessage msg) {
        if (!linkUp(from.pnn, to) || (faultsActive && ipRnd.nextDouble() < lossRate)) {
            return;
        }
        long epoch = linkEpoch[from.pnn][to];
        SimNode dst = nodes[to];
        int inc = dst.incarnation;
        long when = Math.max(now + 1 + ipRnd.nextLong(faultsActive ? maxDelay : 20), ipDeliveredAt[from.pnn][to]);
        ipDeliveredAt[from.pnn][to] = when;
        at(when, () -> {
            if (linkUp(from.pnn, to) && linkEpoch[from.pnn][to] == epoch) {
                arrivingFrom(dst, from.pnn);
                inputAction(dst, inc, () -> ip.handle(dst, msg));
            }
        });
    }

    private void send(SimNode from, int to, LeaderMessage msg) {
        if (!linkUp(from.pnn, to) || (faultsActive && rnd.nextDouble() < lossRate)) {
            return;
        }
        long epoch = linkEpoch[from.pnn][to];
        SimNode dst = nodes[to];
        int inc = dst.incarnation;
        long delay = 1 + rnd.nextLong(faultsActive ? maxDelay : 20);
        after(delay, () -> {
            if (linkUp(from.pnn, to) && linkEpoch[from.pnn][to] == epoch) {
                arrivingFrom(dst, from.pnn);
                input(dst, inc, false, c -> c.onMessage(from.pnn, msg, now));
            }
        });
    }

    // ------------------------------------------------------------------ effects

    void execute(SimNode nd, List<Effect> effects) {
        for (Effect e : effects) {
            if (trace.enabled()) {
                trace.add(now, nd.pnn, e.toString());
            }
            LeaderMessage sent =
                    e instanceof Effect.Send s ? s.message() : e instanceof Effect.Broadcast b ? b.message() : null;
            if (sent instanceof LeaderMessage.FromLeader fl && !(sent instanceof LeaderMessage.Resign)) {
                checkNotStalled(nd, fl.generation(), sent);
            }
            if (e instanceof Effect.Send s) {
                send(nd, s.to(), s.message());
            } else if (e instanceof Effect.Broadcast b) {
                for (int p = 0; p < n; p++) {
                    if (p != nd.pnn) {
                        send(nd, p, b.message());
                    }
                }
            } else if (e instanceof Effect.TakeLock) {
                new HelperModel(this, nd).acquire();
            } else if (e instanceof Effect.ReleaseLock) {
                killHelper(nd);
            } else if (e instanceof Effect.RunEvent r) {
                int inc = nd.incarnation;
                boolean ok = !faultsActive || rnd.nextInt(40) != 0;
                after(
                        5 + rnd.nextLong(300),
                        () -> input(nd, inc, false, c -> c.onEventResult(r.event(), r.generation(), ok, now)));
            }
        }
    }

    /** A leader silent past the leader timeout, resumed, never acts in its old generation (issue 20). */
    void checkNotStalled(SimNode nd, long generation, Object what) {
        if (nd.stalledGeneration != 0 && generation == nd.stalledGeneration) {
            fail("node " + nd.pnn + " acts in generation " + generation + " after its pause from t=" + nd.pausedAt
                    + " past the leader timeout: " + what);
        }
    }

    void killHelper(SimNode nd) {
        nd.helperToken++;
        nd.helper = SimNode.Helper.NONE;
        nd.unresponsiveReported = false;
        nd.recheckHangSince = -1;
        lock.processGone(nd.holder());
    }

    /** Shared storage answers again: hung helpers finish (and die, having been killed). */
    void storageAnswered() {
        for (SimNode nd : nodes) {
            nd.hungAttempt = false;
        }
    }

    void deliverLock(SimNode nd, LockResult r) {
        int inc = nd.incarnation;
        trace.add(now, nd.pnn, "lock result " + r);
        input(nd, inc, true, c -> c.onLockResult(r, now));
    }

    boolean isLeaderActing(SimNode nd) {
        return nd.alive && !nd.paused && nd.core.status().role() == Role.LEADER;
    }

    boolean normal(LeaderStatus s) {
        return s.recoveryMode() == RecoveryMode.NORMAL;
    }
}

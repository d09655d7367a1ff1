package org.jctdb.leader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.jctdb.leader.Effect.Level;
import org.jctdb.protocol.NodeFlags;

/**
 * The election and recovery logic of one node, as a pure state machine. Every input method takes
 * the current monotonic time and returns the effects the shell must carry out, in order. Not
 * thread-safe: the daemon calls it from its single decider thread only.
 *
 * <p>This class holds the election and the lock; the leader's side of recovery is in
 * {@link RecoveryLeader}, the member's side in {@link Participant}, the generation fence in
 * {@link Fence} and what is known of other nodes in {@link Peers}.
 */
public final class LeaderCore {
    private LeaderConfig cfg; // replaced only by onNodesChanged
    private final RandomGenerator random;
    private final int me;
    private final Participant participant;
    private final long boot;

    private int ownFlags;
    private final Peers peers = new Peers();
    private final Fence fence = new Fence();

    private Role role = Role.FOLLOWER;
    private int leader = -1;
    private long lastLeaderHeardAt;
    private long electionNotBefore;
    private long lastCandidateSentAt;

    private boolean lockHeld;
    private boolean lockUnresponsive;
    private long lockRequestedAt;
    private int lockFailures;
    private boolean contentionLogged;
    private LockTrouble lockTrouble; // for status and health; null while the lock answers
    private LockLease lease; // held lease-based lock: token and act-until deadline; null otherwise
    private long termStartGeneration; // first generation of the current leadership: older follows do not count
    private boolean noQuorumLogged;
    private boolean leaderRole; // ctdb.conf's leader capability, changed at run time by setleaderrole
    private long lastTickAt; // the stall rule: a leader whose ticks stopped for a leader timeout ends its term

    private final RecoveryLeader recovery;

    /** A fresh core; it waits two announce intervals to hear a leader before racing for one. */
    public LeaderCore(LeaderConfig cfg, RandomGenerator random, long now) {
        this.cfg = cfg;
        this.random = random;
        this.me = cfg.pnn();
        this.participant = new Participant(me);
        this.boot = random.nextLong();
        this.leaderRole = cfg.leaderCapable();
        this.recovery = new RecoveryLeader(cfg, boot, peers, fence, this::handle);
        this.lastLeaderHeardAt = now;
        this.electionNotBefore = now + 2 * cfg.announceIntervalMs();
        this.lastCandidateSentAt = now;
        this.lastTickAt = now;
    }

    // ---------------------------------------------------------------- inputs

    /** Call once before anything else: the startup warning and this node's candidate message. */
    public List<Effect> start(long now) {
        List<Effect> out = new ArrayList<>();
        if (!cfg.lockConfigured()) {
            out.add(log(
                    Level.WARN,
                    "no cluster lock configured: the leader is the lowest connected node that"
                            + " can lead, and a network partition can elect one leader per side (split brain)"));
        }
        out.add(new Effect.Broadcast(new LeaderMessage.Candidate(me, canLead(), fence.seen())));
        return done(out);
    }

    /** Call at least every few hundred milliseconds. */
    public List<Effect> tick(long now) {
        List<Effect> out = new ArrayList<>();
        checkTerm(now, out);
        lastTickAt = now;
        // Peers count this node as reachable only while they hear it (nextCandidateAt: unless a leader is heard).
        if (now >= nextCandidateAt()) {
            lastCandidateSentAt = now;
            out.add(new Effect.Broadcast(new LeaderMessage.Candidate(me, canLead(), fence.seen())));
        }
        if (role == Role.LEADER) {
            checkQuorum(now, out);
        }
        if (role == Role.LEADER) {
            recovery.tick(now, out);
            checkFencedOut(now, out);
        } else if (role == Role.CANDIDATE) {
            if (now - lockRequestedAt >= cfg.lockResultDeadlineMs()) {
                out.add(log(
                        Level.ERROR,
                        "no answer from the cluster lock within " + cfg.lockResultDeadlineMs()
                                + " ms; abandoning this attempt"));
                out.add(new Effect.ReleaseLock());
                role = Role.FOLLOWER;
                backOff(now, out);
            }
        } else if (electionDue(now)) {
            startElection(now, out);
        }
        return done(out);
    }

    /**
     * The earliest time at which {@link #tick} would do more than note the time, as the state is now:
     * a shell may leave out the ticks before it, and must ask again after every input. A tick before it
     * changes nothing but the time of the last tick, which only a leader's stall rule reads (and
     * {@link #becomeLeader} resets). A leader's is its next announcement, recovery deadline or start, or
     * its lease deadline: an idle leader ticks once an announce interval, so its stall rule measures the
     * silence since its last tick, at most an interval before its last announcement went out. When its
     * latest announcement would be the last its quorum allows unanswered, it also ticks a quarter of an
     * interval after it (its answers' window) to check the quorum, as a tick every 250 ms did.
     */
    public long nextTickAt() {
        if (role == Role.LEADER) {
            long next = recovery.nextDueAt();
            if (!hasQuorum(following())) {
                next = Math.min(next, recovery.lastAnnounceAt() + cfg.announceIntervalMs() / 4);
            }
            return lease == null ? next : Math.min(next, lease.actUntilMillis());
        }
        long next = nextCandidateAt();
        if (role == Role.CANDIDATE) {
            return Math.min(next, lockRequestedAt + cfg.lockResultDeadlineMs());
        }
        if (canLead()) { // electionDue, read as a time
            long due = leader < 0
                    ? electionNotBefore
                    : Math.max(electionNotBefore, lastLeaderHeardAt + cfg.leaderTimeoutMs());
            next = Math.min(next, due);
        }
        return next;
    }

    public List<Effect> onMessage(int fromPeer, LeaderMessage msg, long now) {
        List<Effect> out = new ArrayList<>();
        checkTerm(now, out);
        if (msg.from() != fromPeer) {
            out.add(log(
                    Level.WARN,
                    "dropping " + describe(msg) + ": it names node " + msg.from() + " but came from node " + fromPeer));
            return done(out);
        }
        peers.heard(fromPeer, now);
        handle(msg, now, out);
        return done(out);
    }

    public List<Effect> onPeerConnected(int pnn, long now) {
        List<Effect> out = new ArrayList<>();
        checkTerm(now, out);
        if (pnn == me || !peers.connect(pnn)) {
            return done(out);
        }
        peers.heard(pnn, now); // the mesh's handshake is a message from it
        out.add(new Effect.Send(pnn, new LeaderMessage.Candidate(me, canLead(), fence.seen())));
        if (role == Role.LEADER) {
            out.add(new Effect.Send(pnn, recovery.announcement()));
        }
        return done(out);
    }

    public List<Effect> onPeerDisconnected(int pnn, long now) {
        List<Effect> out = new ArrayList<>();
        checkTerm(now, out);
        if (!peers.disconnect(pnn)) {
            return done(out);
        }
        if (pnn == leader) {
            out.add(log(Level.WARN, "leader node " + pnn + " disconnected; electing soon"));
            forgetLeader(out);
            electionNotBefore = now + jitter(cfg.announceIntervalMs() / 2);
        }
        if (role == Role.LEADER) {
            recovery.restartNow(now);
        }
        return done(out);
    }

    /**
     * reloadnodes: the configured, not-deleted nodes are now {@code configured}. The quorum rule
     * counts them from now on (deleting a dead node lowers the majority a survivor needs).
     */
    public List<Effect> onNodesChanged(List<Integer> configured, long now) {
        List<Effect> out = new ArrayList<>();
        checkTerm(now, out);
        if (!configured.contains(me)) {
            out.add(log(Level.ERROR, "ignoring a node list without this node (" + me + "): " + configured));
        } else if (!configured.equals(cfg.nodes())) {
            cfg = cfg.withNodes(configured);
            out.add(log(
                    Level.INFO,
                    "configured nodes now " + cfg.nodes() + ": a majority is " + Quorum.majority(cfg.nodes())));
            if (role == Role.LEADER) { // at once: an idle leader's next tick may be an announce interval away
                checkQuorum(now, out);
            }
        }
        return done(out);
    }

    /** The administrator asked for a recovery (`jctdb recover`); only the leader acts on it. */
    public List<Effect> onRecoverRequested(long now) {
        List<Effect> out = new ArrayList<>();
        checkTerm(now, out);
        if (role == Role.LEADER) {
            out.add(new Effect.Log(Level.INFO, "recovery requested by the administrator"));
            recovery.restartNow(now);
        }
        return done(out);
    }

    /** Flags of a peer as last reported by it or by the leader (BANNED, STOPPED...). */
    public List<Effect> onPeerFlagsChanged(int pnn, int flags, long now) {
        List<Effect> out = new ArrayList<>();
        checkTerm(now, out);
        boolean wasActive = peers.setFlags(pnn, flags);
        if (role == Role.LEADER && wasActive != !NodeFlags.isInactive(flags)) {
            if (wasActive) {
                recovery.restartNow(now);
            } else {
                recovery.requestRecovery();
            }
        }
        return done(out);
    }

    /** This node's own flags changed (stopped, banned, ...). */
    public List<Effect> onOwnFlagsChanged(int flags, long now) {
        return canLeadChanged(flags, leaderRole, now);
    }

    /** setleaderrole on|off: a leader losing the role steps down and the others elect another. */
    public List<Effect> onLeaderRoleChanged(boolean on, long now) {
        return canLeadChanged(ownFlags, on, now);
    }

    public boolean leaderRole() {
        return leaderRole;
    }

    private List<Effect> canLeadChanged(int flags, boolean roleOn, long now) {
        List<Effect> out = new ArrayList<>();
        checkTerm(now, out);
        boolean could = canLead();
        ownFlags = flags;
        leaderRole = roleOn;
        if (could != canLead()) {
            out.add(new Effect.Broadcast(new LeaderMessage.Candidate(me, canLead(), fence.seen())));
        }
        if (!canLead()) {
            if (role == Role.LEADER) {
                stepDown(
                        roleOn
                                ? "this node can no longer lead (flags 0x" + Integer.toHexString(flags) + ")"
                                : "the leader role was switched off (setleaderrole off)",
                        now,
                        out);
            } else if (role == Role.CANDIDATE) {
                out.add(new Effect.ReleaseLock());
                role = Role.FOLLOWER;
            }
        }
        return done(out);
    }

    public List<Effect> onLockResult(LockResult result, long now) {
        return onLockResult(result, null, now);
    }

    /**
     * A lock result; {@code taken} carries the fencing token and lease deadline of a lease-based
     * lock with TAKEN (null for the fcntl and helper locks, which have neither).
     */
    public List<Effect> onLockResult(LockResult result, LockLease taken, long now) {
        List<Effect> out = new ArrayList<>();
        if (result != LockResult.TAKEN) {
            checkTerm(now, out);
        }
        switch (result) {
            case TAKEN -> lockTaken(taken, now, out);
            case CONTENTION -> {
                lockTrouble = null; // the lock answers: another node holds it
                if (role == Role.CANDIDATE) {
                    role = Role.FOLLOWER;
                    lockFailures = 0;
                    if (!contentionLogged) {
                        out.add(log(Level.INFO, "cluster lock is held by another node; waiting for its announcements"));
                        contentionLogged = true;
                    }
                    electionNotBefore = now + cfg.lockRetryMs() + jitter(cfg.lockRetryMs() / 2);
                }
            }
            case TIMEOUT, ERROR -> {
                if (role == Role.CANDIDATE) {
                    role = Role.FOLLOWER;
                    out.add(log(Level.WARN, "cluster lock attempt failed: " + result));
                    cannotTake(result, now);
                    backOff(now, out);
                }
            }
            case LOST -> {
                if (lockHeld) {
                    lockHeld = false;
                    stepDown("cluster lock lost", now, out);
                    lost(now, out);
                }
            }
            case UNRESPONSIVE -> {
                if (lockHeld && !lockUnresponsive) {
                    lockUnresponsive = true;
                    lockTrouble = new LockTrouble(
                            LockTrouble.State.UNRESPONSIVE,
                            now,
                            lease != null
                                    ? "this node leads until its lease deadline and then steps down, unless a renewal"
                                            + " answers first"
                                    : "this node keeps leading: it still holds the lock and nothing suggests another"
                                            + " leader");
                    out.add(log(
                            Level.ERROR,
                            lease != null
                                    ? "cluster lock service is not answering lease renewals; this node leads until its lease"
                                            + " deadline in " + Math.max(0, lease.actUntilMillis() - now)
                                            + " ms unless a renewal answers"
                                    : "cluster lock re-check is not answering (storage hung?);"
                                            + " no sign of another leader, so this node keeps leading and waits"));
                }
            }
            case RESPONSIVE_AGAIN -> {
                if (lockUnresponsive) {
                    lockUnresponsive = false;
                    lockTrouble = null;
                    out.add(log(Level.WARN, "cluster lock re-check answers again"));
                }
            }
        }
        return done(out);
    }

    /**
     * A lease-based lock confirmed a renewal: the holder may act until the new deadline. Ignored
     * unless this node holds the lock under the same token.
     */
    public List<Effect> onLeaseRenewed(LockLease renewed, long now) {
        List<Effect> out = new ArrayList<>();
        checkTerm(now, out);
        if (lockHeld
                && lease != null
                && renewed.token() == lease.token()
                && renewed.actUntilMillis() > lease.actUntilMillis()) {
            lease = renewed;
        }
        return done(out);
    }

    /** The result of a RunEvent effect. */
    public List<Effect> onEventResult(RecoveryEvent event, long generation, boolean ok, long now) {
        List<Effect> out = new ArrayList<>();
        checkTerm(now, out);
        LeaderMessage.RecoveryAck ack = participant.eventDone(event, generation, ok, out);
        if (ack != null) {
            deliverToLeader(Generation.leaderOf(generation), ack, now, out);
        }
        return done(out);
    }

    /** The answer to {@link Effect.RecoverDatabases}: FINISH follows on success, a new generation on failure. */
    public List<Effect> onDatabasesRecovered(long generation, boolean ok, long now) {
        List<Effect> out = new ArrayList<>();
        checkTerm(now, out);
        if (role == Role.LEADER) {
            recovery.onDatabasesRecovered(generation, ok, now, out);
        }
        return done(out);
    }

    /**
     * A generation this node knows was used before it started (the persistent databases' lineage
     * generation kept on disk): every generation this node picks or accepts afterwards is above it, and
     * its candidate messages tell the other nodes. Call before {@link #start}.
     */
    public void learnGeneration(long generation) {
        fence.learn(generation);
    }

    /**
     * Applies the rules that depend on time alone (lease deadline, stall) at {@code now}, without
     * ticking. A shell part that acts for the leader on its own timer (IP takeover) calls it before
     * reading {@link #status()}, so that after a pause it never acts on a term the core would end.
     */
    public List<Effect> observe(long now) {
        List<Effect> out = new ArrayList<>();
        checkTerm(now, out);
        return done(out);
    }

    /** What is wrong with the cluster lock, if anything (cheap: no copy of the status). */
    public Optional<LockTrouble> lockTrouble() {
        return Optional.ofNullable(lockTrouble);
    }

    public LeaderStatus status() {
        return new LeaderStatus(
                me,
                role,
                role == Role.LEADER ? recovery.generation() : Generation.NONE,
                leader,
                fence.seen(),
                participant.appliedGeneration(),
                participant.appliedBoot(),
                participant.mode(),
                participant.vnnMap(),
                lockHeld,
                lockUnresponsive,
                role == Role.LEADER && recovery.inProgress(),
                lockTrouble());
    }

    // ---------------------------------------------------------------- election

    private boolean canLead() {
        return leaderRole && !NodeFlags.isInactive(ownFlags);
    }

    /**
     * When this node's next periodic candidate message is due. A leader sends none: its announcements
     * are heard by everyone. A follower that hears its leader keeps quiet too while a cluster lock is
     * configured: the leader hears it through its {@code follow} answers, and the only other reader of
     * candidate messages, an election, counts peers heard after the leader's last word, so candidate
     * messages are needed only once the leader falls silent. A follower resumes them one and a half
     * announce intervals after the leader's last announcement (half an interval past the next one
     * due), well before the {@code leader timeout} (over two intervals) after which it may stand.
     * Without a lock the no-lock rule (who ranks first among the reachable nodes) needs every node
     * heard all the time. Connecting, a change of capability and forgetting the leader send one at once.
     */
    private long nextCandidateAt() {
        if (role == Role.LEADER) {
            return Long.MAX_VALUE;
        }
        long next = lastCandidateSentAt + cfg.announceIntervalMs();
        if (role == Role.FOLLOWER && leader >= 0 && cfg.lockConfigured()) {
            next = Math.max(next, lastLeaderHeardAt + cfg.announceIntervalMs() * 3 / 2);
        }
        return next;
    }

    private boolean electionDue(long now) {
        return canLead()
                && now >= electionNotBefore
                && (leader < 0 || now - lastLeaderHeardAt >= cfg.leaderTimeoutMs());
    }

    private void startElection(long now, List<Effect> out) {
        if (leader >= 0) {
            out.add(log(
                    Level.WARN,
                    "no announcement from leader node " + leader + " for " + (now - lastLeaderHeardAt)
                            + " ms; starting an election"));
            forgetLeader(out);
        }
        Set<Integer> reached = reachableForElection(now);
        if (!Quorum.allows(me, cfg.nodes(), reached, cfg.lockConfigured())) {
            if (!noQuorumLogged) {
                noQuorumLogged = true;
                out.add(log(
                        Level.WARN,
                        "not standing for leader: this node reaches only " + describeReach(reached)
                                + "; waiting until it reaches a majority"));
            }
            electionNotBefore = now; // look again at the next tick
            return;
        }
        if (noQuorumLogged) {
            noQuorumLogged = false;
            out.add(log(Level.INFO, "this node reaches " + describeReach(reached) + " again; standing for leader"));
        }
        if (cfg.lockConfigured()) {
            role = Role.CANDIDATE;
            lockRequestedAt = now;
            out.add(new Effect.TakeLock());
        } else if (fallbackWinner(now) == me) {
            becomeLeader(now, out);
        } else {
            electionNotBefore = now + cfg.announceIntervalMs();
        }
    }

    private int fallbackWinner(long now) {
        return peers.fallbackWinner(me, canLead(), now, cfg.quorumWindowMs());
    }

    /**
     * The peers that count for standing: heard within the quorum window, and after the last word
     * from the previous leader (its last announcement or resignation, or this node's own stepping
     * down). A node left behind with a leader that has just lost its majority must not count what
     * it heard from the majority before the cut: it hears nothing from them after it.
     */
    private Set<Integer> reachableForElection(long now) {
        return peers.reachable(now, cfg.quorumWindowMs(), lastLeaderHeardAt);
    }

    private String describeReach(Set<Integer> reached) {
        List<Integer> nodes = new ArrayList<>();
        nodes.add(me);
        for (int p : reached) {
            if (cfg.nodes().contains(p)) {
                nodes.add(p);
            }
        }
        Collections.sort(nodes);
        return "nodes " + nodes + " of the " + cfg.nodes().size() + " configured " + cfg.nodes() + " (a majority is "
                + Quorum.majority(cfg.nodes()) + ")";
    }

    /**
     * The quorum rule for a leader: the peers that answered one of its last few announcements,
     * plus itself, must be a majority (or a tie the rule lets it keep). Otherwise it gives up the
     * lock, so that a majority it cannot reach can elect a leader of its own.
     */
    private void checkQuorum(long now, List<Effect> out) {
        Set<Integer> following = following();
        if (!hasQuorum(following)) {
            stepDown(
                    "no majority: " + describeReach(following) + " answered any of the last "
                            + cfg.quorumAnnouncements() + " announcements",
                    now,
                    out);
        }
    }

    /** The peers that answered one of this leader's last few announcements. */
    private Set<Integer> following() {
        return peers.following(recovery.announcementsSent(), cfg.quorumAnnouncements());
    }

    private boolean hasQuorum(Set<Integer> following) {
        return Quorum.allows(me, cfg.nodes(), following, cfg.lockConfigured());
    }

    private void lockTaken(LockLease taken, long now, List<Effect> out) {
        if (role != Role.CANDIDATE || !canLead()) {
            out.add(log(Level.WARN, "cluster lock taken but no longer wanted; releasing it"));
            out.add(new Effect.ReleaseLock());
            return;
        }
        Set<Integer> reached = reachableForElection(now);
        if (!Quorum.allows(me, cfg.nodes(), reached, cfg.lockConfigured())) {
            out.add(log(
                    Level.WARN,
                    "cluster lock taken, but this node now reaches only " + describeReach(reached) + "; releasing it"));
            out.add(new Effect.ReleaseLock());
            role = Role.FOLLOWER;
            electionNotBefore = now + cfg.lockRetryMs();
            return;
        }
        if (taken != null && now >= taken.actUntilMillis()) {
            out.add(log(Level.WARN, "cluster lock taken but its lease deadline has already passed; releasing it"));
            out.add(new Effect.ReleaseLock());
            role = Role.FOLLOWER;
            backOff(now, out);
            return;
        }
        lease = taken;
        lockHeld = true;
        lockUnresponsive = false;
        lockTrouble = null;
        lockFailures = 0;
        contentionLogged = false;
        becomeLeader(now, out);
    }

    private void becomeLeader(long now, List<Effect> out) {
        role = Role.LEADER;
        lastTickAt = now; // the stall rule counts silence within this term only
        out.add(log(
                Level.INFO,
                "this node is now the leader"
                        + (cfg.lockConfigured()
                                ? " (cluster lock taken)"
                                : " (no cluster lock: lowest connected capable node)")));
        leader = me;
        // Peers heard lately count as following until they have left a few announcements unanswered.
        peers.resetFollowers(
                peers.reachable(now, cfg.quorumWindowMs(), Long.MIN_VALUE),
                recovery.announcementsSent(),
                cfg.quorumAnnouncements());
        recovery.begin(now, lease == null ? 0 : lease.token(), out);
        termStartGeneration = recovery.generation();
        checkFencedOut(now, out);
    }

    /**
     * Called first by every input. Stall rule: a leader that has not ticked for longer than the leader
     * timeout (paused, frozen, starved) may have been given up by the others, and its lock helper gives
     * the lock up after a bound above that timeout: its term is over, it steps down before acting (the
     * next election and recovery pick a new generation). Lease rule: a leader whose lock lease is not
     * confirmed up to {@code now} stops acting (the deadline already includes the backend's margin).
     */
    private void checkTerm(long now, List<Effect> out) {
        if (role == Role.LEADER && lease != null && now >= lease.actUntilMillis()) {
            stepDown(
                    "cluster lock lease not confirmed for " + (now - lease.actUntilMillis())
                            + " ms past its safe deadline (the service may have expired it)",
                    now,
                    out);
            lost(now, out);
        } else if (role == Role.LEADER && now - lastTickAt > cfg.leaderTimeoutMs()) {
            stepDown(
                    "this node was silent for " + (now - lastTickAt) + " ms, longer than the leader timeout of "
                            + cfg.leaderTimeoutMs() + " ms (paused or starved): the others may have elected"
                            + " another leader, so its term is over",
                    now,
                    out);
        }
    }

    private void checkFencedOut(long now, List<Effect> out) {
        if (role == Role.LEADER && recovery.fencedOut()) {
            stepDown(
                    "a later holder of the cluster lock has led (fencing token " + lease.token() + " is stale)",
                    now,
                    out);
        }
    }

    /** The held lock was lost (LOST, or its lease ran out): this node has just stepped down. */
    private void lost(long now, List<Effect> out) {
        String action = "this node stepped down as leader of generation " + recovery.generation()
                + "; until a node takes the lock there is no leader, so every node releases its public addresses"
                + " once its last grant lapses";
        lockTrouble = lockTrouble == null
                ? new LockTrouble(LockTrouble.State.LOST, now, action)
                : lockTrouble.becomes(LockTrouble.State.LOST, action);
        out.add(log(
                Level.WARN,
                "cluster lock lost"
                        + (now > lockTrouble.since()
                                ? " (not answering for " + (now - lockTrouble.since()) + " ms before)"
                                : "")
                        + ": no leader until a node takes it again; public addresses are released as their grants"
                        + " lapse"));
    }

    /** An attempt to take the lock failed with {@code result} (TIMEOUT or ERROR). */
    private void cannotTake(LockResult result, long now) {
        String action = "attempts to take it fail (" + result + "); this node has no leader, so it hosts no public"
                + " address";
        lockTrouble = lockTrouble == null
                ? new LockTrouble(LockTrouble.State.UNAVAILABLE, now, action)
                : lockTrouble.becomes(
                        LockTrouble.State.UNAVAILABLE,
                        lockTrouble.state() == LockTrouble.State.LOST
                                ? lockTrouble.action() + "; later attempts fail (" + result + ")"
                                : action);
    }

    private void backOff(long now, List<Effect> out) {
        lockFailures++;
        long wait = Math.min(cfg.lockBackoffMaxMs(), cfg.lockRetryMs() << Math.min(lockFailures, 4));
        wait += jitter(cfg.lockRetryMs() / 2);
        electionNotBefore = now + wait;
        out.add(log(Level.INFO, "next cluster lock attempt in " + wait + " ms (failure " + lockFailures + ")"));
    }

    private void stepDown(String why, long now, List<Effect> out) {
        out.add(log(Level.ERROR, why + "; stepping down as leader of generation " + recovery.generation()));
        if (lockHeld || cfg.lockConfigured()) {
            out.add(new Effect.ReleaseLock());
        }
        lockHeld = false;
        lockUnresponsive = false;
        lease = null;
        role = Role.FOLLOWER;
        recovery.stop();
        out.add(new Effect.Broadcast(new LeaderMessage.Resign(me, recovery.generation(), boot)));
        forgetLeader(out);
        electionNotBefore = now + cfg.leaderTimeoutMs();
        lastLeaderHeardAt = now; // its own last word: standing again needs a majority heard after it
    }

    private void forgetLeader(List<Effect> out) {
        if (leader >= 0) {
            leader = -1;
            out.add(new Effect.LeaderChanged(-1, fence.seen()));
            // At once, not at the next interval: the others stand only on a majority heard after the
            // old leader's last word, and this is such a word from this node.
            out.add(new Effect.Broadcast(new LeaderMessage.Candidate(me, canLead(), fence.seen())));
        }
    }

    // ---------------------------------------------------------------- messages

    private void handle(LeaderMessage msg, long now, List<Effect> out) {
        if (msg instanceof LeaderMessage.FromLeader fl) {
            if (!acceptLeader(fl, now, out)) {
                return;
            }
            if (fl instanceof LeaderMessage.Resign) {
                if (leader == fl.from() && fl.from() != me) {
                    out.add(log(Level.WARN, "leader node " + fl.from() + " resigned; electing soon"));
                    forgetLeader(out);
                    electionNotBefore = now + jitter(cfg.announceIntervalMs() / 2);
                }
                return;
            }
            if (fl instanceof LeaderMessage.Announce && fl.from() != me) {
                out.add(new Effect.Send(fl.from(), new LeaderMessage.Follow(me, fl.generation(), fl.boot())));
            }
            LeaderMessage reply = participant.onLeaderMessage(fl, out);
            if (reply != null) {
                deliverToLeader(fl.from(), reply, now, out);
            }
            maybePreempt(fl, now, out);
        } else if (msg instanceof LeaderMessage.RecoveryAck ack) {
            if (role == Role.LEADER) {
                recovery.onAck(ack, now, out);
            }
        } else if (msg instanceof LeaderMessage.RecoveryNeeded rn) {
            if (role == Role.LEADER) {
                recovery.onRecoveryNeeded(rn.from());
            }
        } else if (msg instanceof LeaderMessage.Refused r) {
            onRefused(r, now, out);
        } else if (msg instanceof LeaderMessage.Candidate c) {
            peers.setCanLead(c.from(), c.canLead());
            if (role != Role.LEADER) {
                fence.learn(c.seenGeneration()); // a leader elected later must pick above it
            }
        } else if (msg instanceof LeaderMessage.Follow f) {
            if (role == Role.LEADER
                    && f.boot() == boot
                    && Generation.leaderOf(f.generation()) == me
                    && f.generation() >= termStartGeneration) {
                peers.followed(f.from(), recovery.announcementsSent());
            }
        } else {
            throw new IllegalStateException("unhandled leader message " + msg);
        }
    }

    /** Fencing: accept a leader's message only if its generation is not older than any seen. */
    private boolean acceptLeader(LeaderMessage.FromLeader m, long now, List<Effect> out) {
        long gen = m.generation();
        Fence.Verdict v = fence.check(m);
        if (v == Fence.Verdict.FORGED) {
            out.add(log(
                    Level.WARN,
                    "dropping " + describe(m) + ": generation " + gen + " does not belong to node " + m.from()));
            return false;
        }
        if (v != Fence.Verdict.ACCEPT) {
            out.add(log(
                    Level.WARN,
                    "refusing " + describe(m) + ": generation " + gen
                            + (v == Fence.Verdict.REUSED
                                    ? " was already used by an earlier start of that node"
                                    : " is older than generation " + fence.seen() + " already seen")));
            deliverToLeader(m.from(), new LeaderMessage.Refused(me, gen, fence.seen()), now, out);
            return false;
        }
        if (m.from() == me) {
            return true;
        }
        if (role == Role.LEADER) {
            stepDown("node " + m.from() + " leads with newer generation " + gen, now, out);
        }
        fence.accept(gen, m.boot());
        lastLeaderHeardAt = now;
        lockTrouble = null; // someone leads: the lock works for the cluster
        if (leader != m.from()) {
            leader = m.from();
            contentionLogged = false;
            out.add(new Effect.LeaderChanged(leader, gen));
        }
        return true;
    }

    /** Without a lock, a lower-numbered capable node takes over from the one announcing. */
    private void maybePreempt(LeaderMessage.FromLeader m, long now, List<Effect> out) {
        if (!cfg.lockConfigured()
                && role == Role.FOLLOWER
                && m.from() != me
                && canLead()
                && fallbackWinner(now) == me
                && me < m.from()
                && Quorum.allows(me, cfg.nodes(), peers.reachable(now, cfg.quorumWindowMs(), Long.MIN_VALUE), false)) {
            out.add(log(
                    Level.INFO, "no cluster lock: node " + me + " ranks before leader " + m.from() + "; taking over"));
            becomeLeader(now, out);
        }
    }

    private void onRefused(LeaderMessage.Refused r, long now, List<Effect> out) {
        out.add(log(
                Level.WARN,
                "node " + r.from() + " refused generation " + r.refusedGeneration() + " because it has seen generation "
                        + r.seenGeneration()));
        if (role != Role.LEADER) {
            fence.learn(r.seenGeneration());
        } else if (r.refusedGeneration() == recovery.generation() && r.seenGeneration() >= recovery.generation()) {
            fence.learn(r.seenGeneration()); // the next recovery picks above it
            recovery.restartNow(now);
        }
    }

    private void deliverToLeader(int to, LeaderMessage msg, long now, List<Effect> out) {
        if (to == me) {
            handle(msg, now, out);
        } else {
            out.add(new Effect.Send(to, msg));
        }
    }

    // ---------------------------------------------------------------- helpers

    private long jitter(long bound) {
        return bound <= 0 ? 0 : random.nextLong(bound);
    }

    private static Effect.Log log(Level level, String text) {
        return new Effect.Log(level, text);
    }

    static String describe(LeaderMessage m) {
        return m.getClass().getSimpleName() + " from node " + m.from();
    }

    private static List<Effect> done(List<Effect> out) {
        return Collections.unmodifiableList(out);
    }
}

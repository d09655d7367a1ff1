package org.jctdb.leader;

import java.util.List;
import org.jctdb.leader.Effect.Level;
import org.jctdb.leader.LeaderMessage.Phase;

/**
 * The leader's side of recovery: when to start one, its two acknowledged steps, announcements,
 * and re-sending unanswered steps. Used by {@link LeaderCore} only while this node leads.
 */
final class RecoveryLeader {
    /** Hands a message to this node's own participant (the leader is a member too). */
    interface SelfDelivery {
        void deliver(LeaderMessage msg, long now, List<Effect> out);
    }

    private final LeaderConfig cfg;
    private final int me;
    private final long boot;
    private final Peers peers;
    private final Fence fence;
    private final SelfDelivery self;

    private long generation = Generation.NONE;
    private long token; // fencing token of the held lock, 0 = none
    private boolean fencedOut;
    private long lastAnnounceAt;
    private long announcementsSent;
    private RecoveryRun run;
    private boolean needed;
    private long notBefore;

    RecoveryLeader(LeaderConfig cfg, long boot, Peers peers, Fence fence, SelfDelivery self) {
        this.cfg = cfg;
        this.me = cfg.pnn();
        this.boot = boot;
        this.peers = peers;
        this.fence = fence;
        this.self = self;
    }

    long generation() {
        return generation;
    }

    boolean inProgress() {
        return run != null;
    }

    /** When this node last broadcast its announcement. */
    long lastAnnounceAt() {
        return lastAnnounceAt;
    }

    /** How many announcements this node has broadcast (ever); the quorum rule counts unanswered ones. */
    long announcementsSent() {
        return announcementsSent;
    }

    LeaderMessage announcement() {
        return new LeaderMessage.Announce(me, generation, boot);
    }

    /** This node just became leader: recover at once. {@code token} is the lock's fencing token, 0 if none. */
    void begin(long now, long token, List<Effect> out) {
        this.token = token;
        fencedOut = false;
        run = null;
        start(now, out);
    }

    /**
     * True when no generation above everything seen belongs to this node's fencing token: a
     * later holder of the lock has led, or this holding used up its counter. The leader must step down.
     */
    boolean fencedOut() {
        return fencedOut;
    }

    /** This node no longer leads. */
    void stop() {
        run = null;
        needed = false;
    }

    void tick(long now, List<Effect> out) {
        if (run != null && now - run.phaseStartedAt >= cfg.recoveryTimeoutMs()) {
            out.add(new Effect.Log(
                    Level.ERROR,
                    "recovery of generation " + run.generation + " timed out in phase " + run.phase
                            + " waiting for nodes " + run.pending() + "; starting again"));
            restartNow(now);
        }
        if (run == null && needed && now >= notBefore) {
            start(now, out);
        }
        if (now - lastAnnounceAt >= cfg.announceIntervalMs()) {
            announce(now, true, out);
        }
    }

    /**
     * When {@link #tick} next has something to do: the next announcement, the current run's recovery
     * timeout, or the start of a recovery that is needed.
     */
    long nextDueAt() {
        long next = lastAnnounceAt + cfg.announceIntervalMs();
        if (run != null) {
            next = Math.min(next, run.phaseStartedAt + cfg.recoveryTimeoutMs());
        } else if (needed) {
            next = Math.min(next, notBefore);
        }
        return next;
    }

    /** A member disconnected or became inactive: recover without it now. */
    void restartNow(long now) {
        run = null;
        needed = true;
        notBefore = now;
    }

    /** A node joined or became active: recover once RerecoveryTimeout allows. */
    void requestRecovery() {
        needed = true;
    }

    void onRecoveryNeeded(int from) {
        if (peers.isConnected(from) && peers.isActive(from) && (run == null || !run.isMember(from))) {
            needed = true;
        }
    }

    void onAck(LeaderMessage.RecoveryAck ack, long now, List<Effect> out) {
        if (run == null
                || run.databases // START is complete: a member answering a re-sent START again
                || ack.generation() != run.generation
                || ack.phase() != run.phase
                || !run.isMember(ack.from())) {
            return; // stale or duplicate
        }
        if (!ack.ok()) {
            out.add(new Effect.Log(
                    Level.WARN,
                    "node " + ack.from() + " failed recovery step " + ack.phase() + " of generation " + ack.generation()
                            + "; starting again"));
            restartNow(now + cfg.announceIntervalMs());
            return;
        }
        if (!run.ack(ack.from())) {
            return;
        }
        if (run.phase == Phase.START && cfg.databaseRecovery()) {
            run.databases = true;
            run.phaseStartedAt = now; // RecoverTimeout covers the database step too
            out.add(new Effect.RecoverDatabases(run.generation, run.members));
        } else if (run.phase == Phase.START) {
            run.beginPhase(Phase.FINISH, now);
            sendPhase(now, out);
        } else {
            out.add(new Effect.Log(
                    Level.INFO, "recovery complete, generation " + run.generation + ", vnnmap " + run.members));
            run = null;
            notBefore = now + cfg.rerecoveryTimeoutMs();
        }
    }

    /** The shell's answer to {@link Effect.RecoverDatabases}. */
    void onDatabasesRecovered(long gen, boolean ok, long now, List<Effect> out) {
        if (run == null || run.generation != gen || !run.databases) {
            return; // an older run's answer
        }
        run.databases = false;
        if (!ok) {
            out.add(new Effect.Log(Level.WARN, "database recovery of generation " + gen + " failed; starting again"));
            restartNow(now + cfg.announceIntervalMs());
            return;
        }
        run.beginPhase(Phase.FINISH, now);
        sendPhase(now, out);
    }

    private void start(long now, List<Effect> out) {
        List<Integer> members = peers.members(me, now, cfg.quorumWindowMs());
        long next = Generation.next(Math.max(fence.seen(), Generation.floor(token)), me);
        if (token != 0 && Generation.tokenOf(next) != token) {
            fencedOut = true;
            run = null;
            needed = false;
            out.add(new Effect.Log(
                    Level.ERROR,
                    "generation " + fence.seen() + " already seen belongs to fencing token "
                            + Generation.tokenOf(fence.seen()) + "; this node's lock token is " + token));
            return;
        }
        generation = next;
        fence.accept(generation, boot);
        needed = false;
        run = new RecoveryRun(generation, members, now);
        out.add(new Effect.Log(Level.INFO, "starting recovery, generation " + generation + ", members " + members));
        out.add(new Effect.LeaderChanged(me, generation));
        announce(now, false, out);
        sendPhase(now, out);
    }

    /** {@code resend}: also the current step to the members that have not answered it (messages can be lost). */
    private void announce(long now, boolean resend, List<Effect> out) {
        lastAnnounceAt = now;
        announcementsSent++;
        out.add(new Effect.Broadcast(announcement()));
        if (resend && run != null) {
            for (int m : run.pending()) {
                if (m != me) {
                    out.add(new Effect.Send(m, phaseMessage()));
                }
            }
        }
    }

    private LeaderMessage phaseMessage() {
        return run.phase == Phase.START
                ? new LeaderMessage.StartRecovery(me, run.generation, boot)
                : new LeaderMessage.FinishRecovery(me, run.generation, boot, run.members);
    }

    private void sendPhase(long now, List<Effect> out) {
        LeaderMessage msg = phaseMessage();
        for (int m : run.members) {
            if (m != me) {
                out.add(new Effect.Send(m, msg));
            }
        }
        self.deliver(msg, now, out); // may complete this step and start the next
    }
}

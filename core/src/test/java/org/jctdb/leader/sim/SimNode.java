package org.jctdb.leader.sim;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Function;
import org.jctdb.leader.Effect;
import org.jctdb.leader.LeaderCore;

/** One simulated node: its core, its process state and its lock helper process. */
final class SimNode {
    enum Helper {
        NONE,
        ACQUIRING,
        HELD
    }

    final int pnn;
    boolean capable = true;
    int incarnation;
    boolean alive = true;
    boolean paused;
    boolean helperPaused; // this pause stops the helper too (a VM freeze), not the daemon alone (SIGSTOP)
    long pausedAt;
    long pausedLeading; // the generation it led when paused, or NONE
    long lastTickAt; // the daemon's last tick: its heartbeat to the lock helper
    /** A generation this node led before a pause past the leader timeout: it must never act in it again. */
    long stalledGeneration;

    int flags;
    LeaderCore core;
    /** Inputs that arrived while paused; lock results first on resume, like the daemon must. */
    final ArrayDeque<Function<LeaderCore, List<Effect>>> backlog = new ArrayDeque<>();

    final ArrayDeque<Function<LeaderCore, List<Effect>>> lockBacklog = new ArrayDeque<>();
    final long[] flagsDeliveredAt;
    int[] view; // per peer: the incarnation the core was told is connected, or -1

    Helper helper = Helper.NONE;
    int helperToken;
    boolean hungAttempt;
    long recheckHangSince = -1;
    boolean unresponsiveReported;
    long staleSince = -1; // unpaused ms spent leading on a superseded inode
    long staleMs;

    long lastSeen;
    long lastApplied;
    long lastMapChecked;

    SimNode(int pnn, int n) {
        this.pnn = pnn;
        this.flagsDeliveredAt = new long[n];
        this.view = new int[n];
        java.util.Arrays.fill(view, -1);
    }

    void resetMemory() {
        lastSeen = 0;
        lastApplied = 0;
        lastMapChecked = 0;
    }

    LockModel.Holder holder() {
        return new LockModel.Holder(pnn, incarnation);
    }
}

package org.jctdb.leader.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jctdb.leader.Generation;
import org.jctdb.leader.LeaderConfig;
import org.jctdb.leader.LeaderStatus;
import org.jctdb.leader.Quorum;
import org.jctdb.leader.RecoveryMode;
import org.jctdb.leader.Role;

/** The properties every step of every schedule must keep, and what "converged" means. */
final class Invariants {
    private Invariants() {}

    /**
     * How long a node on a side without quorum may act as leader after the partition: it may have
     * stood on evidence up to one quorum window old (what it heard just before the cut), then it
     * goes K unanswered announcements and steps down when the next is due: window + (K+1)
     * announce intervals, a tick, delivery.
     */
    static long minorityStepDownBoundMs() {
        LeaderConfig d = LeaderConfig.defaults(0, List.of(0), true, true);
        return d.quorumWindowMs() + (d.quorumAnnouncements() + 1) * d.announceIntervalMs() + Simulation.TICK_MS + 100;
    }

    static void check(Simulation sim) {
        int actingOnCurrentLock = 0;
        for (SimNode nd : sim.nodes) {
            if (!nd.alive) {
                continue;
            }
            LeaderStatus s = nd.core.status();
            // Generations only grow (within one incarnation; a restarted node starts from nothing).
            if (s.seenGeneration() < nd.lastSeen || s.appliedGeneration() < nd.lastApplied) {
                sim.fail("node " + nd.pnn + " generation went back: seen " + nd.lastSeen + " -> " + s.seenGeneration()
                        + ", applied " + nd.lastApplied + " -> " + s.appliedGeneration());
            }
            nd.lastSeen = s.seenGeneration();
            // One generation, one outcome: every node that completed it installed the same vnnmap.
            // (A restarted leader forgets what it led, so the key includes the leader's boot id.)
            if (s.appliedGeneration() != Generation.NONE && s.appliedGeneration() != nd.lastMapChecked) {
                nd.lastMapChecked = s.appliedGeneration();
                String key = s.appliedGeneration() + "/" + s.appliedBoot();
                java.util.List<Integer> first = sim.generationMap().putIfAbsent(key, s.vnnMap());
                if (first != null && !first.equals(s.vnnMap())) {
                    sim.fail("generation " + s.appliedGeneration() + " installed as " + first + " and as " + s.vnnMap()
                            + " (node " + nd.pnn + ")");
                }
            }
            nd.lastApplied = s.appliedGeneration();
            if (s.role() != Role.LEADER || nd.paused) {
                nd.staleSince = -1; // a paused node does not act; its helper is stopped too
                if (s.role() != Role.LEADER) {
                    nd.staleMs = 0;
                }
                continue;
            }
            // At most one node acts as leader per generation.
            Integer owner = sim.generationLeader().putIfAbsent(s.leadingGeneration(), nd.pnn);
            if (owner != null && owner != nd.pnn) {
                sim.fail("generation " + s.leadingGeneration() + " led by node " + owner + " and node " + nd.pnn);
            }
            if (Generation.leaderOf(s.leadingGeneration()) != nd.pnn) {
                sim.fail("node " + nd.pnn + " leads generation " + s.leadingGeneration() + " of another node");
            }
            if (sim.lockMode && !nd.paused) {
                checkHoldsLock(sim, nd);
                if (sim.lock.heldInode(nd.holder()) == sim.lock.currentInode()) {
                    actingOnCurrentLock++;
                }
            }
        }
        // Never two leaders acting at once: another acting leader can only be one on a replaced
        // lock file, which checkHoldsLock bounds to one re-check interval.
        if (actingOnCurrentLock > 1) {
            sim.fail(actingOnCurrentLock + " nodes act as leader holding the current cluster lock");
        }
        sim.ip.check();
    }

    /**
     * During a settled partition: a leader on a side without quorum stops within
     * {@link #minorityStepDownBoundMs()}, and a side with quorum (a strict majority, or a tie the
     * rule gives it) has an acting leader followed by all of that side within
     * {@link Simulation#MAJORITY_BOUND_MS}.
     */
    static void checkSettled(Simulation sim) {
        List<Set<Integer>> groups = groups(sim.settled);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < sim.n; i++) {
            all.add(i);
        }
        boolean someQuorate = false;
        boolean led = false;
        for (Set<Integer> g : groups) {
            int any = g.iterator().next();
            Set<Integer> others = new TreeSet<>(g);
            others.remove(any);
            boolean quorate = Quorum.allows(any, all, others, sim.lockMode);
            someQuorate |= quorate;
            for (int pnn : g) {
                SimNode nd = sim.nodes[pnn];
                if (!quorate && sim.isLeaderActing(nd)) {
                    sim.minorityActedUntil = sim.now;
                    if (sim.now - sim.settledAt > minorityStepDownBoundMs()) {
                        sim.fail("node " + pnn + " still leads " + (sim.now - sim.settledAt) + " ms into a partition"
                                + " in which its side " + g + " has no quorum");
                    }
                }
            }
            if (quorate && sideLed(sim, g)) {
                led = true;
                if (sim.ipServedAt < 0 && sim.ip.allServedBy(g)) {
                    sim.ipServedAt = sim.now;
                }
            }
        }
        if (led && sim.majorityLedAt < 0) {
            sim.majorityLedAt = sim.now;
        }
        if (someQuorate && sim.ipServedAt < 0 && sim.now - sim.settledAt > Simulation.MAJORITY_SERVES_BOUND_MS) {
            sim.fail("the side with quorum does not serve every address " + Simulation.MAJORITY_SERVES_BOUND_MS
                    + " ms into partition " + groups);
        }
        if (someQuorate && sim.majorityLedAt < 0 && sim.now - sim.settledAt > Simulation.MAJORITY_BOUND_MS) {
            sim.fail("no leader on the side with quorum " + Simulation.MAJORITY_BOUND_MS + " ms into partition "
                    + groups + ": " + sim.statuses());
        }
    }

    private static List<Set<Integer>> groups(int[] of) {
        List<Set<Integer>> out = new ArrayList<>();
        for (int g = 0; g <= 3; g++) {
            Set<Integer> members = new TreeSet<>();
            for (int i = 0; i < of.length; i++) {
                if (of[i] == g) {
                    members.add(i);
                }
            }
            if (!members.isEmpty()) {
                out.add(members);
            }
        }
        return out;
    }

    /** One acting leader in {@code g}, holding the lock, recovered, followed by all of {@code g} in NORMAL. */
    private static boolean sideLed(Simulation sim, Set<Integer> g) {
        LeaderStatus leader = null;
        for (int pnn : g) {
            SimNode nd = sim.nodes[pnn];
            if (!nd.alive || nd.paused) {
                return false;
            }
            LeaderStatus s = nd.core.status();
            if (s.role() == Role.LEADER) {
                leader = s;
            }
        }
        if (leader == null || leader.recoveryInProgress()) {
            return false;
        }
        if (sim.lockMode && sim.lock.heldInode(sim.nodes[leader.pnn()].holder()) != sim.lock.currentInode()) {
            return false;
        }
        for (int pnn : g) {
            LeaderStatus s = sim.nodes[pnn].core.status();
            if (s.leader() != leader.pnn()
                    || s.appliedGeneration() != leader.leadingGeneration()
                    || s.recoveryMode() != RecoveryMode.NORMAL) {
                return false;
            }
        }
        return true;
    }

    /** No node acts as leader without holding the lock (on the current file, or on one whose loss it cannot yet know). */
    private static void checkHoldsLock(Simulation sim, SimNode nd) {
        int inode = sim.lock.heldInode(nd.holder());
        if (inode < 0 || nd.helper != SimNode.Helper.HELD) {
            sim.fail("node " + nd.pnn + " acts as leader without holding the cluster lock");
        }
        if (inode == sim.lock.currentInode()) {
            nd.staleSince = -1;
            nd.staleMs = 0;
            return;
        }
        sim.staleLeaderAt = sim.now; // the documented overlap: see IpSim.check
        // Count only time in which the helper could have noticed: running and storage answering.
        if (nd.staleSince >= 0 && !sim.lock.hung()) {
            nd.staleMs += sim.now - nd.staleSince;
        }
        nd.staleSince = sim.now;
        long stale = nd.staleMs;
        sim.maxStaleMs = Math.max(sim.maxStaleMs, stale);
        if (stale > Simulation.RECHECK_MS + Simulation.TICK_MS) {
            sim.fail("node " + nd.pnn + " led for " + stale + " ms on a replaced lock file");
        }
    }

    static boolean converged(Simulation sim) {
        LeaderStatus leader = null;
        for (SimNode nd : sim.nodes) {
            if (!nd.alive || nd.paused) {
                return false;
            }
            LeaderStatus s = nd.core.status();
            if (s.role() == Role.LEADER) {
                if (leader != null) {
                    return false;
                }
                leader = s;
            }
        }
        if (leader == null || leader.recoveryInProgress()) {
            return false;
        }
        if (sim.lockMode) {
            SimNode ln = sim.nodes[leader.pnn()];
            if (sim.lock.heldInode(ln.holder()) != sim.lock.currentInode()) {
                return false;
            }
        } else if (leader.pnn() != lowestCapable(sim)) {
            return false;
        }
        for (SimNode nd : sim.nodes) {
            LeaderStatus s = nd.core.status();
            if (s.leader() != leader.pnn()
                    || s.appliedGeneration() != leader.leadingGeneration()
                    || s.recoveryMode() != RecoveryMode.NORMAL
                    || s.vnnMap().size() != sim.n) {
                return false;
            }
        }
        Set<Integer> everyone = new TreeSet<>();
        for (int i = 0; i < sim.n; i++) {
            everyone.add(i);
        }
        return sim.ip.allServedBy(everyone);
    }

    private static int lowestCapable(Simulation sim) {
        for (SimNode nd : sim.nodes) {
            if (nd.capable) {
                return nd.pnn;
            }
        }
        return -1;
    }
}

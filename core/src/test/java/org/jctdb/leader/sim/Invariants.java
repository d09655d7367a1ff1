package org.jctdb.leader.sim;

import org.jctdb.leader.Generation;
import org.jctdb.leader.LeaderStatus;
import org.jctdb.leader.RecoveryMode;
import org.jctdb.leader.Role;

/** The properties every step of every schedule must keep, and what "converged" means. */
final class Invariants {
    private Invariants() {}

    static void check(Simulation sim) {
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
            }
        }
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
        return true;
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

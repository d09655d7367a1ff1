package org.jctdb.leader.sim;

import org.jctdb.leader.LockResult;

/**
 * What a lock helper process does, on the lock model: one non-blocking attempt with an acquire
 * deadline, then a re-check every {@link Simulation#RECHECK_MS} with exactly one re-check in
 * flight; UNRESPONSIVE when it hangs past its deadline, LOST when the inode changed.
 */
final class HelperModel {
    private final Simulation sim;
    private final SimNode nd;

    HelperModel(Simulation sim, SimNode nd) {
        this.sim = sim;
        this.nd = nd;
    }

    void acquire() {
        if (nd.helper == SimNode.Helper.HELD) {
            sim.after(1, () -> sim.deliverLock(nd, LockResult.TAKEN));
            return;
        }
        if (nd.helper == SimNode.Helper.ACQUIRING) {
            return;
        }
        if (nd.hungAttempt) {
            // The previous helper is stuck in the kernel; never start a second one.
            sim.after(1, () -> sim.deliverLock(nd, LockResult.ERROR));
            return;
        }
        nd.helper = SimNode.Helper.ACQUIRING;
        int token = ++nd.helperToken;
        int inc = nd.incarnation;
        if (sim.lock.hung()) {
            nd.hungAttempt = true;
            sim.after(Simulation.ACQUIRE_DEADLINE_MS, () -> {
                if (current(token, inc) && nd.helper == SimNode.Helper.ACQUIRING) {
                    nd.helper = SimNode.Helper.NONE;
                    sim.deliverLock(nd, LockResult.TIMEOUT);
                }
            });
            return;
        }
        sim.after(1 + sim.rnd.nextLong(30), () -> {
            if (!current(token, inc) || nd.helper != SimNode.Helper.ACQUIRING) {
                return;
            }
            if (sim.lock.hung()) {
                nd.hungAttempt = true;
                sim.after(Simulation.ACQUIRE_DEADLINE_MS, () -> {
                    if (current(token, inc) && nd.helper == SimNode.Helper.ACQUIRING) {
                        nd.helper = SimNode.Helper.NONE;
                        sim.deliverLock(nd, LockResult.TIMEOUT);
                    }
                });
                return;
            }
            if (sim.lock.tryLock(nd.holder()) < 0) {
                nd.helper = SimNode.Helper.NONE;
                sim.deliverLock(nd, LockResult.CONTENTION);
            } else {
                nd.helper = SimNode.Helper.HELD;
                sim.deliverLock(nd, LockResult.TAKEN);
                sim.after(Simulation.RECHECK_MS, () -> recheck(token, inc));
            }
        });
    }

    private boolean current(int token, int inc) {
        return nd.alive && nd.incarnation == inc && nd.helperToken == token;
    }

    private void recheck(int token, int inc) {
        if (!current(token, inc) || nd.helper != SimNode.Helper.HELD) {
            return;
        }
        if (nd.paused && !nd.helperPaused && sim.now - nd.lastTickAt >= Simulation.HELPER_STALL_MS) {
            // The daemon alone is stopped: its heartbeats stopped, so the helper gives the lock up and exits.
            sim.trace.add(sim.now, nd.pnn, "helper: no heartbeat for " + (sim.now - nd.lastTickAt) + " ms; releasing");
            sim.killHelper(nd);
            sim.deliverLock(nd, LockResult.LOST);
            return;
        }
        if (nd.paused) { // a VM freeze stops the helper too; a stopped daemon's helper is modelled checking the
            // heartbeat only
            sim.after(Simulation.TICK_MS, () -> recheck(token, inc));
            return;
        }
        if (sim.lock.hung()) {
            if (nd.recheckHangSince < 0) {
                nd.recheckHangSince = sim.now;
            }
            if (!nd.unresponsiveReported && sim.now - nd.recheckHangSince >= Simulation.RECHECK_TIMEOUT_MS) {
                nd.unresponsiveReported = true;
                sim.deliverLock(nd, LockResult.UNRESPONSIVE);
            }
            sim.after(Simulation.TICK_MS, () -> recheck(token, inc)); // the same probe, still waiting
            return;
        }
        nd.recheckHangSince = -1;
        if (nd.unresponsiveReported) {
            nd.unresponsiveReported = false;
            sim.deliverLock(nd, LockResult.RESPONSIVE_AGAIN);
        }
        if (sim.lock.heldInode(nd.holder()) != sim.lock.currentInode()) {
            sim.killHelper(nd); // the helper exits; its lock on the old inode goes with it
            sim.deliverLock(nd, LockResult.LOST);
            return;
        }
        sim.after(Simulation.RECHECK_MS, () -> recheck(token, inc));
    }
}

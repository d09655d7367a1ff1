package org.jctdb.lock;

import org.jctdb.leader.LockResult;

/**
 * Receives what a {@link ClusterLock} observes. Called from the backend's own threads: an
 * implementation must not block; the daemon hands the result to its decider thread's queue
 * and feeds it to {@code LeaderCore.onLockResult}, ahead of other queued inputs.
 */
@FunctionalInterface
public interface LockListener {
    /**
     * @param result what happened
     * @param detail one line for the log: helper, pid, exit status, what it printed
     */
    void onLockResult(LockResult result, String detail);
}

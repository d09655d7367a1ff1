package org.jctdb.lock;

import org.jctdb.leader.LockLease;
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

    /**
     * A lease-based lock (etcd, ZooKeeper) reports TAKEN with its fencing token and lease
     * deadline through this; the default drops the lease.
     */
    default void onLockTaken(String detail, LockLease lease) {
        onLockResult(LockResult.TAKEN, detail);
    }

    /** A lease-based lock confirmed a renewal of the held lease; the default ignores it. */
    default void onLeaseRenewed(LockLease lease) {}

    /**
     * A check that the held lock is still ours (a lease renewal) answered after {@code millis},
     * for the lock latency metric; the default ignores it.
     */
    default void onLockChecked(long millis) {}
}

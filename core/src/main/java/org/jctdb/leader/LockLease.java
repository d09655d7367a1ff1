package org.jctdb.leader;

/**
 * What a lease-based cluster lock (etcd, ZooKeeper) tells the core besides TAKEN: its fencing
 * token and until when, by this node's monotonic clock, the holder may act as leader.
 *
 * @param token          strictly larger for every later holder of the lock (etcd create
 *                       revision, ZooKeeper sequence number); folded into the generation
 * @param actUntilMillis monotonic time ({@code Ticker}) after which the lease may have expired at
 *                       the service, minus the backend's safety margin; the leader stops acting
 *                       at this instant unless a renewal moves it
 */
public record LockLease(long token, long actUntilMillis) {
    public LockLease {
        if (token <= 0 || token > Generation.MAX_TOKEN) {
            throw new IllegalArgumentException("fencing token out of range 1.." + Generation.MAX_TOKEN + ": " + token);
        }
    }
}

package org.jctdb.lock;

/**
 * A cluster-wide mutex whose holder is the leader. Implementations never block the caller and
 * never hold the lock in a thread of the daemon: the fcntl and helper backends keep it in a
 * child process. Every outcome reaches the {@link LockListener} given at construction:
 * one of TAKEN / CONTENTION / TIMEOUT / ERROR per {@link #acquire()} call, and later LOST,
 * UNRESPONSIVE or RESPONSIVE_AGAIN while held. An etcd or ZooKeeper backend implements this
 * same interface.
 */
public interface ClusterLock extends AutoCloseable {

    /** Starts one attempt; at most one is in flight, a second call while one is pending is ignored. */
    void acquire();

    /** Releases the lock or cancels the attempt in flight; idempotent; no result is reported for it. */
    void release();

    /**
     * The daemon's decider is alive (called every leader tick). A backend whose holder outlives a
     * stopped daemon (our fcntl helper, a separate process) gives the lock up when these stop for
     * its bound; the others need nothing (a lease expires by itself). Never blocks for long.
     */
    default void heartbeat() {}

    /** What this lock is, for logs and status (e.g. "fcntl lock on /clusterfs/.ctdb/reclock"). */
    String description();

    /** Releases and stops; later calls report ERROR. */
    @Override
    void close();
}

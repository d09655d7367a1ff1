package org.jctdb.leader;

/**
 * What is wrong with the cluster lock as this node sees it, for `jctdb status` and `jctdb health`:
 * since when (the core's clock) and what this node did about it. Cleared when the lock answers again
 * (taken, held by another node, a renewal or re-check answers) or this node follows a leader.
 *
 * @param state   the trouble now
 * @param since   core time the trouble began (kept while it changes form, e.g. LOST then UNAVAILABLE)
 * @param action  what this node did, in words
 */
public record LockTrouble(State state, long since, String action) {
    public enum State {
        /** This node holds the lock, but its renewals (etcd, ZooKeeper) or re-checks (fcntl) do not answer. */
        UNRESPONSIVE,
        /** This node held the lock and lost it (the lease ran out, or the backend reported it lost). */
        LOST,
        /** This node's attempts to take the lock fail (TIMEOUT or ERROR): the lock's service or storage is out of reach. */
        UNAVAILABLE
    }

    /** The same trouble, now in {@code next} form, with {@code action} (or the old one if null); since is kept. */
    LockTrouble becomes(State next, String newAction) {
        return new LockTrouble(next, since, newAction != null ? newAction : action);
    }
}

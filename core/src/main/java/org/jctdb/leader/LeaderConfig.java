package org.jctdb.leader;

import java.util.List;

/**
 * Static settings of one node's leader core. Times in milliseconds.
 *
 * @param pnn                 this node's number
 * @param nodes               every node number in the nodes file
 * @param leaderCapable       ctdb.conf [cluster] leader capability
 * @param lockConfigured      whether a cluster lock is configured; without one the fallback rule elects
 * @param leaderTimeoutMs     ctdb.conf [cluster] leader timeout: silence before an election
 * @param announceIntervalMs  how often the leader announces itself
 * @param lockRetryMs         wait after CONTENTION before trying again
 * @param lockBackoffMaxMs    cap of the backoff after TIMEOUT / ERROR
 * @param lockResultDeadlineMs how long to wait for any answer to TakeLock before giving up on it
 * @param recoveryTimeoutMs   a recovery step not acknowledged within this is abandoned and retried
 * @param rerecoveryTimeoutMs CTDB's RerecoveryTimeout: quiet time after a successful recovery
 * @param databaseRecovery    whether a recovery has a database step between START and FINISH
 *                            ({@link Effect.RecoverDatabases}, answered by {@code LeaderCore.onDatabasesRecovered})
 */
public record LeaderConfig(
        int pnn,
        List<Integer> nodes,
        boolean leaderCapable,
        boolean lockConfigured,
        long leaderTimeoutMs,
        long announceIntervalMs,
        long lockRetryMs,
        long lockBackoffMaxMs,
        long lockResultDeadlineMs,
        long recoveryTimeoutMs,
        long rerecoveryTimeoutMs,
        boolean databaseRecovery) {

    public LeaderConfig {
        nodes = List.copyOf(nodes);
        if (!nodes.contains(pnn)) {
            throw new IllegalArgumentException("pnn " + pnn + " is not in the node list " + nodes);
        }
        if (announceIntervalMs <= 0 || leaderTimeoutMs <= 2 * announceIntervalMs) {
            throw new IllegalArgumentException("leader timeout (" + leaderTimeoutMs
                    + " ms) must exceed two announce intervals (" + announceIntervalMs + " ms)");
        }
    }

    /**
     * The quorum rule's patience, in announcements: a leader that has sent this many
     * announcements in a row without an answer ({@code follow}) from a peer no longer counts that
     * peer as reached. Chosen so that a leader cut off from the majority gives up the lock (at
     * {@link #quorumWindowMs()}) at least one announce interval before the others start an
     * election ({@code leader timeout} after the last announcement they heard): 3 with CTDB's
     * defaults, at least 2 so that one lost message never makes a leader step down.
     */
    public int quorumAnnouncements() {
        return (int) Math.max(2, (leaderTimeoutMs - 2 * announceIntervalMs) / announceIntervalMs);
    }

    /**
     * How long a node's silence (no message of any kind) lasts before it no longer counts as
     * reachable for an election, a recovery's members or the no-lock rule; also how long a
     * leader goes unanswered before it no longer counts a peer (3 s with CTDB's defaults).
     * A node that hears no leader broadcasts a {@code candidate} message each announce interval,
     * and followers answer every announcement, so a live peer is heard several times within it.
     */
    public long quorumWindowMs() {
        return quorumAnnouncements() * announceIntervalMs;
    }

    /** Test defaults: leader timeout 5 s, announce every 1 s, recovery timeout 120 s (the daemon takes RecoverTimeout, 30 s), RerecoveryTimeout 10 s. */
    public static LeaderConfig defaults(int pnn, List<Integer> nodes, boolean leaderCapable, boolean lockConfigured) {
        return new LeaderConfig(
                pnn, nodes, leaderCapable, lockConfigured, 5_000, 1_000, 1_000, 10_000, 60_000, 120_000, 10_000, false);
    }

    public LeaderConfig withLeaderTimeoutMs(long ms) {
        return new LeaderConfig(
                pnn,
                nodes,
                leaderCapable,
                lockConfigured,
                ms,
                announceIntervalMs,
                lockRetryMs,
                lockBackoffMaxMs,
                lockResultDeadlineMs,
                recoveryTimeoutMs,
                rerecoveryTimeoutMs,
                databaseRecovery);
    }

    /** The same settings with another list of configured, not-deleted nodes (reloadnodes). */
    public LeaderConfig withNodes(List<Integer> configured) {
        return new LeaderConfig(
                pnn,
                configured,
                leaderCapable,
                lockConfigured,
                leaderTimeoutMs,
                announceIntervalMs,
                lockRetryMs,
                lockBackoffMaxMs,
                lockResultDeadlineMs,
                recoveryTimeoutMs,
                rerecoveryTimeoutMs,
                databaseRecovery);
    }

    public LeaderConfig withRecoveryTimeouts(long recoveryMs, long rerecoveryMs) {
        return new LeaderConfig(
                pnn,
                nodes,
                leaderCapable,
                lockConfigured,
                leaderTimeoutMs,
                announceIntervalMs,
                lockRetryMs,
                lockBackoffMaxMs,
                lockResultDeadlineMs,
                recoveryMs,
                rerecoveryMs,
                databaseRecovery);
    }

    /** With a database step in every recovery (the daemon's database recovery, CTDB's recovery helper). */
    public LeaderConfig withDatabaseRecovery(boolean on) {
        return new LeaderConfig(
                pnn,
                nodes,
                leaderCapable,
                lockConfigured,
                leaderTimeoutMs,
                announceIntervalMs,
                lockRetryMs,
                lockBackoffMaxMs,
                lockResultDeadlineMs,
                recoveryTimeoutMs,
                rerecoveryTimeoutMs,
                on);
    }
}

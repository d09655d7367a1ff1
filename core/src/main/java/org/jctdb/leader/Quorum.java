package org.jctdb.leader;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;

/**
 * The quorum rule (docs/design/leader-and-lock.md, "Quorum"): a node may stand for leader, and a
 * leader may go on leading, only while it reaches a majority of the configured, not-deleted nodes,
 * counting itself. Exactly half is a tie: with a cluster lock the lock decides (whoever holds it,
 * or gets it, leads; the other half cannot take it); without one, the half that holds the
 * lowest-numbered configured node leads. Pure.
 */
public final class Quorum {
    private Quorum() {}

    /**
     * @param me             this node
     * @param configured     every configured, not-deleted node, this one included
     * @param reached        the peers this node reaches now (may contain unconfigured ones, ignored)
     * @param lockConfigured whether a cluster lock breaks ties
     */
    public static boolean allows(int me, Collection<Integer> configured, Set<Integer> reached, boolean lockConfigured) {
        int count = configured.contains(me) ? 1 : 0;
        for (int p : reached) {
            if (p != me && configured.contains(p)) {
                count++;
            }
        }
        int total = configured.size();
        if (2 * count != total) {
            return isMajority(count, total);
        }
        if (lockConfigured) {
            return true;
        }
        int lowest = Collections.min(configured);
        return me == lowest || reached.contains(lowest);
    }

    /** Whether {@code count} of {@code total} nodes is a strict majority. */
    public static boolean isMajority(int count, int total) {
        return 2 * count > total;
    }

    /**
     * Whether {@code count} of {@code total} nodes is at least half: such a set shares a node with
     * every strict majority (the IP leader's bound half against a round of vouches).
     */
    public static boolean isAtLeastHalf(int count, int total) {
        return 2 * count >= total;
    }

    /** The number of nodes that make a strict majority of {@code configured}. */
    public static int majority(Collection<Integer> configured) {
        return configured.size() / 2 + 1;
    }
}

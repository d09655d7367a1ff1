package org.jctdb.database.vacuum;

import java.util.Optional;
import org.jctdb.database.migration.LocalRecord;

/**
 * The decisions of vacuuming (CTDB's ctdb_vacuum.c, simplified): which emptied records of a volatile
 * database a node deletes, hands to their location master, or leaves; whether another node may drop its
 * copy when asked (TRY_DELETE_RECORDS); and whether the location master may finally delete its own.
 *
 * <p>Safety: a record is deleted only by the node that is both its location master and its data master,
 * only when its copy is empty, only after every other active node dropped its copy (a node refuses when it
 * is data master itself or holds a higher rsn), and only when, re-read under the chain lock, the copy is
 * still the one offered (same rsn, still data master, still empty). Every migration of the record passes
 * through the data master's chain lock and raises the rsn or moves the data master, so a record that
 * changed after the offer is never deleted. A deleted record reads as CTDB's initial one (rsn 0, dmaster =
 * location master), which is what every node then assumes.
 */
public final class VacuumRules {
    private VacuumRules() {}

    /** What a node does with an empty record it found (in its delete queue or a full traverse). */
    public enum Plan {
        /** This node is location master and data master: offer it to the others, then delete it. */
        DELETE_HERE,
        /** Data master but not location master: hand it to the location master (CTDB's VACUUM_FETCH). */
        HAND_TO_LMASTER,
        /** Not empty, not data master, or gone: nothing to do. */
        SKIP
    }

    public static Plan plan(int me, int lmaster, Optional<LocalRecord> copy) {
        if (copy.isEmpty() || !copy.get().isEmpty() || copy.get().header().dmaster() != me) {
            return Plan.SKIP;
        }
        return lmaster == me ? Plan.DELETE_HERE : Plan.HAND_TO_LMASTER;
    }

    /**
     * TRY_DELETE_RECORDS on another node: may it drop its copy of a record the location master offers at
     * {@code offeredRsn} in generation {@code offerGeneration}? Only when this node serves the same generation
     * (rsns of different generations do not compare: a recovery may have restarted the record; found by the
     * simulator, a node cut off in an older generation offering records the others had recreated), and it has
     * no copy or a stale one (not data master, rsn not higher); its data does not matter, a stale copy is
     * never served.
     */
    public static boolean mayDropCopy(
            int me, long myGeneration, long offerGeneration, long offeredRsn, Optional<LocalRecord> copy) {
        if (myGeneration != offerGeneration) {
            return false;
        }
        if (copy.isEmpty()) {
            return true;
        }
        return copy.get().header().dmaster() != me && copy.get().header().rsn() <= offeredRsn;
    }

    /**
     * The location master's last check, under the chain lock: delete when every other active node dropped
     * its copy and this node's copy is still the offered one, empty, with this node as data master.
     */
    public static boolean mayDelete(int me, long offeredRsn, boolean everyNodeDropped, Optional<LocalRecord> copyNow) {
        if (!everyNodeDropped || copyNow.isEmpty()) {
            return false;
        }
        LocalRecord c = copyNow.get();
        return c.isEmpty() && c.header().dmaster() == me && c.header().rsn() == offeredRsn;
    }
}

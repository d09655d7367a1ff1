package org.jctdb.database;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CTDB's sequence-number propagation (ctdb_ltdb_seqnum_check): every SeqnumInterval a node reads the TDB
 * change counter of each database a client enabled it on, and tells every active node (UPDATE_SEQNUM) about
 * the databases whose counter moved since the last look. A node that raises its counter because another
 * node said so records the new value as seen, so the change does not bounce back. One owner thread.
 */
public final class SeqnumWatch {
    private final Map<DbId, Integer> seen = new HashMap<>();

    /** The databases whose counter moved since the last call (a database seen for the first time has not). */
    public List<DbId> changed(Map<DbId, Integer> now) {
        List<DbId> out = new ArrayList<>();
        now.forEach((db, n) -> {
            Integer before = seen.put(db, n);
            if (before != null && before.intValue() != n) {
                out.add(db);
            }
        });
        out.sort((a, b) -> Integer.compareUnsigned(a.value(), b.value()));
        return out;
    }

    /** The counter after this node raised it for another node's change: not a change of its own. */
    public void raised(DbId db, int now) {
        seen.put(db, now);
    }
}

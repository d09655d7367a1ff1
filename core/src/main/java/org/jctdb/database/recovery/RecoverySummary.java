package org.jctdb.database.recovery;

import java.util.List;
import java.util.Map;
import org.jctdb.database.DbId;

/**
 * The outcome of one completed recovery: what was pushed per database, which members' volatile
 * copies were trusted, which node each persistent database came from, and equal-rsn conflicts seen.
 */
public record RecoverySummary(
        long generation,
        List<Integer> members,
        List<Integer> trustedVolatile,
        Map<DbId, Integer> persistentFrom,
        List<DatabaseContent> pushed,
        int conflicts,
        long tookMs) {

    public RecoverySummary {
        members = List.copyOf(members);
        trustedVolatile = List.copyOf(trustedVolatile);
        persistentFrom = Map.copyOf(persistentFrom);
        pushed = List.copyOf(pushed);
    }
}

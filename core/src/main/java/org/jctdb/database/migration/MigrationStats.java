package org.jctdb.database.migration;

/** Counters of one node's {@link MigrationCore}, for status output and the simulator. */
public record MigrationStats(
        long answeredLocally,
        long migratedIn,
        long migratedOut,
        long redirects,
        long busyWaits,
        long staleDropped,
        long hopLimitHits,
        int maxHops) {}

package org.jctdb.database.sim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeds that once broke an invariant; each must pass forever.
 * 49: a node cut off in the old generation and the leader both held a record as dmaster; the copies a
 * recovery pushed but never thawed were trusted like served ones (fix: trust the newest push's lineage).
 * 14: a call reached a node of the new generation just before its own thaw and was dropped for good
 * (fix: keep messages of a newer generation until the thaw).
 * 296: a node back with a higher but abandoned persistent seqnum overwrote commits acknowledged since
 * (fix: persistent copies from the newest push's lineage only).
 * 1003982: the same through a push whose recovery was abandoned before the thaw.
 */
class DbSimulationRegressionTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {49L, 14L, 296L, 1003982L})
    void seedStillPasses(long seed) {
        new DbSimulation(seed, true).run();
    }
}

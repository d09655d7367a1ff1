package org.jctdb.database.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The database simulator with vacuuming on: clients also delete records and every node vacuums every
 * 100 ms (virtual) under the same crashes, partitions and recoveries; every invariant of
 * {@link DbSimulationTest} holds, and no vacuum deletion leaves a newer or data-master copy behind
 * ({@link SimVacuum}). -Djctdb.dbsim.vacuum.schedules=N and -Djctdb.dbsim.seed=S as there.
 */
class DbVacuumSimulationTest {

    /**
     * Found by this simulator: a node cut off in an older generation offered a record to a node that had
     * recreated it in the new generation at a lower rsn, which dropped its copy (fixed: TRY_DELETE_RECORDS
     * carries the generation and a node of another generation keeps its copies).
     */
    @Test
    void regressionSeeds() {
        for (long seed : new long[] {1796591838135L}) {
            new DbSimulation(seed, true, true).run();
        }
    }

    @Test
    void vacuumingUnderFaultsKeepsEveryInvariant() {
        int schedules = Integer.getInteger("jctdb.dbsim.vacuum.schedules", 3_000);
        long base = Long.getLong("jctdb.dbsim.seed", System.currentTimeMillis());
        System.out.println("vacuum simulation: " + schedules + " schedules from base seed " + base);
        long start = System.nanoTime();
        long deletes = 0;
        long offered = 0;
        long handedOver = 0;
        long recoveries = 0;
        for (int i = 0; i < schedules; i++) {
            long seed = base + i;
            DbSimulation sim = DbSimulation.runChecked(seed, true);
            deletes += sim.vacuum.deletes;
            offered += sim.vacuum.offered;
            handedOver += sim.vacuum.handedOver;
            recoveries += sim.recoveries;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "vacuum simulation: %d schedules in %.1f s; %d records handed to their lmaster, %d offered for"
                        + " deletion, %d deleted; %d recoveries%n",
                schedules, secs, handedOver, offered, deletes, recoveries);
        assertThat(deletes).as("the schedules exercised vacuuming").isPositive();
        assertThat(handedOver).as("and the hand-over to the lmaster").isPositive();
    }
}

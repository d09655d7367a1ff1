package org.jctdb.database.sim;

import org.junit.jupiter.api.Test;

/**
 * Many seeded schedules of record migration and database recovery. A failure names its seed and
 * re-runs it traced; add the seed to {@link DbSimulationRegressionTest}. -Djctdb.dbsim.schedules=N
 * and -Djctdb.dbsim.seed=S run more or other schedules.
 */
class DbSimulationTest {

    @Test
    void randomSchedulesKeepOneDataMasterAndLoseNoAcknowledgedCommit() {
        int schedules = Integer.getInteger("jctdb.dbsim.schedules", 10_000);
        long base = Long.getLong("jctdb.dbsim.seed", System.currentTimeMillis());
        System.out.println("database simulation: " + schedules + " schedules from base seed " + base);
        long start = System.nanoTime();
        long recoveries = 0;
        long aborted = 0;
        long ops = 0;
        long writes = 0;
        long commits = 0;
        long lostAbsent = 0;
        int maxHops = 0;
        long maxRecovery = 0;
        long maxSettle = 0;
        for (int i = 0; i < schedules; i++) {
            long seed = base + i;
            DbSimulation sim = DbSimulation.runChecked(seed, false);
            recoveries += sim.recoveries;
            aborted += sim.aborted;
            ops += sim.clientOps;
            writes += sim.volatileWrites;
            commits += sim.ackedTotal;
            lostAbsent += sim.commitsLostWithAllHolders;
            maxHops = Math.max(maxHops, sim.maxHops);
            maxRecovery = Math.max(maxRecovery, sim.maxRecoveryMs);
            maxSettle = Math.max(maxSettle, sim.finishedAt - sim.healAt);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "database simulation: %d schedules in %.1f s = %.0f schedules/s; %d recoveries (%d aborted),"
                        + " %d client operations, %d volatile writes, %d acknowledged commits (%d gone with every node holding them); max hops %d, slowest recovery"
                        + " %d ms (virtual), quiet %d ms after the faults stopped at the latest%n",
                schedules,
                secs,
                schedules / secs,
                recoveries,
                aborted,
                ops,
                writes,
                commits,
                lostAbsent,
                maxHops,
                maxRecovery,
                maxSettle);
    }
}

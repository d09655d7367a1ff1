package org.jctdb.leader.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Many random schedules of the real leader core. Each schedule is reproducible from its seed:
 * a failure prints the seed and the last steps; add the seed to {@link LeaderSimulationRegressionTest}.
 * Set -Djctdb.sim.schedules=N / -Djctdb.sim.seed=S to run more or other schedules.
 */
class LeaderSimulationTest {

    @Test
    void randomSchedulesKeepSafetyAndElectOneLeader() {
        int schedules = Integer.getInteger("jctdb.sim.schedules", 10_000);
        long base = Long.getLong("jctdb.sim.seed", System.currentTimeMillis());
        System.out.println("leader simulation: " + schedules + " schedules from base seed " + base
                + " (seed of schedule i = base + i)");
        long start = System.nanoTime();
        long maxConverge = 0;
        long maxStale = 0;
        int lockSchedules = 0;
        for (int i = 0; i < schedules; i++) {
            long seed = base + i;
            Simulation sim = new Simulation(seed, false);
            try {
                sim.run();
            } catch (AssertionError e) {
                Simulation traced = new Simulation(seed, true);
                try {
                    traced.run();
                } catch (AssertionError detailed) {
                    throw detailed;
                }
                throw e;
            }
            maxConverge = Math.max(maxConverge, sim.convergedAt - sim.healAt);
            maxStale = Math.max(maxStale, sim.maxStaleMs);
            lockSchedules += sim.lockMode ? 1 : 0;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "leader simulation: %d schedules (%d with a cluster lock) in %.1f s = %.0f schedules/s;"
                        + " slowest convergence after faults stopped %d ms; longest lead on a replaced lock file %d ms%n",
                schedules, lockSchedules, secs, schedules / secs, maxConverge, maxStale);
        assertThat(maxConverge).isLessThanOrEqualTo(Simulation.LIVENESS_BOUND_MS);
    }
}

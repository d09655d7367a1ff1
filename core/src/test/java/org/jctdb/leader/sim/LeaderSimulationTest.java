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
        int settledSchedules = 0;
        int overlapNoLock = 0;
        int overlapStaleLock = 0;
        int staleLockSchedules = 0;
        long maxMajorityLed = 0;
        java.util.List<Long> majorityLed = new java.util.ArrayList<>();
        java.util.List<Long> majorityServed = new java.util.ArrayList<>();
        long maxMinorityActed = 0;
        int stalledLeaders = 0;
        long darkMs = 0;
        int darkSchedules = 0;
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
            maxConverge = Math.max(maxConverge, sim.convergedAt - sim.finalHealAt);
            maxStale = Math.max(maxStale, sim.maxStaleMs);
            lockSchedules += sim.lockMode ? 1 : 0;
            stalledLeaders += sim.stalledLeaders;
            darkMs += sim.ip.darkMs;
            darkSchedules += sim.ip.darkMs > 0 ? 1 : 0;
            overlapNoLock += sim.ip.overlapWithoutLock ? 1 : 0;
            overlapStaleLock += sim.ip.overlapWithStaleLock ? 1 : 0;
            staleLockSchedules += sim.lockMode && sim.staleLeaderAt >= 0 ? 1 : 0;
            if (sim.settledAt >= 0) {
                settledSchedules++;
                if (sim.majorityLedAt >= 0) {
                    maxMajorityLed = Math.max(maxMajorityLed, sim.majorityLedAt - sim.settledAt);
                    majorityLed.add(sim.majorityLedAt - sim.settledAt);
                    if (sim.ipServedAt >= 0) {
                        majorityServed.add(sim.ipServedAt - sim.settledAt);
                    }
                }
                if (sim.minorityActedUntil >= 0) {
                    maxMinorityActed = Math.max(maxMinorityActed, sim.minorityActedUntil - sim.settledAt);
                }
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "leader simulation: %d schedules (%d with a cluster lock) in %.1f s = %.0f schedules/s;"
                        + " slowest convergence after faults stopped %d ms; longest lead on a replaced lock file %d ms%n",
                schedules, lockSchedules, secs, schedules / secs, maxConverge, maxStale);
        java.util.Collections.sort(majorityLed);
        java.util.Collections.sort(majorityServed);
        System.out.printf(
                "leader simulation: %d schedules ended in a settled partition: side with quorum led after"
                        + " median %d ms, 99th percentile %d ms, at most %d ms (bound %d); a leader without quorum acted at most"
                        + " %d ms into it (bound %d)%n",
                settledSchedules,
                percentile(majorityLed, 50),
                percentile(majorityLed, 99),
                maxMajorityLed,
                Simulation.MAJORITY_BOUND_MS,
                maxMinorityActed,
                Invariants.minorityStepDownBoundMs());
        System.out.printf(
                "leader simulation: with IP takeover (no address on two nodes, checked at every step): the side"
                        + " with quorum served every address after median %d ms, 99th percentile %d ms, at most %d ms (bound %d)%n",
                percentile(majorityServed, 50),
                percentile(majorityServed, 99),
                majorityServed.isEmpty() ? 0 : majorityServed.get(majorityServed.size() - 1),
                Simulation.MAJORITY_SERVES_BOUND_MS);
        System.out.printf(
                "leader simulation: not promised, counted: an address on two nodes in %d of %d schedules"
                        + " without a lock, and in %d of %d lock schedules while a leader on a replaced lock file still acted"
                        + " (the documented overlap)%n",
                overlapNoLock, schedules - lockSchedules, overlapStaleLock, staleLockSchedules);
        System.out.printf(
                "leader simulation: %d leaders resumed after a pause past the leader timeout; none acted in its old"
                        + " generation (checked on every message it sent)%n",
                stalledLeaders);
        System.out.printf(
                "leader simulation: every address down at once in %d of %d schedules, %.1f s per schedule on"
                        + " average (during faults, after all had been served)%n",
                darkSchedules, schedules, darkMs / 1000.0 / schedules);
        assertThat(maxConverge).isLessThanOrEqualTo(Simulation.LIVENESS_BOUND_MS);
    }

    private static long percentile(java.util.List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }
}

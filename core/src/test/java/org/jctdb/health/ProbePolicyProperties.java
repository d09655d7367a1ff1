package org.jctdb.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Invariants of the probe policy over random storage behaviour, tick jitter and settings. */
class ProbePolicyProperties {

    @Property(tries = 300)
    void oneProbeAtATimeAndEdgesOnlyOnChanges(
            @ForAll @LongRange(min = 0, max = 20_000) long hangStart,
            @ForAll @LongRange(min = 0, max = 30_000) long hangLength,
            @ForAll boolean killable,
            @ForAll @LongRange(min = 1, max = 1800) long latency,
            @ForAll @IntRange(min = 100, max = 2000) int interval,
            @ForAll @IntRange(min = 100, max = 4000) int timeout,
            @ForAll @IntRange(min = 1, max = 6) int failCount,
            @ForAll long seed) {
        ProbeSettings s = new ProbeSettings(interval, timeout, failCount, 1000);
        PolicySim sim = new PolicySim(s, new PolicySim.Storage(hangStart, hangStart + hangLength, killable, latency));
        sim.run(60_000, interval / 10, new Random(seed));

        ProbeState last = ProbeState.UNKNOWN;
        boolean lastHealthy = true;
        for (HealthEdge e : sim.edges) {
            if (e instanceof HealthEdge.StateChanged) {
                HealthEdge.StateChanged c = (HealthEdge.StateChanged) e;
                assertThat(c.from()).isEqualTo(last).isNotEqualTo(c.status().state());
                last = c.status().state();
            } else {
                HealthEdge.VerdictChanged v = (HealthEdge.VerdictChanged) e;
                assertThat(v.healthy()).isNotEqualTo(lastHealthy);
                lastHealthy = v.healthy();
            }
        }
        assertThat(last).isEqualTo(sim.policy.status().state());
        for (PolicySim.Sample x : sim.samples) {
            if (x.alive()) {
                assertThat(x.decision().startProbe())
                        .as("started a probe beside a live one at %d", x.time())
                        .isFalse();
            }
            assertThat(x.decision().killProbe() && !x.alive()).isFalse();
            assertThat(x.status().healthy()).isEqualTo(x.status().consecutiveFailures() < failCount);
            if (x.status().state() == ProbeState.OK || x.status().state() == ProbeState.SLOW) {
                assertThat(x.status().consecutiveFailures()).isZero();
            }
        }
        assertThat(sim.kills).isLessThanOrEqualTo(sim.starts);
    }

    @Property(tries = 300)
    void defaultsTurnAHangUnhealthyWithinTenSecondsAndHealAfterIt(
            @ForAll @LongRange(min = 0, max = 20_000) long hangStart,
            @ForAll @LongRange(min = 10_000, max = 60_000) long hangLength,
            @ForAll boolean killable,
            @ForAll @LongRange(min = 1, max = 900) long latency,
            @ForAll long seed) {
        ProbeSettings s = ProbeSettings.defaults();
        long hangEnd = hangStart + hangLength;
        PolicySim sim = new PolicySim(s, new PolicySim.Storage(hangStart, hangEnd, killable, latency));
        sim.run(hangEnd + 10_000, 50, new Random(seed));
        long unhealthy = sim.samples.stream()
                .filter(x -> x.time() >= hangStart && !x.status().healthy())
                .mapToLong(PolicySim.Sample::time)
                .findFirst()
                .orElseThrow();
        assertThat(unhealthy - hangStart).isLessThan(10_000);
        assertThat(sim.samples.stream()
                        .filter(x -> x.time() >= hangStart && x.time() < hangEnd && x.alive())
                        .count())
                .as("probes were running")
                .isPositive();
        long healed = sim.samples.stream()
                .filter(x -> x.time() >= hangEnd
                        && x.status().healthy()
                        && x.status().state() == ProbeState.OK)
                .mapToLong(PolicySim.Sample::time)
                .findFirst()
                .orElseThrow();
        assertThat(healed - hangEnd).isLessThan(3 * s.intervalMs());
        assertThat(sim.samples.stream()
                        .filter(x -> x.time() > healed)
                        .allMatch(x -> x.status().healthy()))
                .isTrue();
    }
}

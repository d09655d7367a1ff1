package org.jctdb.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-path state machine, driven with explicit times (a fake ticker in all but name). */
class ProbePolicyTest {
    /** Settings with easy numbers for the mechanics; the defaults have their own test below. */
    private static final ProbeSettings S = new ProbeSettings(1000, 2000, 3, 1000);

    private static final ProbeSettings DEFAULTS = ProbeSettings.defaults();
    private static final Path P = Path.of("/shared/.ctdb");

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(DEFAULTS).isEqualTo(new ProbeSettings(1500, 3000, 2, 1000));
    }

    @Test
    void aQuickAnswerIsOkWithItsLatency() {
        ProbePolicy p = new ProbePolicy(P, 0);
        assertThat(p.status().state()).isEqualTo(ProbeState.UNKNOWN);
        ProbePolicy.Decision d = p.tick(0, S, false);
        assertThat(d.startProbe()).isTrue();
        assertThat(d.killProbe()).isFalse();
        p.started(0);
        List<HealthEdge> edges = p.answered(7, true, "", S);
        assertThat(edges).containsExactly(new HealthEdge.StateChanged(ProbeState.UNKNOWN, p.status()));
        assertThat(p.status()).isEqualTo(new PathStatus(P, ProbeState.OK, 7, 7, 0, true, ""));
    }

    @Test
    void slowAnswersAreReportedOncePerChange() {
        ProbePolicy p = new ProbePolicy(P, 0);
        p.tick(0, S, false);
        p.started(0);
        assertThat(p.answered(1500, true, "", S)).hasSize(1);
        assertThat(p.status().state()).isEqualTo(ProbeState.SLOW);
        p.tick(2000, S, false);
        p.started(2000);
        assertThat(p.answered(3200, true, "", S)).as("still SLOW: no new edge").isEmpty();
        assertThat(p.status().sinceMillis()).isEqualTo(1500);
        p.tick(4000, S, false);
        p.started(4000);
        List<HealthEdge> back = p.answered(4010, true, "", S);
        assertThat(back).singleElement().isInstanceOf(HealthEdge.StateChanged.class);
        assertThat(((HealthEdge.StateChanged) back.get(0)).from()).isEqualTo(ProbeState.SLOW);
        assertThat(p.status().healthy()).isTrue();
    }

    @Test
    void anUnkillableHangIsKilledOnceNeverDuplicatedAndCountsEveryTick() {
        ProbePolicy p = new ProbePolicy(P, 0);
        p.tick(0, S, false);
        p.started(0);
        ProbePolicy.Decision d1 = p.tick(1000, S, true);
        assertThat(d1.killProbe() || d1.startProbe()).isFalse();
        assertThat(d1.edges()).isEmpty();

        ProbePolicy.Decision d2 = p.tick(2000, S, true);
        assertThat(d2.killProbe()).isTrue();
        assertThat(d2.startProbe()).isFalse();
        assertThat(d2.edges()).singleElement().isInstanceOf(HealthEdge.StateChanged.class);
        assertThat(p.status().state()).isEqualTo(ProbeState.HUNG);
        assertThat(p.status().sinceMillis())
                .as("hung since the unanswered probe started")
                .isZero();
        assertThat(p.status().consecutiveFailures()).isEqualTo(1);
        assertThat(p.currentProbeMissedDeadline()).isTrue();

        ProbePolicy.Decision d3 = p.tick(3000, S, true);
        assertThat(d3.edges()).isEmpty();
        assertThat(p.status().consecutiveFailures()).isEqualTo(2);
        ProbePolicy.Decision d4 = p.tick(4000, S, true);
        assertThat(d4.edges()).containsExactly(new HealthEdge.VerdictChanged(P, false, p.status()));
        for (long t = 5000; t < 60_000; t += 1000) {
            ProbePolicy.Decision d = p.tick(t, S, true);
            assertThat(d.startProbe())
                    .as("no second probe while the first lives")
                    .isFalse();
            assertThat(d.killProbe()).as("killed once").isFalse();
            assertThat(d.edges()).isEmpty();
        }
        // Storage returns: the stuck probe dies of its pending SIGKILL; that late exit counts for nothing.
        assertThat(p.answered(60_500, false, "killed", S)).isEmpty();
        ProbePolicy.Decision next = p.tick(61_000, S, false);
        assertThat(next.startProbe()).isTrue();
        p.started(61_000);
        List<HealthEdge> healed = p.answered(61_004, true, "", S);
        assertThat(healed).hasSize(2);
        assertThat(p.status()).isEqualTo(new PathStatus(P, ProbeState.OK, 61_004, 4, 0, true, ""));
    }

    @Test
    void aKillableHangKeepsOneHungEpisodeAndRestartsTheProbe() {
        ProbePolicy p = new ProbePolicy(P, 0);
        p.tick(0, S, false);
        p.started(0);
        p.tick(1000, S, true);
        assertThat(p.tick(2000, S, true).killProbe()).isTrue();
        p.answered(2250, false, "", S); // died of SIGKILL: ignored
        ProbePolicy.Decision d = p.tick(3000, S, false);
        assertThat(d.startProbe()).isTrue();
        assertThat(p.status().consecutiveFailures()).isEqualTo(2);
        p.started(3000);
        assertThat(p.tick(4000, S, true).edges()).singleElement().isInstanceOf(HealthEdge.VerdictChanged.class);
        ProbePolicy.Decision again = p.tick(5000, S, true);
        assertThat(again.killProbe()).isTrue();
        assertThat(again.edges()).as("still the same HUNG episode").isEmpty();
        assertThat(p.status().sinceMillis()).isZero();
    }

    @Test
    void failedAnswersCountAndTheThirdMakesItUnhealthy() {
        ProbePolicy p = new ProbePolicy(P, 0);
        for (int i = 0; i < 3; i++) {
            long t = i * 1000L;
            assertThat(p.tick(t, S, false).startProbe()).isTrue();
            p.started(t);
            List<HealthEdge> e = p.answered(t + 3, false, "stat: No such file or directory " + i, S);
            if (i == 0) {
                assertThat(e).singleElement().isInstanceOf(HealthEdge.StateChanged.class);
            } else if (i == 1) {
                assertThat(e).isEmpty();
            } else {
                assertThat(e).singleElement().isInstanceOf(HealthEdge.VerdictChanged.class);
            }
        }
        assertThat(p.status().detail()).endsWith("directory 2");
        assertThat(p.status().state()).isEqualTo(ProbeState.FAILED);
        assertThat(p.tick(3000, S, false).edges())
                .as("FAILED does not count per tick")
                .isEmpty();
        assertThat(p.status().consecutiveFailures()).isEqualTo(3);
        ProbePolicy.Decision looser = p.tick(4000, new ProbeSettings(1000, 2000, 5, 1000), false);
        assertThat(looser.edges()).singleElement().isInstanceOf(HealthEdge.VerdictChanged.class);
        assertThat(p.status().healthy()).isTrue();
    }

    @Test
    void aHangFromAnyPhaseMakesItUnhealthyWithinSixSecondsWithDefaults() {
        for (long phase = 0; phase < DEFAULTS.intervalMs(); phase += 25) {
            for (boolean killable : new boolean[] {true, false}) {
                long unhealthyAt = PolicySim.timeToUnhealthy(DEFAULTS, phase, killable);
                assertThat(unhealthyAt - phase)
                        .as("phase %d killable %s", phase, killable)
                        .isLessThanOrEqualTo(DEFAULTS.intervalMs()
                                + DEFAULTS.timeoutMs()
                                + (DEFAULTS.failCount() - 1) * DEFAULTS.intervalMs())
                        .isLessThanOrEqualTo(6_000);
            }
        }
    }
}

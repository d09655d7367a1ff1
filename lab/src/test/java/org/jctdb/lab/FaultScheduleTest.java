package org.jctdb.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {
    private static final List<FaultKind> ALL = Arrays.asList(FaultKind.values());

    private static FaultSchedule.Params params(long seed, int minutes, int nodes, int max) {
        return new FaultSchedule.Params(seed, minutes * 60_000L, nodes, ALL, max, 30_000);
    }

    @Property(tries = 300)
    void sameSeedSameSchedule(@ForAll long seed) {
        assertThat(FaultSchedule.generate(params(seed, 10, 3, 2)))
                .isEqualTo(FaultSchedule.generate(params(seed, 10, 3, 2)));
    }

    @Property(tries = 200)
    void theShortProfileIsTheScheduleOfBefore(@ForAll long seed) {
        FaultSchedule.Params p = params(seed, 10, 3, 2);
        FaultSchedule.Params shortOne =
                new FaultSchedule.Params(seed, 600_000L, 3, ALL, 2, 30_000, FaultProfile.SHORT, 0);
        assertThat(FaultSchedule.generate(shortOne)).isEqualTo(FaultSchedule.generate(p));
    }

    @Property(tries = 200)
    void aLeaderShareOfZeroIsTheScheduleOfBefore(@ForAll long seed) {
        FaultSchedule.Params p = params(seed, 10, 3, 2);
        FaultSchedule.Params none = new FaultSchedule.Params(seed, 600_000L, 3, ALL, 2, 30_000, FaultProfile.SHORT, 0);
        assertThat(FaultSchedule.generate(none)).isEqualTo(FaultSchedule.generate(p));
        assertThat(FaultSchedule.generate(none)).noneMatch(Fault::leader);
    }

    @Property(tries = 200)
    void leaderFaultsAreOfAimableKindsAndOverlapNothing(@ForAll long seed) {
        List<Fault> s = FaultSchedule.generate(
                new FaultSchedule.Params(seed, 60 * 60_000L, 3, ALL, 2, 30_000, FaultProfile.MIXED, 0.5));
        for (Fault f : s) {
            if (f.leader()) {
                assertThat(f.kind().leaderTargetable()).as("%s", f).isTrue();
                assertThat(s).as("faults overlapping %s", f).allMatch(o -> o == f || !o.overlaps(f));
            }
        }
    }

    /**
     * A share of 0.5 aims faults at the leader in nearly every hour-long schedule. Not every one: a
     * leader fault that would overlap another is drawn again and may come out unaimed (random seed
     * 1066 has none), so this counts over fixed seeds instead of asking it of each.
     */
    @Test
    void aHalfShareAimsSomeFaultsAtTheLeaderInNearlyEverySchedule() {
        long aimed = java.util.stream.LongStream.rangeClosed(1, 200)
                .filter(seed -> FaultSchedule.generate(new FaultSchedule.Params(
                                seed, 60 * 60_000L, 3, ALL, 2, 30_000, FaultProfile.MIXED, 0.5))
                        .stream()
                        .anyMatch(Fault::leader))
                .count();
        System.out.println("schedules with a fault aimed at the leader: " + aimed + " of 200");
        assertThat(aimed).isGreaterThanOrEqualTo(190);
    }

    @Test
    void aSplitCutsEveryNodeAndIsNotDrawnUnlessAskedFor() {
        assertThat(FaultKind.defaults(false)).doesNotContain(FaultKind.SPLIT);
        assertThat(FaultKind.defaults(true)).doesNotContain(FaultKind.SPLIT);
        assertThat(FaultKind.applicable(false)).contains(FaultKind.SPLIT);
        List<Fault> s =
                FaultSchedule.generate(new FaultSchedule.Params(5, 600_000, 3, List.of(FaultKind.SPLIT), 2, 30_000));
        assertThat(s).isNotEmpty().allMatch(f -> f.nodes().equals(List.of(0, 1, 2)));
        assertThat(FaultSchedule.maxActive(s)).isEqualTo(1);
    }

    @Property(tries = 200)
    void longAndMixedProfilesDrawTheirDurations(@ForAll long seed) {
        for (FaultProfile profile : List.of(FaultProfile.LONG, FaultProfile.MIXED)) {
            List<Fault> s =
                    FaultSchedule.generate(new FaultSchedule.Params(seed, 60 * 60_000L, 3, ALL, 2, 30_000, profile, 0));
            assertThat(FaultSchedule.maxActive(s)).isLessThanOrEqualTo(2);
            for (Fault f : s) {
                long d = f.endMs() - f.startMs();
                if (!f.kind().lasting()) {
                    assertThat(d).isZero();
                } else if (profile == FaultProfile.LONG) {
                    assertThat(d).isBetween(30_000L, 180_000L);
                } else {
                    assertThat(d)
                            .matches(x -> x >= 2_000 && x <= 10_000 || x >= 30_000 && x <= 180_000, "short or long");
                }
            }
        }
    }

    @Test
    void aMixedHourHasShortAndLongFaults() {
        List<Fault> s = FaultSchedule.generate(
                new FaultSchedule.Params(7, 60 * 60_000L, 3, ALL, 2, 30_000, FaultProfile.MIXED, 0));
        assertThat(s)
                .anyMatch(f -> f.kind().lasting() && f.endMs() - f.startMs() <= 10_000)
                .anyMatch(f -> f.endMs() - f.startMs() >= 30_000);
        assertThatThrownBy(() -> FaultProfile.parse("medium")).hasMessageContaining("short, long or mixed");
        assertThat(FaultProfile.parse("Long")).isEqualTo(FaultProfile.LONG);
    }

    @Test
    void differentSeedsGiveDifferentSchedules() {
        assertThat(FaultSchedule.generate(params(1, 10, 3, 2)))
                .isNotEqualTo(FaultSchedule.generate(params(2, 10, 3, 2)));
    }

    @Property(tries = 300)
    void boundedNeverTwoOnOneNodeAtMostMaxAtOnceAndAHealPeriodAfterEachEpisode(
            @ForAll long seed,
            @ForAll @IntRange(min = 2, max = 7) int nodes,
            @ForAll @IntRange(min = 1, max = 3) int max,
            @ForAll @LongRange(min = 1, max = 30) long minutes) {
        FaultSchedule.Params p = new FaultSchedule.Params(seed, minutes * 60_000, nodes, ALL, max, 30_000);
        List<Fault> s = FaultSchedule.generate(p);
        assertThat(FaultSchedule.maxActive(s)).isLessThanOrEqualTo(max);
        long episodeStart = -1;
        long episodeEnd = -1;
        Set<Integer> episodeNodes = new HashSet<>();
        for (int i = 0; i < s.size(); i++) {
            Fault f = s.get(i);
            assertThat(f.id()).isEqualTo(i + 1);
            long d = f.endMs() - f.startMs();
            if (f.kind().lasting()) {
                assertThat(d).isBetween((long) FaultSchedule.MIN_DURATION_MS, (long) FaultSchedule.MAX_DURATION_MS);
            } else {
                assertThat(d).isZero();
            }
            assertThat(f.nodes()).allMatch(k -> k >= 0 && k < nodes);
            if (i == 0 || f.startMs() >= episodeEnd + FaultSchedule.gapMs(30_000)) {
                episodeStart = f.startMs();
                episodeEnd = f.endMs();
                episodeNodes.clear();
            } else {
                // Not after a full heal period: then it belongs to the running episode.
                assertThat(f.startMs())
                        .as("fault %d without a heal period before it", f.id())
                        .isLessThan(episodeStart + FaultSchedule.START_WINDOW_MS);
                episodeEnd = Math.max(episodeEnd, f.endMs());
            }
            if (f.kind().clusterWide()) {
                assertThat(episodeNodes.add(-1))
                        .as("two cluster-wide faults in one episode: %s", s)
                        .isTrue();
            }
            for (int k : f.nodes()) {
                assertThat(episodeNodes.add(k))
                        .as("node %d twice in one episode: %s", k, s)
                        .isTrue();
            }
            assertThat(f.endMs() + FaultSchedule.gapMs(30_000)).isLessThanOrEqualTo(p.campaignMs());
            for (Fault g : s.subList(0, i)) {
                if (g.overlaps(f)) {
                    assertThat(g.kind().clusterWide() || f.kind().clusterWide())
                            .as("%s overlaps %s", g, f)
                            .isFalse();
                    Set<Integer> both = new HashSet<>(g.nodes());
                    both.retainAll(f.nodes());
                    assertThat(both).as("%s and %s share a node", g, f).isEmpty();
                }
            }
        }
    }

    @Test
    void aLongCampaignUsesEveryKindAndSometimesTwoAtOnce() {
        List<Fault> s = FaultSchedule.generate(params(7, 60, 3, 2));
        Set<FaultKind> kinds = new HashSet<>();
        s.forEach(f -> kinds.add(f.kind()));
        assertThat(kinds).containsExactlyInAnyOrder(FaultKind.values());
        assertThat(FaultSchedule.maxActive(s)).isEqualTo(2);
    }

    @Test
    void theTwoMinuteCiCampaignHasFaultsOfSeveralKinds() {
        List<Fault> s = FaultSchedule.generate(params(42, 2, 3, 2));
        Set<FaultKind> kinds = new HashSet<>();
        s.forEach(f -> kinds.add(f.kind()));
        assertThat(kinds).as("%s", s).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aPartitionNeedsTwoNodesAndKindsMustBeKnown() {
        List<Fault> s = FaultSchedule.generate(
                new FaultSchedule.Params(3, 600_000, 1, List.of(FaultKind.PARTITION), 2, 30_000));
        assertThat(s).isEmpty();
        assertThatThrownBy(() -> FaultKind.parseList("crash,explode")).hasMessageContaining("explode");
        assertThat(FaultKind.parseList("crash, pause,crash")).containsExactly(FaultKind.CRASH, FaultKind.PAUSE);
        assertThatThrownBy(() -> new FaultSchedule.Params(1, 1000, 0, ALL, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLockKindsApplyOnlyToTheirLockAndTheFileLockKeepsTheKindsOfBefore() {
        assertThat(FaultKind.defaults(false))
                .containsExactly(
                        FaultKind.CRASH,
                        FaultKind.PAUSE,
                        FaultKind.LINKCUT,
                        FaultKind.PARTITION,
                        FaultKind.FREEZE,
                        FaultKind.FREEZEALL,
                        FaultKind.HUNGMONITOR,
                        FaultKind.LOCKDELETE);
        assertThat(FaultKind.applicable(true))
                .doesNotContain(FaultKind.LOCKDELETE)
                .contains(FaultKind.LOCKPAUSE, FaultKind.LOCKKILL, FaultKind.LOCKPAUSEALL, FaultKind.FREEZEALL);
    }

    @Property(tries = 100)
    void anEpisodeHasAtMostOneFaultOnTheLockService(@ForAll long seed) {
        List<Fault> s = FaultSchedule.generate(
                new FaultSchedule.Params(seed, 30 * 60_000L, 3, FaultKind.applicable(true), 2, 30_000));
        for (Fault f : s) {
            for (Fault g : s) {
                if (f != g && f.kind().lockService() && g.kind().lockService()) {
                    // different episodes are separated by the heal gap, so they never come within it
                    assertThat(Math.abs(f.startMs() - g.startMs()))
                            .as("%s and %s", f, g)
                            .isGreaterThan(FaultSchedule.START_WINDOW_MS);
                }
            }
            if (f.kind().lockService()) {
                assertThat(f.nodes()).isEmpty();
            }
        }
    }
}

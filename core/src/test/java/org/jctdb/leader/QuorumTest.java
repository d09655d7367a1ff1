package org.jctdb.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The quorum rule, alone and in the core: a leader cut off from the majority gives the lock up. */
class QuorumTest {
    private long now = 1_000;
    private final Set<Integer> live = new TreeSet<>();
    private final Set<Integer> answering = new TreeSet<>();

    @Test
    void majorityWinsAndTiesGoToTheLockOrToTheLowestNode() {
        List<Integer> three = List.of(0, 1, 2);
        assertThat(Quorum.allows(0, three, Set.of(1), true)).isTrue();
        assertThat(Quorum.allows(0, three, Set.of(), true)).isFalse();
        assertThat(Quorum.allows(2, three, Set.of(7, 8), true))
                .as("unconfigured peers do not count")
                .isFalse();
        List<Integer> two = List.of(0, 1);
        assertThat(Quorum.allows(1, two, Set.of(), true))
                .as("tie, lock decides")
                .isTrue();
        assertThat(Quorum.allows(1, two, Set.of(), false))
                .as("tie without lock: node 0's half")
                .isFalse();
        assertThat(Quorum.allows(0, two, Set.of(), false)).isTrue();
        List<Integer> four = List.of(0, 1, 2, 3);
        assertThat(Quorum.allows(2, four, Set.of(3), false)).isFalse();
        assertThat(Quorum.allows(1, four, Set.of(0), false)).isTrue();
        assertThat(Quorum.allows(3, four, Set.of(0, 1), false)).isTrue();
        assertThat(Quorum.allows(0, List.of(0), Set.of(), false)).isTrue();
        assertThat(Quorum.majority(four)).isEqualTo(3);
    }

    @Test
    void defaultsGiveUpTheLockOneAnnounceIntervalBeforeTheOthersElect() {
        LeaderConfig cfg = LeaderConfig.defaults(0, List.of(0, 1, 2), true, true);
        assertThat(cfg.quorumAnnouncements()).isEqualTo(3);
        assertThat(cfg.quorumWindowMs()).isEqualTo(3_000);
        assertThat(cfg.quorumWindowMs() + cfg.announceIntervalMs()).isLessThan(cfg.leaderTimeoutMs());
        assertThat(cfg.withLeaderTimeoutMs(3_000).quorumAnnouncements())
                .as("never below 2")
                .isEqualTo(2);
    }

    @Test
    void aLeaderCutOffFromTheMajorityReleasesTheLockWithinTheWindowAndDoesNotStandAgain() {
        LeaderCore c = leader(List.of(0, 1, 2));
        live.clear();
        answering.clear();
        long cut = now;
        List<Effect> fx = advance(c, 3_500);
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(fx).hasAtLeastOneElementOfType(Effect.ReleaseLock.class);
        // K unanswered announcements after the last answered one, stepping down when the next is due.
        LeaderConfig cfg = LeaderConfig.defaults(0, List.of(0, 1, 2), true, true);
        assertThat(steppedDownAt - cut)
                .isLessThanOrEqualTo((cfg.quorumAnnouncements() + 1) * cfg.announceIntervalMs())
                .isLessThan(cfg.leaderTimeoutMs());
        assertThat(of(fx, Effect.Log.class)).anyMatch(l -> l.text().contains("no majority"));
        List<Effect> later = advance(c, 60_000);
        assertThat(of(later, Effect.TakeLock.class)).isEmpty();
        assertThat(of(later, Effect.Log.class))
                .filteredOn(l -> l.text().contains("not standing"))
                .hasSize(1);
        // The link comes back: it stands again.
        live.addAll(List.of(1, 2));
        assertThat(of(advance(c, 2_500), Effect.TakeLock.class)).hasSize(1);
    }

    @Test
    void aLeaderHeardButNotAnsweredStepsDownToo() {
        // Asymmetric link: the peers' messages arrive, the leader's announcements do not.
        LeaderCore c = leader(List.of(0, 1, 2));
        answering.clear();
        advance(c, 3_500);
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
    }

    @Test
    void oneAnsweringPeerOfTwoIsEnoughAndOccasionalLossIsTolerated() {
        LeaderCore c = leader(List.of(0, 1, 2));
        answering.remove(2);
        live.remove(2);
        dropEvery = 2; // node 1 answers only every other announcement
        advance(c, 30_000);
        assertThat(c.status().role()).isEqualTo(Role.LEADER);
    }

    @Test
    void aResumedPausedLeaderDoesNotStepDownForItsOwnSilence() {
        LeaderCore c = leader(List.of(0, 1, 2));
        long gen = c.status().leadingGeneration();
        now += 4_900; // SIGSTOP, just under the leader timeout: no ticks, no announcements, nothing heard
        advance(c, 5_000);
        assertThat(c.status().role()).isEqualTo(Role.LEADER);
        assertThat(c.status().leadingGeneration()).isEqualTo(gen);
    }

    @Test
    void aLeaderSilentPastTheLeaderTimeoutStepsDownBeforeActingAndTheNextTermHasANewGeneration() {
        LeaderCore c = leader(List.of(0, 1, 2));
        long gen = c.status().leadingGeneration();
        now += 5_100; // SIGSTOP past the leader timeout; the first input after it is a peer's message
        List<Effect> fx = c.onMessage(1, new LeaderMessage.Candidate(1, true, 0), now);
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(fx.get(0)).isInstanceOf(Effect.Log.class);
        assertThat(((Effect.Log) fx.get(0)).text()).contains("silent for 5100 ms");
        assertThat(of(fx, Effect.ReleaseLock.class)).hasSize(1);
        assertThat(of(fx, Effect.Broadcast.class))
                .as("nothing of the old term but its resignation")
                .allMatch(b -> !(b.message() instanceof LeaderMessage.FromLeader)
                        || b.message() instanceof LeaderMessage.Resign);
        // The test's peers never stand: it stands again itself after the leader timeout.
        List<Effect> later = advance(c, 6_000);
        assertThat(of(later, Effect.TakeLock.class)).hasSize(1);
        c.onLockResult(LockResult.TAKEN, now);
        advance(c, 1_000);
        assertThat(c.status().role()).isEqualTo(Role.LEADER);
        assertThat(c.status().leadingGeneration()).isGreaterThan(gen);
    }

    @Test
    void observeEndsAStalledTermWithoutATick() {
        LeaderCore c = leader(List.of(0, 1, 2));
        now += 8_000;
        List<Effect> fx = c.observe(now);
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(of(fx, Effect.ReleaseLock.class)).hasSize(1);
        assertThat(c.observe(now + 100)).isEmpty();
    }

    @Test
    void aCandidatePausedUntilItsLockArrivesLeadsWithoutStallingOut() {
        LeaderCore c =
                new LeaderCore(LeaderConfig.defaults(0, List.of(0, 1, 2), true, true), new SplittableRandom(7), now);
        live.addAll(List.of(1, 2));
        answering.addAll(List.of(1, 2));
        live.forEach(p -> c.onPeerConnected(p, now));
        assertThat(of(advance(c, 2_500), Effect.TakeLock.class)).hasSize(1);
        now += 7_000; // paused while the helper took the lock; the peers' messages queued meanwhile
        live.forEach(p -> c.onMessage(p, new LeaderMessage.Candidate(p, true, 0), now));
        c.onLockResult(LockResult.TAKEN, now);
        c.onMessage(1, new LeaderMessage.Candidate(1, true, 0), now + 50);
        assertThat(c.status().role()).as("its silence was before its term").isEqualTo(Role.LEADER);
    }

    @Test
    void aMinorityNodeNeverAsksForTheLock() {
        LeaderCore c = new LeaderCore(
                LeaderConfig.defaults(2, List.of(0, 1, 2, 3, 4), true, true), new SplittableRandom(1), now);
        live.add(3);
        c.onPeerConnected(3, now);
        assertThat(of(advance(c, 30_000), Effect.TakeLock.class)).isEmpty();
        live.add(4);
        c.onPeerConnected(4, now);
        assertThat(of(advance(c, 3_000), Effect.TakeLock.class)).hasSize(1);
    }

    @Test
    void twoNodesWithALockTheSurvivorLeadsWithoutOneNeverLowerFirst() {
        LeaderCore lone =
                new LeaderCore(LeaderConfig.defaults(1, List.of(0, 1), true, true), new SplittableRandom(1), now);
        assertThat(of(advance(lone, 3_000), Effect.TakeLock.class)).hasSize(1);
        lone.onLockResult(LockResult.TAKEN, now);
        advance(lone, 20_000);
        assertThat(lone.status().role()).as("a tie: the lock holder leads").isEqualTo(Role.LEADER);

        LeaderCore one =
                new LeaderCore(LeaderConfig.defaults(1, List.of(0, 1), true, false), new SplittableRandom(1), now);
        advance(one, 20_000);
        assertThat(one.status().role())
                .as("no lock: only node 0's half may lead a tie")
                .isEqualTo(Role.FOLLOWER);
        LeaderCore zero =
                new LeaderCore(LeaderConfig.defaults(0, List.of(0, 1), true, false), new SplittableRandom(1), now);
        advance(zero, 20_000);
        assertThat(zero.status().role()).isEqualTo(Role.LEADER);
    }

    @Test
    void withoutALockAMinorityLeaderStepsDownAndAMinorityNeverLeads() {
        live.add(1);
        answering.add(1);
        LeaderCore c =
                new LeaderCore(LeaderConfig.defaults(0, List.of(0, 1, 2), true, false), new SplittableRandom(1), now);
        c.onPeerConnected(1, now);
        advance(c, 3_000);
        assertThat(c.status().role()).isEqualTo(Role.LEADER);
        live.clear();
        answering.clear();
        advance(c, 3_500);
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
        advance(c, 30_000);
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
    }

    @Test
    void deletingDeadNodesWithReloadnodesLetsTheSurvivorLead() {
        LeaderCore c =
                new LeaderCore(LeaderConfig.defaults(2, List.of(0, 1, 2), true, true), new SplittableRandom(1), now);
        assertThat(of(advance(c, 20_000), Effect.TakeLock.class)).isEmpty();
        c.onNodesChanged(List.of(2), now);
        assertThat(of(advance(c, 1_000), Effect.TakeLock.class)).hasSize(1);
        assertThat(of(c.onNodesChanged(List.of(0, 1), now), Effect.Log.class))
                .singleElement()
                .matches(l -> l.level() == Effect.Level.ERROR);
    }

    @Test
    void recoveryMembersAreTheNodesHeardLately() {
        LeaderCore c =
                new LeaderCore(LeaderConfig.defaults(0, List.of(0, 1, 2), true, true), new SplittableRandom(1), now);
        c.onPeerConnected(1, now);
        c.onPeerConnected(2, now); // connected per the mesh, but silent from now on
        live.add(1);
        answering.add(1);
        List<Effect> fx = advance(c, 3_500);
        assertThat(of(fx, Effect.TakeLock.class)).hasSize(1);
        fx = c.onLockResult(LockResult.TAKEN, now);
        assertThat(of(fx, Effect.Send.class)).extracting(Effect.Send::to).containsOnly(1);
    }

    // ---------------------------------------------------------------- helpers

    private long steppedDownAt = -1;
    private int dropEvery;
    private int announcements;

    private LeaderCore leader(List<Integer> nodes) {
        LeaderCore c = new LeaderCore(LeaderConfig.defaults(0, nodes, true, true), new SplittableRandom(7), now);
        for (int p : nodes) {
            if (p != 0) {
                live.add(p);
                answering.add(p);
                c.onPeerConnected(p, now);
            }
        }
        assertThat(of(advance(c, 2_500), Effect.TakeLock.class)).hasSize(1);
        c.onLockResult(LockResult.TAKEN, now);
        assertThat(c.status().role()).isEqualTo(Role.LEADER);
        advance(c, 5_000);
        assertThat(c.status().role()).isEqualTo(Role.LEADER);
        return c;
    }

    private List<Effect> advance(LeaderCore c, long ms) {
        List<Effect> all = new ArrayList<>();
        int me = c.status().pnn();
        for (long end = now + ms; now < end; ) {
            now += 100;
            if (now % 1_000 == 0) {
                for (int p : live) {
                    c.onMessage(p, new LeaderMessage.Candidate(p, true, 0), now);
                }
            }
            boolean leading = c.status().role() == Role.LEADER;
            List<Effect> fx = c.tick(now);
            all.addAll(fx);
            if (leading && c.status().role() != Role.LEADER && steppedDownAt < 0) {
                steppedDownAt = now;
            }
            for (Effect.Broadcast b : of(fx, Effect.Broadcast.class)) {
                if (b.message() instanceof LeaderMessage.Announce a) {
                    announcements++;
                    for (int p : answering) {
                        if (p != me && (dropEvery == 0 || announcements % dropEvery != 0)) {
                            all.addAll(c.onMessage(p, new LeaderMessage.Follow(p, a.generation(), a.boot()), now));
                        }
                    }
                }
            }
        }
        return all;
    }

    private static <T extends Effect> List<T> of(List<Effect> effects, Class<T> type) {
        return effects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}

package org.jctdb.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The core with a lease-based lock: the lease deadline and the fencing token in the generation. */
class LeaseFencingTest {
    private long now = 1_000;

    private LeaderCore core(int pnn) {
        return new LeaderCore(LeaderConfig.defaults(pnn, List.of(0, 1, 2), true, true), new SplittableRandom(3), now);
    }

    /** Ticks; the one connected peer ((pnn + 1) % 3) is alive: it sends candidates and answers announcements. */
    private List<Effect> advance(LeaderCore c, long ms) {
        List<Effect> all = new ArrayList<>();
        int peer = (c.status().pnn() + 1) % 3;
        for (long end = now + ms; now < end; ) {
            now += 100;
            if (now % 1_000 == 0) {
                c.onMessage(peer, new LeaderMessage.Candidate(peer, true, 0), now);
            }
            List<Effect> fx = c.tick(now);
            all.addAll(fx);
            for (Effect.Broadcast b : of(fx, Effect.Broadcast.class)) {
                if (b.message() instanceof LeaderMessage.Announce a) {
                    all.addAll(c.onMessage(peer, new LeaderMessage.Follow(peer, a.generation(), a.boot()), now));
                }
            }
        }
        return all;
    }

    private static <T extends Effect> List<T> of(List<Effect> effects, Class<T> type) {
        return effects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private LeaderCore leaderWithLease(int pnn, long token, long actForMs) {
        LeaderCore c = core(pnn);
        c.onPeerConnected((pnn + 1) % 3, now);
        assertThat(of(advance(c, 2_500), Effect.TakeLock.class)).hasSize(1);
        c.onLockResult(LockResult.TAKEN, new LockLease(token, now + actForMs), now);
        assertThat(c.status().role()).isEqualTo(Role.LEADER);
        return c;
    }

    @Test
    void generationCarriesTheFencingToken() {
        LeaderCore c = leaderWithLease(0, 42, 8_000);
        long gen = c.status().leadingGeneration();
        assertThat(Generation.tokenOf(gen)).isEqualTo(42);
        assertThat(Generation.leaderOf(gen)).isEqualTo(0);
        assertThat(gen).isGreaterThan(Generation.floor(42));
    }

    @Test
    void everyGenerationOfALaterHolderIsAboveEveryGenerationOfAnEarlierOne() {
        long earlyBusy = Generation.floor(7) + ((1L << Generation.COUNTER_BITS) - 2) * Generation.MAX_NODES + 1023;
        long late = Generation.next(Math.max(0, Generation.floor(8)), 0);
        assertThat(Generation.tokenOf(earlyBusy)).isEqualTo(7);
        assertThat(late).isGreaterThan(earlyBusy);
    }

    @Test
    void leaderStepsDownAtTheLeaseDeadlineUnlessRenewed() {
        LeaderCore c = leaderWithLease(0, 5, 3_000);
        advance(c, 2_000);
        c.onLeaseRenewed(new LockLease(5, now + 3_000), now);
        advance(c, 2_900);
        assertThat(c.status().role()).isEqualTo(Role.LEADER);
        List<Effect> fx = advance(c, 200);
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(of(fx, Effect.ReleaseLock.class)).hasSize(1);
        assertThat(of(fx, Effect.Log.class)).anyMatch(l -> l.text().contains("lease not confirmed"));
    }

    @Test
    void aRenewalUnderAnotherTokenDoesNotExtendTheLease() {
        LeaderCore c = leaderWithLease(0, 5, 1_000);
        c.onLeaseRenewed(new LockLease(6, now + 10_000), now);
        advance(c, 1_100);
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
    }

    @Test
    void aLeaderPausedPastItsLeaseStepsDownOnItsFirstInputBeforeSendingAnything() {
        LeaderCore c = leaderWithLease(0, 5, 3_000);
        long gen = c.status().leadingGeneration();
        now += 20_000; // SIGSTOP: nothing ran meanwhile
        List<Effect> fx = c.onMessage(1, new LeaderMessage.Candidate(1, true, gen), now);
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(of(fx, Effect.Send.class)).isEmpty();
        assertThat(of(fx, Effect.Broadcast.class))
                .extracting(Effect.Broadcast::message)
                .allMatch(m -> m instanceof LeaderMessage.Resign || m instanceof LeaderMessage.Candidate);
    }

    @Test
    void aLeaseAlreadyExpiredWhenTakenIsGivenBack() {
        LeaderCore c = core(0);
        advance(c, 2_500);
        List<Effect> fx = c.onLockResult(LockResult.TAKEN, new LockLease(3, now - 1), now);
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(of(fx, Effect.ReleaseLock.class)).hasSize(1);
    }

    @Test
    void aStaleHolderRefusedByANodeThatHeardANewerTokenStepsDownInsteadOfBiddingHigher() {
        LeaderCore old = leaderWithLease(0, 5, 60_000);
        long oldGen = old.status().leadingGeneration();
        long newGen = Generation.next(Generation.floor(9), 2);
        // node 1 heard the holder of token 9 and refuses the old leader's step
        old.onMessage(1, new LeaderMessage.Refused(1, oldGen, newGen), now);
        List<Effect> fx = advance(old, 300);
        assertThat(old.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(of(fx, Effect.Log.class)).anyMatch(l -> l.text().contains("fencing token 5 is stale"));
        assertThat(of(fx, Effect.Send.class))
                .extracting(Effect.Send::message)
                .noneMatch(m -> m instanceof LeaderMessage.StartRecovery s && s.generation() > newGen);
    }

    @Test
    void aFollowerThatHeardTheNewHolderRefusesTheOldOne() {
        LeaderCore follower = core(1);
        long newGen = Generation.next(Generation.floor(9), 2);
        long oldGen = Generation.next(Generation.floor(5), 0) + 50 * Generation.MAX_NODES; // many recoveries
        follower.onMessage(2, new LeaderMessage.Announce(2, newGen, 77), now);
        List<Effect> fx = follower.onMessage(0, new LeaderMessage.StartRecovery(0, oldGen, 55), now);
        assertThat(of(fx, Effect.Send.class))
                .extracting(Effect.Send::message)
                .containsExactly(new LeaderMessage.Refused(1, oldGen, newGen));
    }

    @Test
    void withoutALeaseNothingChanges() {
        LeaderCore c = core(0);
        c.onPeerConnected(1, now);
        advance(c, 2_500);
        c.onLockResult(LockResult.TAKEN, now);
        advance(c, 60_000);
        assertThat(c.status().role()).isEqualTo(Role.LEADER);
        assertThat(Generation.tokenOf(c.status().leadingGeneration())).isZero();
    }

    @Test
    void aLostServiceIsReportedFromTheFirstUnansweredRenewalThroughTheStepDownToFailedAttempts() {
        LeaderCore c = leaderWithLease(0, 5, 4_000);
        long gen = c.status().leadingGeneration();
        assertThat(c.lockTrouble()).isEmpty();
        advance(c, 1_000);
        long since = now;
        c.onLockResult(LockResult.UNRESPONSIVE, now);
        assertThat(c.lockTrouble()).hasValueSatisfying(t -> {
            assertThat(t.state()).isEqualTo(LockTrouble.State.UNRESPONSIVE);
            assertThat(t.since()).isEqualTo(since);
            assertThat(t.action()).contains("lease deadline");
        });
        List<Effect> fx = advance(c, 3_100);
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(of(fx, Effect.Log.class)).anyMatch(l -> l.text().contains("public addresses are released"));
        assertThat(c.lockTrouble()).hasValueSatisfying(t -> {
            assertThat(t.state()).isEqualTo(LockTrouble.State.LOST);
            assertThat(t.since()).isEqualTo(since);
            assertThat(t.action()).contains("stepped down as leader of generation " + gen);
        });
        // It stands again after the leader timeout; the service still does not answer.
        List<Effect> stand = advance(c, 6_000);
        assertThat(of(stand, Effect.TakeLock.class)).isNotEmpty();
        c.onLockResult(LockResult.TIMEOUT, now);
        assertThat(c.lockTrouble()).hasValueSatisfying(t -> {
            assertThat(t.state()).isEqualTo(LockTrouble.State.UNAVAILABLE);
            assertThat(t.since()).isEqualTo(since);
            assertThat(t.action()).contains("stepped down").contains("TIMEOUT");
        });
        // The service is back: the next attempt takes the lock and the trouble is over.
        List<Effect> again = advance(c, 12_000);
        assertThat(of(again, Effect.TakeLock.class)).isNotEmpty();
        c.onLockResult(LockResult.TAKEN, new LockLease(6, now + 4_000), now);
        assertThat(c.status().role()).isEqualTo(Role.LEADER);
        assertThat(c.lockTrouble()).isEmpty();
    }

    @Test
    void aFollowerWhoseAttemptsFailReportsItUntilItFollowsALeader() {
        LeaderCore c = core(1);
        c.onPeerConnected(2, now);
        assertThat(of(advance(c, 2_500), Effect.TakeLock.class)).hasSize(1);
        c.onLockResult(LockResult.ERROR, now);
        assertThat(c.lockTrouble()).hasValueSatisfying(t -> {
            assertThat(t.state()).isEqualTo(LockTrouble.State.UNAVAILABLE);
            assertThat(t.action()).contains("ERROR").contains("no public address");
        });
        c.onLockResult(LockResult.CONTENTION, now);
        assertThat(c.lockTrouble()).isEmpty();
    }
}

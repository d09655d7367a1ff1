package org.jctdb.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.jctdb.protocol.NodeFlags;
import org.junit.jupiter.api.Test;

/** Single-node scenarios of the core, driven by hand. */
class LeaderCoreTest {
    private long now = 1_000;
    /** Peers that are up and linked: each announce interval they send a candidate message, and they answer announcements. */
    private final Set<Integer> live = new TreeSet<>();

    private LeaderCore core(int pnn, boolean capable, boolean lock) {
        return new LeaderCore(
                LeaderConfig.defaults(pnn, List.of(0, 1, 2), capable, lock), new SplittableRandom(7), now);
    }

    private List<Effect> advance(LeaderCore c, long ms) {
        List<Effect> all = new ArrayList<>();
        for (long end = now + ms; now < end; ) {
            now += 100;
            int me = c.status().pnn();
            if (now % 1_000 == 0) {
                for (int p : live) {
                    if (p != me) {
                        c.onMessage(p, new LeaderMessage.Candidate(p, true, 0), now);
                    }
                }
            }
            List<Effect> fx = c.tick(now);
            all.addAll(fx);
            for (Effect.Broadcast b : of(fx, Effect.Broadcast.class)) {
                if (b.message() instanceof LeaderMessage.Announce a) {
                    for (int p : live) {
                        if (p != me) {
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

    /** Brings node 0 to leader of a 3-node cluster with events answered at once. */
    private LeaderCore leader() {
        live.addAll(List.of(1, 2));
        LeaderCore c = core(0, true, true);
        c.onPeerConnected(1, now);
        c.onPeerConnected(2, now);
        assertThat(of(advance(c, 2_500), Effect.TakeLock.class)).hasSize(1);
        List<Effect> fx = c.onLockResult(LockResult.TAKEN, now);
        assertThat(c.status().role()).isEqualTo(Role.LEADER);
        long gen = c.status().leadingGeneration();
        assertThat(of(fx, Effect.Send.class))
                .extracting(Effect.Send::message)
                .contains(new LeaderMessage.StartRecovery(0, gen, boot(fx)));
        c.onEventResult(RecoveryEvent.STARTRECOVERY, gen, true, now);
        c.onMessage(1, new LeaderMessage.RecoveryAck(1, gen, LeaderMessage.Phase.START, true), now);
        fx = c.onMessage(2, new LeaderMessage.RecoveryAck(2, gen, LeaderMessage.Phase.START, true), now);
        assertThat(of(fx, Effect.SetVnnMap.class)).containsExactly(new Effect.SetVnnMap(gen, List.of(0, 1, 2)));
        c.onEventResult(RecoveryEvent.RECOVERED, gen, true, now);
        c.onMessage(1, new LeaderMessage.RecoveryAck(1, gen, LeaderMessage.Phase.FINISH, true), now);
        c.onMessage(2, new LeaderMessage.RecoveryAck(2, gen, LeaderMessage.Phase.FINISH, true), now);
        assertThat(c.status().recoveryInProgress()).isFalse();
        assertThat(c.status().recoveryMode()).isEqualTo(RecoveryMode.NORMAL);
        return c;
    }

    private static long boot(List<Effect> fx) {
        return of(fx, Effect.Broadcast.class).stream()
                .map(Effect.Broadcast::message)
                .filter(LeaderMessage.Announce.class::isInstance)
                .map(m -> ((LeaderMessage.Announce) m).boot())
                .findFirst()
                .orElseThrow();
    }

    @Test
    void takesTheLockAfterHearingNoLeaderThenRecoversAndAnnouncesEverySecond() {
        LeaderCore c = leader();
        List<Effect> fx = advance(c, 3_000);
        assertThat(of(fx, Effect.Broadcast.class))
                .filteredOn(b -> b.message() instanceof LeaderMessage.Announce)
                .hasSize(3);
    }

    @Test
    void anIdleLeaderTicksOnceAnAnnounceIntervalAndEveryTickBeforeDoesNothing() {
        LeaderCore leader = leader(); // recovered at `now`, its last announcement then
        long t0 = now;
        assertThat(leader.nextTickAt()).isEqualTo(t0 + 1_000); // the next announcement
        LeaderStatus before = leader.status();
        for (long t = t0 + 50; t < t0 + 1_000; t += 50) {
            assertThat(leader.tick(t)).isEmpty();
            assertThat(leader.nextTickAt()).isEqualTo(t0 + 1_000);
        }
        assertThat(leader.status()).isEqualTo(before);
        List<Effect> fx = leader.tick(t0 + 1_000);
        assertThat(of(fx, Effect.Broadcast.class))
                .extracting(Effect.Broadcast::message)
                .hasOnlyElementsOfType(LeaderMessage.Announce.class)
                .hasSize(1);
        answer(leader, fx, t0 + 1_010);
        assertThat(leader.nextTickAt()).isEqualTo(t0 + 2_000);
        // A recovery asked for is due at once; while it runs its timeout is due too (120 s here).
        leader.onRecoverRequested(t0 + 1_200);
        assertThat(leader.nextTickAt()).isEqualTo(t0 + 1_200);
        fx = leader.tick(t0 + 1_200);
        assertThat(of(fx, Effect.Log.class)).anyMatch(l -> l.text().contains("starting recovery"));
        answer(leader, fx, t0 + 1_210);
        assertThat(leader.status().recoveryInProgress()).isTrue();
        assertThat(leader.nextTickAt()).isEqualTo(t0 + 2_200); // announced with the run's START
    }

    /** Nodes 1 and 2 answer the announcement among {@code fx}. */
    private static void answer(LeaderCore leader, List<Effect> fx, long at) {
        for (Effect.Broadcast b : of(fx, Effect.Broadcast.class)) {
            if (b.message() instanceof LeaderMessage.Announce a) {
                for (int p : List.of(1, 2)) {
                    leader.onMessage(p, new LeaderMessage.Follow(p, a.generation(), a.boot()), at);
                }
            }
        }
    }

    @Test
    void aLeaderWhoseQuorumHangsOnItsLatestAnnouncementChecksAQuarterIntervalAfterIt() {
        LeaderCore leader = leader(); // its followers fall silent from here on: nothing answers
        List<Long> announced = new ArrayList<>();
        List<Effect> fx = List.of();
        long t = now;
        while (leader.status().role() == Role.LEADER && t < now + 10_000) {
            t = leader.nextTickAt(); // ticked only when due, as the daemon does
            fx = leader.tick(t);
            if (of(fx, Effect.Broadcast.class).stream().anyMatch(b -> b.message() instanceof LeaderMessage.Announce)) {
                announced.add(t);
            }
        }
        assertThat(of(fx, Effect.Log.class)).anyMatch(l -> l.text().contains("no majority"));
        // One interval apart, then the check a quarter interval after the announcement that used the
        // last of its patience, not an interval later with the next one.
        assertThat(announced).containsExactly(now + 1_000, now + 2_000);
        assertThat(t).isEqualTo(now + 2_250);
    }

    @Test
    void theStallRuleMeasuresFromTheLastTickAnIdleLeaderRan() {
        LeaderCore leader = leader();
        long gen = leader.status().leadingGeneration();
        long tick = leader.nextTickAt(); // ticked only when due, as the daemon does
        leader.tick(tick);
        leader.onMessage(1, new LeaderMessage.Follow(1, gen, 0), tick + 4_900);
        assertThat(leader.status().leadingGeneration()).isEqualTo(gen);
        List<Effect> fx = leader.onMessage(1, new LeaderMessage.Candidate(1, true, gen), tick + 5_001);
        assertThat(leader.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(of(fx, Effect.Log.class)).anyMatch(l -> l.text().contains("silent for 5001 ms"));
    }

    @Test
    void aLeaderHoldingALeaseTicksAtItsDeadline() {
        LeaderCore c = core(0, true, true);
        live.add(1);
        c.onPeerConnected(1, now);
        assertThat(of(advance(c, 2_500), Effect.TakeLock.class)).hasSize(1);
        c.onLockResult(LockResult.TAKEN, new LockLease(5, now + 300), now);
        assertThat(c.status().role()).isEqualTo(Role.LEADER);
        assertThat(c.nextTickAt()).isEqualTo(now + 300);
        List<Effect> fx = c.tick(now + 300);
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(of(fx, Effect.ReleaseLock.class)).hasSize(1);
    }

    @Test
    void aFollowerTellsWhenItsNextTickDoesSomethingAndEveryTickBeforeDoesNothing() {
        LeaderCore leader = leader();
        long t0 = now;
        LeaderCore f = core(1, true, true);
        f.onPeerConnected(0, t0);
        assertThat(f.nextTickAt()).isEqualTo(t0 + 1_000); // its candidate message
        assertThat(of(f.tick(t0 + 1_000), Effect.Broadcast.class)).hasSize(1);
        // No leader heard: it may stand from two intervals after its start on.
        assertThat(f.nextTickAt()).isEqualTo(t0 + 2_000);
        LeaderStatus before = f.status();
        assertThat(f.tick(t0 + 1_999)).isEmpty();
        assertThat(f.status()).isEqualTo(before);
        assertThat(f.tick(t0 + 2_000)).contains(new Effect.TakeLock());
        assertThat(f.status().role()).isEqualTo(Role.CANDIDATE);
        assertThat(f.nextTickAt()).isEqualTo(t0 + 3_000); // the next candidate message before the lock's deadline
        f.onLockResult(LockResult.CONTENTION, t0 + 2_000);
        assertThat(f.nextTickAt()).isEqualTo(t0 + 3_000);
        // With a leader announcing, nothing is due until its silence has lasted one and a half intervals.
        f.onMessage(0, new LeaderMessage.Announce(0, leader.status().leadingGeneration(), 5), t0 + 2_100);
        assertThat(f.status().leader()).isZero();
        assertThat(f.nextTickAt()).isEqualTo(t0 + 3_600);
        for (long t = t0 + 2_100; t < t0 + 3_600; t += 50) {
            assertThat(f.tick(t)).isEmpty();
        }
        assertThat(f.tick(t0 + 3_600)).hasSize(1);
        assertThat(f.nextTickAt()).isEqualTo(t0 + 4_600);
        LeaderCore cannotLead = core(2, false, true); // only its candidate messages
        assertThat(cannotLead.nextTickAt()).isEqualTo(now + 1_000);
        assertThat(cannotLead.tick(now + 999)).isEmpty();
    }

    @Test
    void withALockNeitherTheLeaderNorAFollowerThatHearsItSendsCandidateMessagesUntilTheLeaderFallsSilent() {
        LeaderCore leader = leader();
        long gen = leader.status().leadingGeneration();
        List<Effect> led = advance(leader, 5_000);
        assertThat(of(led, Effect.Broadcast.class))
                .extracting(Effect.Broadcast::message)
                .hasOnlyElementsOfType(LeaderMessage.Announce.class)
                .hasSize(5);

        LeaderCore f = core(1, true, true);
        f.onPeerConnected(0, now);
        f.onPeerConnected(2, now);
        List<Effect> heard = new ArrayList<>();
        long t = now;
        for (int i = 0; i < 10; i++, t += 1_000) {
            heard.addAll(f.onMessage(0, new LeaderMessage.Announce(0, gen, 5), t));
            for (long u = t; u < t + 1_000; u += 250) {
                heard.addAll(f.tick(u));
            }
        }
        assertThat(f.status().leader()).isZero();
        assertThat(of(heard, Effect.Broadcast.class)).isEmpty();
        assertThat(of(heard, Effect.Send.class))
                .extracting(Effect.Send::message)
                .contains(new LeaderMessage.Follow(1, gen, 5))
                .noneMatch(LeaderMessage.Candidate.class::isInstance);

        // The leader's last announcement was at t - 1000: candidates resume 1.5 intervals after it.
        long last = t - 1_000;
        assertThat(f.nextTickAt()).isEqualTo(last + 1_500);
        assertThat(of(f.tick(last + 1_500), Effect.Broadcast.class))
                .extracting(Effect.Broadcast::message)
                .containsExactly(new LeaderMessage.Candidate(1, true, gen));
        // Node 2 falls silent with it: it is heard from then on, so at the leader timeout node 1 stands.
        for (long u = last + 1_750; u < last + 5_000; u += 250) {
            if (u % 1_000 == 0) {
                f.onMessage(2, new LeaderMessage.Candidate(2, true, gen), u);
            }
            assertThat(f.tick(u)).doesNotContain(new Effect.TakeLock());
        }
        assertThat(f.tick(last + 5_000)).contains(new Effect.TakeLock());

        // Without a lock every node keeps sending them (the no-lock rule ranks the reachable nodes).
        LeaderCore noLock = core(1, true, false);
        noLock.onPeerConnected(0, now);
        noLock.onMessage(0, new LeaderMessage.Announce(0, gen, 5), now);
        assertThat(noLock.nextTickAt()).isEqualTo(now + 1_000);
    }

    @Test
    void contentionMeansFollowAndRetryLater() {
        LeaderCore c = core(1, true, true);
        live.add(2);
        c.onPeerConnected(2, now);
        advance(c, 2_500);
        c.onLockResult(LockResult.CONTENTION, now);
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(of(advance(c, 500), Effect.TakeLock.class)).isEmpty();
        assertThat(of(advance(c, 2_000), Effect.TakeLock.class)).hasSize(1);
    }

    @Test
    void anAnnouncingLeaderSuppressesElectionsUntilItFallsSilentForTheLeaderTimeout() {
        LeaderCore c = core(1, true, true);
        live.add(2);
        c.onPeerConnected(2, now);
        for (int i = 0; i < 10; i++) {
            c.onMessage(0, new LeaderMessage.Announce(0, 1024, 42), now);
            assertThat(of(advance(c, 1_000), Effect.TakeLock.class)).isEmpty();
        }
        assertThat(c.status().leader()).isZero();
        List<Effect> fx = advance(c, 3_800); // 4.8 s since the last announcement
        assertThat(of(fx, Effect.TakeLock.class)).isEmpty();
        assertThat(of(advance(c, 400), Effect.TakeLock.class)).hasSize(1);
    }

    @Test
    void lostLockStepsDownAtOnce() {
        LeaderCore c = leader();
        List<Effect> fx = c.onLockResult(LockResult.LOST, now);
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(fx).hasAtLeastOneElementOfType(Effect.ReleaseLock.class);
        assertThat(of(fx, Effect.Broadcast.class)).anyMatch(b -> b.message() instanceof LeaderMessage.Resign);
        assertThat(of(advance(c, 3_000), Effect.Broadcast.class))
                .noneMatch(b -> b.message() instanceof LeaderMessage.Announce);
    }

    @Test
    void unresponsiveLockKeepsLeadingAndSaysSoLoudlyOnce() {
        LeaderCore c = leader();
        List<Effect> fx = c.onLockResult(LockResult.UNRESPONSIVE, now);
        assertThat(of(fx, Effect.Log.class)).singleElement().matches(l -> l.level() == Effect.Level.ERROR);
        assertThat(c.onLockResult(LockResult.UNRESPONSIVE, now)).isEmpty();
        assertThat(c.status().role()).isEqualTo(Role.LEADER);
        assertThat(c.status().lockUnresponsive()).isTrue();
        assertThat(of(advance(c, 10_000), Effect.ReleaseLock.class)).isEmpty();
        c.onLockResult(LockResult.RESPONSIVE_AGAIN, now);
        assertThat(c.status().lockUnresponsive()).isFalse();
    }

    @Test
    void olderGenerationIsRefusedAndReported() {
        LeaderCore c = core(2, true, true);
        c.onMessage(1, new LeaderMessage.StartRecovery(1, 2049, 5), now);
        List<Effect> fx = c.onMessage(0, new LeaderMessage.StartRecovery(0, 1024, 6), now);
        assertThat(of(fx, Effect.Send.class))
                .containsExactly(new Effect.Send(0, new LeaderMessage.Refused(2, 1024, 2049)));
        assertThat(of(fx, Effect.Log.class))
                .singleElement()
                .matches(l -> l.text().contains("older"));
        assertThat(of(fx, Effect.RunEvent.class)).isEmpty();
        assertThat(c.status().leader()).isEqualTo(1);
    }

    @Test
    void aRestartedLeaderReusingItsOldGenerationIsRefused() {
        LeaderCore c = core(2, true, true);
        c.onMessage(1, new LeaderMessage.Announce(1, 1025, 5), now);
        List<Effect> fx = c.onMessage(1, new LeaderMessage.StartRecovery(1, 1025, 77), now);
        assertThat(of(fx, Effect.Send.class))
                .containsExactly(new Effect.Send(1, new LeaderMessage.Refused(2, 1025, 1025)));
    }

    @Test
    void aLeaderRefusedForAStaleGenerationStartsAgainAboveIt() {
        LeaderCore c = leader();
        long old = c.status().leadingGeneration();
        c.onMessage(1, new LeaderMessage.Refused(1, old, 9_217), now);
        advance(c, 200);
        assertThat(c.status().leadingGeneration()).isGreaterThan(9_217);
        assertThat(c.status().recoveryInProgress()).isTrue();
    }

    @Test
    void aLeaderHearingANewerLeaderStepsDown() {
        LeaderCore c = leader();
        long newer = Generation.next(c.status().seenGeneration(), 2);
        List<Effect> fx = c.onMessage(2, new LeaderMessage.Announce(2, newer, 1), now);
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.status().leader()).isEqualTo(2);
        assertThat(fx).hasAtLeastOneElementOfType(Effect.ReleaseLock.class);
    }

    @Test
    void withoutLeaderCapabilityOrWhenStoppedOrBannedNeverTakesTheLock() {
        assertThat(of(advance(core(0, false, true), 30_000), Effect.TakeLock.class))
                .isEmpty();
        for (int flag : new int[] {NodeFlags.STOPPED, NodeFlags.BANNED, NodeFlags.DISCONNECTED}) {
            LeaderCore c = core(0, true, true);
            c.onOwnFlagsChanged(flag, now);
            assertThat(of(advance(c, 30_000), Effect.TakeLock.class))
                    .as("flag %x", flag)
                    .isEmpty();
        }
    }

    @Test
    void aLeaderThatGetsBannedResigns() {
        LeaderCore c = leader();
        List<Effect> fx = c.onOwnFlagsChanged(NodeFlags.BANNED, now);
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(fx).hasAtLeastOneElementOfType(Effect.ReleaseLock.class);
    }

    @Test
    void setLeaderRoleOffMakesTheLeaderResignAndOnLetsItRunAgain() {
        LeaderCore c = leader();
        List<Effect> off = c.onLeaderRoleChanged(false, now);
        assertThat(c.status().role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.leaderRole()).isFalse();
        assertThat(off).hasAtLeastOneElementOfType(Effect.ReleaseLock.class);
        assertThat(of(off, Effect.Broadcast.class))
                .anySatisfy(b -> assertThat(b.message())
                        .isEqualTo(
                                new LeaderMessage.Candidate(0, false, c.status().seenGeneration())));
        assertThat(of(advance(c, 30_000), Effect.TakeLock.class)).isEmpty();
        c.onLeaderRoleChanged(true, now);
        assertThat(of(advance(c, 30_000), Effect.TakeLock.class)).isNotEmpty();
    }

    @Test
    void withoutALockTheLowestConnectedCapableNodeLeads() {
        LeaderCore n1 = core(1, true, false);
        n1.onPeerConnected(0, now);
        n1.onPeerConnected(2, now);
        n1.onMessage(0, new LeaderMessage.Candidate(0, false, 0), now); // node 0 cannot lead
        n1.onMessage(2, new LeaderMessage.Candidate(2, true, 0), now);
        advance(n1, 2_500);
        assertThat(n1.status().role()).isEqualTo(Role.LEADER);
        assertThat(n1.status().lockHeld()).isFalse();

        LeaderCore n2 = core(2, true, false);
        n2.onPeerConnected(1, now);
        n2.onMessage(1, new LeaderMessage.Candidate(1, true, 0), now);
        advance(n2, 10_000);
        assertThat(n2.status().role()).isEqualTo(Role.FOLLOWER);
    }

    @Test
    void startingWithoutALockWarnsOfSplitBrain() {
        assertThat(of(core(0, true, false).start(now), Effect.Log.class))
                .singleElement()
                .matches(l -> l.level() == Effect.Level.WARN && l.text().contains("split brain"));
        assertThat(of(core(0, true, true).start(now), Effect.Log.class)).isEmpty();
    }

    @Test
    void aMessageClaimingAnotherSenderIsDropped() {
        LeaderCore c = core(2, true, true);
        List<Effect> fx = c.onMessage(1, new LeaderMessage.Announce(0, 1024, 1), now);
        assertThat(of(fx, Effect.Log.class))
                .singleElement()
                .matches(l -> l.text().contains("came from node 1"));
        assertThat(c.status().leader()).isEqualTo(-1);
    }

    @Test
    void generationsAreUniquePerNodeAndOrdered() {
        assertThat(Generation.next(0, 3)).isEqualTo(1024 + 3);
        assertThat(Generation.next(1024 + 3, 1)).isEqualTo(2048 + 1);
        assertThat(Generation.leaderOf(Generation.next(5_000, 7))).isEqualTo(7);
    }
}

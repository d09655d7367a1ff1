package org.jctdb.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The database step between START and FINISH, and the generation learnt from the persistent lineage. */
class DatabaseStepTest {
    private long now = 1_000;

    private static <T extends Effect> List<T> of(List<Effect> effects, Class<T> type) {
        return effects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private LeaderCore leaderOfTwo(long learnt) {
        LeaderCore c = new LeaderCore(
                LeaderConfig.defaults(0, List.of(0, 1), true, true).withDatabaseRecovery(true),
                new SplittableRandom(3),
                now);
        c.learnGeneration(learnt);
        c.start(now);
        c.onPeerConnected(1, now);
        for (long end = now + 2_500; now < end; ) {
            now += 100;
            c.tick(now);
        }
        c.onLockResult(LockResult.TAKEN, now);
        assertThat(c.status().role()).isEqualTo(Role.LEADER);
        return c;
    }

    @Test
    void finishWaitsForTheDatabasesAndAFailureStartsANewGeneration() {
        LeaderCore c = leaderOfTwo(0);
        long gen = c.status().leadingGeneration();
        c.onEventResult(RecoveryEvent.STARTRECOVERY, gen, true, now);
        List<Effect> fx = c.onMessage(1, new LeaderMessage.RecoveryAck(1, gen, LeaderMessage.Phase.START, true), now);
        assertThat(of(fx, Effect.RecoverDatabases.class))
                .containsExactly(new Effect.RecoverDatabases(gen, List.of(0, 1)));
        assertThat(of(fx, Effect.Send.class)).isEmpty(); // no FINISH yet
        assertThat(of(fx, Effect.SetVnnMap.class)).isEmpty();

        fx = c.onDatabasesRecovered(gen, false, now);
        assertThat(of(fx, Effect.Send.class)).isEmpty();
        List<Effect> later = new ArrayList<>();
        for (long end = now + 2_000; now < end; ) {
            now += 100;
            later.addAll(c.tick(now));
        }
        long next = c.status().leadingGeneration();
        assertThat(next).isGreaterThan(gen);
        assertThat(of(later, Effect.Send.class))
                .extracting(Effect.Send::message)
                .anyMatch(m -> m instanceof LeaderMessage.StartRecovery s && s.generation() == next);

        c.onEventResult(RecoveryEvent.STARTRECOVERY, next, true, now);
        c.onMessage(1, new LeaderMessage.RecoveryAck(1, next, LeaderMessage.Phase.START, true), now);
        assertThat(c.onDatabasesRecovered(gen, true, now)).isEmpty(); // the old generation's answer
        fx = c.onDatabasesRecovered(next, true, now);
        assertThat(of(fx, Effect.Send.class))
                .extracting(Effect.Send::message)
                .contains(new LeaderMessage.FinishRecovery(0, next, bootOf(c, next), List.of(0, 1)));
        assertThat(of(fx, Effect.SetVnnMap.class)).containsExactly(new Effect.SetVnnMap(next, List.of(0, 1)));
    }

    @Test
    void eachMemberIsSentTheStepOnceAndARepeatedAcknowledgementDoesNotStartTheDatabaseStepAgain() {
        LeaderCore c = new LeaderCore(
                LeaderConfig.defaults(0, List.of(0, 1), true, true).withDatabaseRecovery(true),
                new SplittableRandom(3),
                now);
        c.start(now);
        c.onPeerConnected(1, now);
        for (long end = now + 2_500; now < end; ) {
            now += 100;
            c.tick(now);
        }
        List<Effect> fx = c.onLockResult(LockResult.TAKEN, now);
        long gen = c.status().leadingGeneration();
        assertThat(of(fx, Effect.Send.class))
                .extracting(Effect.Send::message)
                .filteredOn(LeaderMessage.StartRecovery.class::isInstance)
                .hasSize(1);
        c.onEventResult(RecoveryEvent.STARTRECOVERY, gen, true, now);
        LeaderMessage.RecoveryAck ack = new LeaderMessage.RecoveryAck(1, gen, LeaderMessage.Phase.START, true);
        assertThat(of(c.onMessage(1, ack, now), Effect.RecoverDatabases.class)).hasSize(1);
        // Node 1 answers a re-sent START again while the database step runs: that step goes on.
        assertThat(c.onMessage(1, ack, now + 10)).isEmpty();
        assertThat(c.status().recoveryInProgress()).isTrue();
    }

    private static long bootOf(LeaderCore c, long gen) {
        return c.status().appliedBoot() == 0 ? 0 : c.status().appliedBoot();
    }

    @Test
    void aStoredLineageGenerationKeepsNewGenerationsAboveIt() {
        long stored = 5 * 1024 + 1; // node 1 led generation 5121 before the whole cluster restarted
        LeaderCore c = leaderOfTwo(stored);
        assertThat(c.status().leadingGeneration()).isGreaterThan(stored);
    }
}

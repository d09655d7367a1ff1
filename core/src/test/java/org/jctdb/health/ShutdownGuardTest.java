package org.jctdb.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jctdb.common.Ticker;
import org.junit.jupiter.api.Test;

/** The last resort: only on live evidence of a long hang, re-checked when it would run. */
class ShutdownGuardTest {
    private static final Path P = Path.of("/shared/.ctdb");
    private final AtomicLong clock = new AtomicLong();
    private final Ticker ticker = clock::get;

    private static PathStatus hung(long since) {
        return new PathStatus(P, ProbeState.HUNG, since, 3, 9, false, "no answer within 2000 ms");
    }

    @Test
    void offByDefaultNeverFires() {
        ShutdownGuard g = ShutdownGuard.disabled();
        assertThat(g.decide(1_000_000, List.of(hung(0)), p -> true)).isEmpty();
    }

    @Test
    void firesAtTheTimeoutOncePerEpisode() {
        ShutdownGuard g = new ShutdownGuard(true, 30_000);
        clock.set(29_999);
        assertThat(g.decide(ticker.nowMillis(), List.of(hung(0)), p -> true)).isEmpty();
        clock.set(30_000);
        assertThat(g.decide(ticker.nowMillis(), List.of(hung(0)), p -> true))
                .get()
                .asString()
                .contains("/shared/.ctdb has been hung for 30 s");
        clock.set(31_000);
        assertThat(g.decide(ticker.nowMillis(), List.of(hung(0)), p -> true))
                .as("once")
                .isEmpty();
        assertThat(g.due(ticker.nowMillis(), List.of(hung(0)), p -> true))
                .as("but still due")
                .isPresent();
        clock.set(100_000);
        assertThat(g.decide(ticker.nowMillis(), List.of(hung(60_000)), p -> true))
                .as("a new episode")
                .isPresent();
    }

    @Test
    void storageBackBeforeTheTimeoutMeansNothingHappens() {
        ShutdownGuard g = new ShutdownGuard(true, 30_000);
        PathStatus ok = new PathStatus(P, ProbeState.OK, 25_000, 4, 0, true, "");
        for (long t = 25_000; t < 200_000; t += 1000) {
            assertThat(g.decide(t, List.of(ok), p -> false)).isEmpty();
        }
        PathStatus failed = new PathStatus(P, ProbeState.FAILED, 0, 4, 50, false, "EIO");
        assertThat(g.decide(200_000, List.of(failed), p -> false))
                .as("FAILED is not hung")
                .isEmpty();
    }

    @Test
    void theRecheckCancelsWhenTheStuckProbeHasEndedMeanwhile() {
        ShutdownGuard g = new ShutdownGuard(true, 30_000);
        AtomicBoolean stuckProbeAlive = new AtomicBoolean(true);
        clock.set(31_000);
        assertThat(g.decide(ticker.nowMillis(), List.of(hung(0)), p -> stuckProbeAlive.get()))
                .isPresent();
        // Between the decision and the moment it would run, storage answers: the probe ends.
        stuckProbeAlive.set(false);
        clock.set(31_050);
        assertThat(g.due(ticker.nowMillis(), List.of(hung(0)), p -> stuckProbeAlive.get()))
                .isEmpty();
        // ... and once the next probe answered, the state itself says so.
        PathStatus back = new PathStatus(P, ProbeState.OK, 31_100, 2, 0, true, "");
        assertThat(g.due(31_200, List.of(back), p -> true)).isEmpty();
    }
}

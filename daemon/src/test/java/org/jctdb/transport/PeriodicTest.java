package org.jctdb.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class PeriodicTest {
    private static final long MS = 1_000_000L;

    @Test
    void firstRunIsOnTheNextMultipleOfThePeriod() {
        RecordingScheduler ex = new RecordingScheduler();
        long[] clock = {1_030 * MS};
        Periodic.every(ex, 100, () -> {}, () -> clock[0]);
        assertThat(ex.last().delayNanos()).isEqualTo(70 * MS);
    }

    @Test
    void runsOnTimeKeepTheGridAndLateRunsSkipTheMissedPoints() {
        RecordingScheduler ex = new RecordingScheduler();
        long[] clock = {1_030 * MS};
        long[] cost = {5 * MS};
        List<Long> runs = new ArrayList<>();
        Periodic.every(
                ex,
                100,
                () -> {
                    runs.add(clock[0]);
                    clock[0] += cost[0];
                },
                () -> clock[0]);

        clock[0] = 1_100 * MS; // on time, takes 5 ms: the next point is 1,200 whatever the run took
        ex.last().task().run();
        assertThat(ex.last().delayNanos()).isEqualTo(95 * MS);

        // The thread was busy: the 1,200 run starts at 1,530 and takes 10 ms. The points 1,300 to
        // 1,500 are gone: the next run is at 1,600, not three runs back to back.
        clock[0] = 1_530 * MS;
        cost[0] = 10 * MS;
        ex.last().task().run();
        assertThat(ex.last().delayNanos()).isEqualTo(60 * MS);
        assertThat(runs).containsExactly(1_100 * MS, 1_530 * MS);
    }

    @Test
    void aLateRunIsFollowedByTheNextPointAfterItsEnd() {
        RecordingScheduler ex = new RecordingScheduler();
        long[] clock = {0};
        Periodic.every(ex, 100, () -> clock[0] += 40 * MS, () -> clock[0]);
        assertThat(ex.last().delayNanos()).isEqualTo(100 * MS);
        clock[0] = 370 * MS; // due at 100, ran at 370, ends at 410
        ex.last().task().run();
        assertThat(ex.last().delayNanos()).isEqualTo(90 * MS); // at 500
    }

    @Test
    void aTaskThatThrowsStillGetsItsNextRun() {
        RecordingScheduler ex = new RecordingScheduler();
        long[] clock = {0};
        Periodic.every(
                ex,
                50,
                () -> {
                    throw new IllegalStateException("boom");
                },
                () -> clock[0]);
        clock[0] = 50 * MS;
        Runnable run = ex.last().task();
        assertThatThrownBy(run::run).hasMessage("boom");
        assertThat(ex.timers()).hasSize(2);
        assertThat(ex.last().delayNanos()).isEqualTo(50 * MS);
    }

    @Test
    void cancelStopsFurtherRuns() {
        RecordingScheduler ex = new RecordingScheduler();
        long[] clock = {0};
        int[] runs = {0};
        Periodic p = Periodic.every(ex, 50, () -> runs[0]++, () -> clock[0]);
        p.cancel();
        assertThat(ex.last().cancelled()[0]).isTrue();
        ex.last().task().run(); // a run already handed to the executor does nothing
        assertThat(runs[0]).isZero();
        assertThat(ex.timers()).hasSize(1);
    }

    @Test
    void periodsOf200And250MillisecondsShareAPointEverySecond() {
        RecordingScheduler a = new RecordingScheduler();
        RecordingScheduler b = new RecordingScheduler();
        long[] clock = {-7_777_777_777L}; // System.nanoTime may be negative
        Periodic.every(a, 200, () -> {}, () -> clock[0]);
        Periodic.every(b, 250, () -> {}, () -> clock[0]);
        List<Long> dueA = dues(a, clock, 10);
        List<Long> dueB = dues(b, clock, 8);
        List<Long> shared = new ArrayList<>(dueA);
        shared.retainAll(dueB);
        assertThat(shared).hasSize(2);
        assertThat(shared)
                .allSatisfy(t -> assertThat(Math.floorMod(t, 1_000 * MS)).isZero());
    }

    /** Runs the recorder's timers in turn (each exactly when due, taking no time), collecting the points. */
    private static List<Long> dues(RecordingScheduler ex, long[] clock, int n) {
        long start = clock[0];
        long now = start;
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            now += ex.last().delayNanos();
            out.add(now);
            clock[0] = now;
            ex.last().task().run();
        }
        clock[0] = start;
        return out;
    }

    @Property
    void theNextPointIsOnTheGridAfterNowAndAtMostOnePeriodAway(
            @ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) long now,
            @ForAll @LongRange(min = 0, max = 50) long periodsLate,
            @ForAll @LongRange(min = 1, max = 2_000) long periodMillis) {
        long period = periodMillis * MS;
        long due = now - Math.floorMod(now, period) - periodsLate * period; // a point at or before now
        long next = Periodic.nextPoint(due, now, period);
        assertThat(Math.floorMod(next, period)).isZero();
        assertThat(next).isGreaterThan(now);
        assertThat(next - now).isLessThanOrEqualTo(period);
    }

    @Test
    void aGridTimerRunsAtTheFirstPointAtOrAfterItsEarliestDeadlineAndOnlyWhenArmed() {
        RecordingScheduler ex = new RecordingScheduler();
        long[] clock = {1_030 * MS};
        int[] runs = {0};
        GridTimer t = new GridTimer(ex, 100, () -> runs[0]++, () -> clock[0], 0);
        assertThat(ex.timers()).isEmpty(); // nothing runs until it is armed
        t.armAtNanos(1_450 * MS);
        assertThat(ex.last().delayNanos()).isEqualTo(470 * MS); // the point 1,500
        t.armAtNanos(1_700 * MS); // later than the pending run: nothing changes
        t.armAtMillis(Long.MAX_VALUE); // no deadline at all: nothing changes
        assertThat(ex.timers()).hasSize(1);
        t.armAtNanos(1_200 * MS); // a point itself
        assertThat(ex.timers().get(0).cancelled()[0]).isTrue();
        assertThat(ex.last().delayNanos()).isEqualTo(170 * MS);
        t.armAtNanos(900 * MS); // a deadline passed: the next point after now, as a Periodic
        assertThat(ex.last().delayNanos()).isEqualTo(70 * MS);
        t.armSoon(); // the same point: kept
        assertThat(ex.timers()).hasSize(3);
        clock[0] = 1_100 * MS;
        ex.last().task().run();
        assertThat(runs[0]).isEqualTo(1);
        assertThat(ex.timers()).hasSize(3); // not re-armed on its own
        t.armSoon(); // from a point: the next one
        assertThat(ex.last().delayNanos()).isEqualTo(100 * MS);
        t.cancel();
        ex.last().task().run();
        t.armSoon();
        assertThat(runs[0]).isEqualTo(1);
        assertThat(ex.timers()).hasSize(4);
    }

    @Test
    void aGridTimerMovedToALaterDeadlineDropsTheEarlierRun() {
        RecordingScheduler ex = new RecordingScheduler();
        long[] clock = {1_030 * MS};
        int[] runs = {0};
        GridTimer t = new GridTimer(ex, 100, () -> runs[0]++, () -> clock[0], 0);
        t.moveToMillis(1_450);
        assertThat(ex.last().delayNanos()).isEqualTo(470 * MS); // the point 1,500
        t.moveToMillis(1_490); // the same point: kept
        assertThat(ex.timers()).hasSize(1);
        t.moveToMillis(2_010); // later: the run at 1,500 is dropped for the point 2,100
        assertThat(ex.timers().get(0).cancelled()[0]).isTrue();
        assertThat(ex.last().delayNanos()).isEqualTo(1_070 * MS);
        t.moveToMillis(1_200); // earlier again
        assertThat(ex.timers().get(1).cancelled()[0]).isTrue();
        assertThat(ex.last().delayNanos()).isEqualTo(170 * MS);
        t.moveToMillis(Long.MAX_VALUE); // nothing due: no run at all
        assertThat(ex.timers().get(2).cancelled()[0]).isTrue();
        t.armAtNanos(1_700 * MS); // armed again after that, as if never armed
        assertThat(ex.last().delayNanos()).isEqualTo(670 * MS);
        // Its point has come but the executor has not run it yet (a task ahead of it arms now): kept,
        // or a stream of inputs would push the run back for ever.
        clock[0] = 1_700 * MS + 1;
        t.moveToMillis(2_000);
        assertThat(ex.timers()).hasSize(4);
        assertThat(ex.last().cancelled()[0]).isFalse();
        assertThat(runs[0]).isZero();
    }

    @Test
    void aGridTimerMovedOnTheNanoClockDoesAsOnTheMilliClock() {
        RecordingScheduler ex = new RecordingScheduler();
        long[] clock = {1_030 * MS};
        GridTimer t = new GridTimer(ex, 100, () -> {}, () -> clock[0], 0);
        t.moveToNanos(1_450 * MS);
        assertThat(ex.last().delayNanos()).isEqualTo(470 * MS); // the point 1,500
        t.moveToNanos(2_010 * MS); // later: that run is dropped
        assertThat(ex.timers().get(0).cancelled()[0]).isTrue();
        assertThat(ex.last().delayNanos()).isEqualTo(1_070 * MS);
        t.moveToNanos(Long.MAX_VALUE); // nothing due
        assertThat(ex.last().cancelled()[0]).isTrue();
        assertThat(ex.timers()).hasSize(2);
    }

    @Test
    void aGridTimerSharesTheGridOfPeriodicTasks() {
        RecordingScheduler p = new RecordingScheduler();
        RecordingScheduler g = new RecordingScheduler();
        long[] clock = {-7_777_777_777L};
        Periodic.every(p, 250, () -> {}, () -> clock[0]);
        List<Long> points = dues(p, clock, 8);
        GridTimer t = new GridTimer(g, 250, () -> {}, () -> clock[0], 0);
        t.armAtNanos(points.get(3) - 1); // just before a point: that point
        assertThat(clock[0] + g.last().delayNanos()).isEqualTo(points.get(3));
    }

    @Test
    void aRealExecutorRunsTheTaskRepeatedly() throws InterruptedException {
        ScheduledExecutorService ex = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            java.util.concurrent.CountDownLatch three = new java.util.concurrent.CountDownLatch(3);
            Periodic p = Periodic.every(ex, 20, three::countDown);
            assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();
            p.cancel();
        } finally {
            ex.shutdownNow();
        }
    }
}

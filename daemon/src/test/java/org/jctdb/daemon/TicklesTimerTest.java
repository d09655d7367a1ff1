package org.jctdb.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jctdb.config.Tunables;
import org.jctdb.control.IpSnapshot;
import org.jctdb.ip.HostedAddress;
import org.jctdb.mesh.WireMessage;
import org.jctdb.transport.RecordingScheduler;
import org.junit.jupiter.api.Test;

/**
 * The tickle tick sleeps while this node hosts nothing (a tick then observes and sends nothing) and ticks
 * every scan period while it hosts an address; across a sleep the full updates (TickleUpdateInterval)
 * keep the points a tick every period gave them.
 */
class TicklesTimerTest {
    private static final int POINTS = 200;

    /** The old tick: every point, all lists when {@code step} points passed since the last full update. */
    private static List<Integer> fullUpdatesEveryPoint(long step) {
        List<Integer> out = new ArrayList<>();
        long last = Long.MIN_VALUE / 4;
        for (int p = 0; p < POINTS; p++) {
            if (p - last >= step) {
                last = p;
                out.add(p);
            }
        }
        return out;
    }

    @Property
    void aTickAfterASleepSendsEverythingExactlyWhenATickEveryPointWould(
            @ForAll @IntRange(min = 1, max = 25) int step,
            @ForAll @Size(max = 60) Set<@IntRange(min = 1, max = POINTS - 1) Integer> slept) {
        // Ticks at every point except those slept through (nothing hosted there: a tick would send nothing).
        List<Integer> expected = fullUpdatesEveryPoint(step);
        long last = Long.MIN_VALUE / 4;
        long lastTick = Long.MIN_VALUE / 4;
        boolean asleep = false;
        for (int p = 0; p < POINTS; p++) {
            if (slept.contains(p)) {
                asleep = true;
                continue;
            }
            long full = Tickles.fullUpdate(last, lastTick, p, step, asleep);
            assertThat(full == p).as("everything at point %d", p).isEqualTo(expected.contains(p));
            assertThat(full).isLessThanOrEqualTo(p);
            last = full;
            lastTick = p;
            asleep = false;
        }
    }

    @Test
    void aLateTickThatWasArmedSendsEverythingAtOnce() {
        // Armed every point, but the thread was busy over the point a full update fell on: not lost.
        assertThat(Tickles.fullUpdate(100, 119, 125, 20, false)).isEqualTo(125);
    }

    @Test
    void theStepIsTheIntervalInWholeScanPeriods() {
        assertThat(Tickles.fullUpdateStep(20, 1000)).isEqualTo(20);
        assertThat(Tickles.fullUpdateStep(1, 300)).isEqualTo(4); // 1,200 ms >= 1 s
        assertThat(Tickles.fullUpdateStep(0, 1000)).isEqualTo(1); // every tick
    }

    @Test
    void theTickSleepsWhileNothingIsHostedAndTicksEveryPeriodWhileSomethingIs() {
        RecordingScheduler core = new RecordingScheduler();
        IpSnapshot none = new IpSnapshot(0, List.of(), List.of(), Map.of(), Set.of(), false);
        IpSnapshot one = new IpSnapshot(
                0, List.of(), List.of(new HostedAddress("198.18.0.10", 24, "lo")), Map.of(), Set.of(), false);
        IpSnapshot[] now = {none};
        Tickles t = new Tickles(0, core, new Tickles.Host() {
            @Override
            public IpSnapshot snapshot() {
                return now[0];
            }

            @Override
            public Tunables tunables() {
                return Tunables.defaults();
            }

            @Override
            public void broadcast(WireMessage m) {}
        });
        try {
            t.start();
            assertThat(core.pending()).hasSize(1); // the first tick, within one period
            assertThat(core.pending().get(0).delayNanos()).isBetween(1L, 1_000_000_000L);
            core.runPending();
            assertThat(core.pending()).isEmpty(); // nothing hosted: asleep
            t.hostedChanged(none);
            assertThat(core.pending()).isEmpty(); // still nothing: no wake-up

            now[0] = one;
            t.hostedChanged(one);
            assertThat(core.pending()).hasSize(1); // hosted: the next point of the grid
            t.hostedChanged(one);
            assertThat(core.pending()).hasSize(1); // the same point, once
            core.runPending();
            assertThat(core.pending()).hasSize(1); // while hosting, every period

            now[0] = none;
            core.runPending();
            assertThat(core.pending()).isEmpty(); // released: asleep again
        } finally {
            t.close();
        }
    }
}

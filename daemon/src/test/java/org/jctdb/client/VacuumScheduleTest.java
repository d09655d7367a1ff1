package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The vacuum timer sleeps until its next pass: the passes must fall on exactly the points where a
 * tick every second (CTDB's count of VacuumInterval, as before) ran them, whatever the interval does
 * in between, and the timer must wake for nothing else.
 */
class VacuumScheduleTest {
    private static final int POINTS = 120;

    /** The old tick: every point, the interval read at that point, one second counted a tick. */
    private static List<Integer> everySecond(int initial, Map<Integer, Integer> changes) {
        List<Integer> passes = new ArrayList<>();
        int interval = initial;
        long count = 0;
        for (int point = 1; point <= POINTS; point++) {
            interval = changes.getOrDefault(point - 1, interval); // changed after point - 1
            if (interval <= 0 || ++count < interval) {
                continue;
            }
            count = 0;
            passes.add(point);
        }
        return passes;
    }

    /** The schedule driven as Vacuum drives its GridTimer: woken only at nextPass(), re-armed after a change. */
    private static List<Integer> asleep(int initial, Map<Integer, Integer> changes, List<Integer> needless) {
        VacuumSchedule s = new VacuumSchedule(initial, 0);
        List<Integer> passes = new ArrayList<>();
        int interval = initial;
        long armed = s.nextPass();
        for (int point = 1; point <= POINTS; point++) {
            if (changes.containsKey(point - 1)) { // the tunable was set between point - 1 and point
                interval = changes.get(point - 1);
                s.intervalChanged(interval, point - 1);
                // A deadline passed is the next point (GridTimer).
                armed = Math.max(s.nextPass(), point);
            }
            if (armed == point) {
                s.intervalChanged(interval, point - 1); // Vacuum.tick reads the tunable first
                if (s.tick(point)) {
                    passes.add(point);
                } else {
                    needless.add(point);
                }
                armed = s.nextPass();
            }
        }
        return passes;
    }

    @Property
    void passesFallWhereATickEverySecondRanThemAndNothingElseWakes(
            @ForAll @IntRange(min = -1, max = 12) int initial,
            @ForAll @Size(max = 8)
                    Map<@IntRange(min = 0, max = POINTS) Integer, @IntRange(min = -1, max = 12) Integer> changes) {
        List<Integer> needless = new ArrayList<>();
        assertThat(asleep(initial, changes, needless)).isEqualTo(everySecond(initial, changes));
        assertThat(needless).isEmpty();
    }

    @Test
    void theDefaultIntervalWakesOnceInTenSecondsAndOffNeverWakes() {
        VacuumSchedule s = new VacuumSchedule(10, 100);
        assertThat(s.nextPass()).isEqualTo(110);
        assertThat(s.tick(105)).isFalse(); // a wake-up before it (none is armed) passes nothing
        assertThat(s.tick(110)).isTrue();
        assertThat(s.nextPass()).isEqualTo(120);
        s.intervalChanged(0, 113); // setvar VacuumInterval 0: vacuuming off, the 3 seconds kept
        assertThat(s.nextPass()).isEqualTo(Long.MAX_VALUE);
        s.intervalChanged(5, 200); // on again: 2 more seconds
        assertThat(s.nextPass()).isEqualTo(202);
        s.intervalChanged(2, 200); // already past the new interval: the next point
        assertThat(s.nextPass()).isEqualTo(201);
        assertThat(s.tick(201)).isTrue();
    }

    @Test
    void pointsSleptThroughCountAsTicks() {
        VacuumSchedule s = new VacuumSchedule(3, 0);
        Map<Integer, Integer> none = new TreeMap<>();
        assertThat(everySecond(3, none)).startsWith(3, 6, 9);
        assertThat(s.tick(7)).isTrue(); // woken late: the 7 seconds counted at once
        assertThat(s.nextPass()).isEqualTo(10);
    }
}

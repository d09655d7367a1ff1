package org.jctdb.client;

/**
 * When vacuum passes fall due, in points of the daemon's one-second grid: CTDB's VacuumInterval counted
 * as one second a tick, a pass when the count reaches the interval (0 or less: vacuuming off, the count
 * kept), the interval read afresh at every tick. Instead of ticking every second, {@link Vacuum} sleeps
 * until {@link #nextPass()}: the points slept through are counted when it wakes up or the interval
 * changes, so the passes fall at the very points a tick every second would have run them at. Pure; one
 * owner thread.
 */
final class VacuumSchedule {
    private long interval; // VacuumInterval in force since the point `since`
    private long counted; // seconds counted up to the point `since`
    private long since;

    /** Counting starts after {@code point}, the last point at or before now. */
    VacuumSchedule(long interval, long point) {
        this.interval = interval;
        this.since = point;
    }

    /** VacuumInterval became {@code next} after {@code point}: the points up to it count under the old value. */
    void intervalChanged(long next, long point) {
        advance(point);
        interval = next;
    }

    /** The tick at {@code point}: whether a pass runs now (the count starts again if so). */
    boolean tick(long point) {
        advance(point);
        if (interval <= 0 || counted < interval) {
            return false;
        }
        counted = 0;
        return true;
    }

    /** The point of the next pass, {@code Long.MAX_VALUE} while vacuuming is off. */
    long nextPass() {
        return interval <= 0 ? Long.MAX_VALUE : since + Math.max(1, interval - counted);
    }

    private void advance(long point) {
        if (point > since) {
            if (interval > 0) {
                counted += point - since;
            }
            since = point;
        }
    }
}

package org.jctdb.transport;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A task run once at a point of {@link Periodic}'s grid, the first at or after the earliest deadline
 * it was armed for: a periodic task that knows when it next has something to do sleeps until then
 * instead of waking its thread every period to find nothing due, and still runs at the very grid
 * point a {@link Periodic} of the same period would have run it at first after that deadline, so
 * sharing the wake-ups of the other grid timers. Arming for a later point than the one pending
 * changes nothing; the task re-arms itself when it runs. Deadlines are on {@link System#nanoTime}
 * (the daemon's {@code Ticker.SYSTEM} is that clock in milliseconds).
 */
public final class GridTimer {
    private final ScheduledExecutorService executor;
    private final Runnable task;
    private final long periodNanos;
    private final LongSupplier nanoClock; // System.nanoTime
    private final long phase; // nanoClock + phase = the grid's clock
    private long armedFor = Long.MAX_VALUE; // grid point of the pending run, on the grid's clock
    private ScheduledFuture<?> pending;
    private boolean cancelled;

    GridTimer(ScheduledExecutorService executor, long periodMillis, Runnable task, LongSupplier nanoClock, long phase) {
        if (periodMillis <= 0) {
            throw new IllegalArgumentException("period must be positive: " + periodMillis);
        }
        this.executor = executor;
        this.task = task;
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMillis);
        this.nanoClock = nanoClock;
        this.phase = phase;
    }

    /** A timer on the daemon's grid of {@code periodMillis}; nothing runs until it is armed. */
    public static GridTimer on(ScheduledExecutorService executor, long periodMillis, Runnable task) {
        return new GridTimer(executor, periodMillis, task, System::nanoTime, Periodic.gridClock() - System.nanoTime());
    }

    /** Runs the task at the next grid point (after now), unless it is armed for that point already. */
    public synchronized void armSoon() {
        armAtNanos(Long.MIN_VALUE);
    }

    /**
     * Runs the task at the first grid point at or after {@code millis} of {@code Ticker.SYSTEM}
     * ({@code Long.MIN_VALUE}: at the next point; {@code Long.MAX_VALUE}: not for this deadline).
     */
    public synchronized void armAtMillis(long millis) {
        if (millis == Long.MAX_VALUE) {
            return;
        }
        armAtNanos(nanos(millis));
    }

    /** Runs the task at the first grid point at or after {@code deadline} (System.nanoTime), never now. */
    public synchronized void armAtNanos(long deadline) {
        arm(deadline, false);
    }

    /**
     * Like {@link #armAtMillis}, but also later than a pending run: for a task whose owner knows, after
     * each of its inputs, the one time its next run is due ({@code Long.MAX_VALUE}: none), so that a
     * run an input made needless does not wake the thread.
     */
    public synchronized void moveToMillis(long millis) {
        if (millis == Long.MAX_VALUE) {
            cancelPending();
            return;
        }
        arm(nanos(millis), true);
    }

    /** A deadline of {@code Ticker.SYSTEM} on System.nanoTime; {@code Long.MIN_VALUE} stays "the next point". */
    private static long nanos(long millis) {
        return millis <= Long.MIN_VALUE / 1_000_000L ? Long.MIN_VALUE : TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** {@link #moveToMillis} with the deadline on {@link System#nanoTime} ({@code Long.MAX_VALUE}: none). */
    public synchronized void moveToNanos(long deadline) {
        if (deadline == Long.MAX_VALUE) {
            cancelPending();
            return;
        }
        arm(deadline, true);
    }

    private void arm(long deadline, boolean later) {
        if (cancelled || deadline >= Long.MAX_VALUE / 2) {
            return;
        }
        long now = nanoClock.getAsLong() + phase;
        long at = deadline == Long.MIN_VALUE ? now : deadline + phase;
        // A deadline passed: the next point, as a Periodic would run it; never a run on the spot.
        long point = Periodic.pointAtOrAfter(Math.max(at, now + 1), periodNanos);
        // A run whose point has come is due (the executor may hold it behind the task arming now):
        // moving it later would starve a timer whose owner gets inputs faster than its period.
        if (point == armedFor || (point > armedFor && (!later || armedFor <= now))) {
            return;
        }
        if (pending != null) {
            pending.cancel(false);
        }
        try {
            pending = executor.schedule(this::run, point - now, TimeUnit.NANOSECONDS);
            armedFor = point;
        } catch (RejectedExecutionException e) {
            cancelled = true; // the executor is shutting down
        }
    }

    private void run() {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            armedFor = Long.MAX_VALUE;
            pending = null;
        }
        task.run();
    }

    /** No further runs (a run in progress finishes). */
    public synchronized void cancel() {
        cancelled = true;
        cancelPending();
    }

    private void cancelPending() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
        armedFor = Long.MAX_VALUE;
    }
}

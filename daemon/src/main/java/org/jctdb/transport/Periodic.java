package org.jctdb.transport;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A task run at every multiple of its period on one clock: System.nanoTime shifted by a phase
 * drawn once per process. The daemon's timers (leader tick and IP tick 250 ms, database timers
 * 500 ms, 1 s scans, 10 s stats) all run on the one {@link IoThread}, as {@link GridTimer}s on this
 * grid: those that fall due together share one wake-up of it instead of waking it each, and each
 * sleeps while it has nothing to do. The random phase keeps
 * nodes on one machine (local clusters, benchmarks) as unaligned with each other as nodes on
 * separate hosts are, so what a node saves here is what it saves anywhere. A run that ends after
 * its next point (the thread was busy or the process stopped) skips the missed points instead of
 * running them back to back, as a fixed-rate timer would.
 */
public final class Periodic {
    /** This process's offset of the grid, below one second. */
    private static final long PHASE_NANOS = ThreadLocalRandom.current().nextLong(TimeUnit.SECONDS.toNanos(1));

    private final ScheduledExecutorService executor;
    private final Runnable task;
    private final long periodNanos;
    private final LongSupplier nanoClock;
    private long due; // the grid point of the next run, on nanoClock
    private volatile ScheduledFuture<?> next;
    private volatile boolean cancelled;

    private Periodic(ScheduledExecutorService executor, Runnable task, long periodNanos, LongSupplier nanoClock) {
        this.executor = executor;
        this.task = task;
        this.periodNanos = periodNanos;
        this.nanoClock = nanoClock;
    }

    /** Runs {@code task} on {@code executor} every {@code periodMillis}, the first time within one period. */
    public static Periodic every(ScheduledExecutorService executor, long periodMillis, Runnable task) {
        return every(executor, periodMillis, task, Periodic::gridClock);
    }

    /** The same with the grid's clock given; the executor counts delays on a clock of the same rate (tests). */
    static Periodic every(ScheduledExecutorService executor, long periodMillis, Runnable task, LongSupplier nanoClock) {
        if (periodMillis <= 0) {
            throw new IllegalArgumentException("period must be positive: " + periodMillis);
        }
        Periodic p = new Periodic(executor, task, TimeUnit.MILLISECONDS.toNanos(periodMillis), nanoClock);
        long now = nanoClock.getAsLong();
        p.due = now - Math.floorMod(now, p.periodNanos) + p.periodNanos;
        p.arm(now);
        return p;
    }

    /** How long from now to the next point of the grid of {@code periodMillis} (one-off timers). */
    public static long nanosToNextPoint(long periodMillis) {
        long period = TimeUnit.MILLISECONDS.toNanos(periodMillis);
        return period - Math.floorMod(gridClock(), period);
    }

    /**
     * The index of the last point of the grid of {@code periodMillis} at or before {@code nanoTime}
     * (a {@link System#nanoTime} value): a task run by a timer of that grid gets the index of the
     * point it ran for (or, when it ran late, of a later one), so an owner that sleeps through points
     * can count them exactly. Point {@code i} is at {@link #pointNanos}{@code (i, periodMillis)}.
     */
    public static long pointIndex(long nanoTime, long periodMillis) {
        return Math.floorDiv(nanoTime + PHASE_NANOS, TimeUnit.MILLISECONDS.toNanos(periodMillis));
    }

    /** The {@link System#nanoTime} of point {@code index} of the grid of {@code periodMillis}. */
    public static long pointNanos(long index, long periodMillis) {
        return index * TimeUnit.MILLISECONDS.toNanos(periodMillis) - PHASE_NANOS;
    }

    static long gridClock() {
        return System.nanoTime() + PHASE_NANOS;
    }

    /** The first point on the grid of {@code periodNanos} at or after {@code t}. */
    static long pointAtOrAfter(long t, long periodNanos) {
        long off = Math.floorMod(t, periodNanos);
        return off == 0 ? t : t - off + periodNanos;
    }

    /** The next point on the grid after {@code now} for a period of {@code periodNanos}. */
    static long nextPoint(long due, long now, long periodNanos) {
        long next = due + periodNanos;
        return next > now ? next : now - Math.floorMod(now, periodNanos) + periodNanos;
    }

    private void arm(long now) {
        if (cancelled) {
            return;
        }
        try {
            next = executor.schedule(this::run, Math.max(0, due - now), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            cancelled = true; // the executor is shutting down
        }
    }

    private void run() {
        if (cancelled) {
            return;
        }
        try {
            task.run();
        } finally {
            long now = nanoClock.getAsLong();
            due = nextPoint(due, now, periodNanos);
            arm(now);
        }
    }

    /** No further runs (a run in progress finishes). */
    public void cancel() {
        cancelled = true;
        ScheduledFuture<?> f = next;
        if (f != null) {
            f.cancel(false);
        }
    }
}

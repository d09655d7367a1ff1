package org.jctdb.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An executor that only records the timers it is asked for; the test runs them. For tests of the
 * arming rules of {@link GridTimer}s in other packages: which runs are pending, and when.
 */
public final class RecordingScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    /** One timer asked for: its task, its delay, whether it was cancelled since. */
    public record Timer(Runnable task, long delayNanos, boolean[] cancelled) {
        public boolean pending() {
            return !cancelled[0];
        }
    }

    private final List<Timer> timers = new ArrayList<>();

    public synchronized List<Timer> timers() {
        return List.copyOf(timers);
    }

    /** The timer asked for last. */
    public synchronized Timer last() {
        return timers.get(timers.size() - 1);
    }

    /** The timers not cancelled and not yet run by {@link #runPending}. */
    public synchronized List<Timer> pending() {
        return timers.stream().filter(Timer::pending).toList();
    }

    /** Runs the one pending timer (it counts as done), failing when there is none or more. */
    public void runPending() {
        List<Timer> p = pending();
        if (p.size() != 1) {
            throw new AssertionError("expected one pending timer, found " + p.size());
        }
        p.get(0).cancelled()[0] = true;
        p.get(0).task().run();
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        boolean[] cancelled = new boolean[1];
        timers.add(new Timer(command, unit.toNanos(delay), cancelled));
        return new ScheduledFuture<Object>() {
            @Override
            public long getDelay(TimeUnit u) {
                return 0;
            }

            @Override
            public int compareTo(Delayed o) {
                return 0;
            }

            @Override
            public boolean cancel(boolean mayInterrupt) {
                cancelled[0] = true;
                return true;
            }

            @Override
            public boolean isCancelled() {
                return cancelled[0];
            }

            @Override
            public boolean isDone() {
                return cancelled[0];
            }

            @Override
            public Object get() {
                return null;
            }

            @Override
            public Object get(long timeout, TimeUnit u) {
                return null;
            }
        };
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    /** Runs at once, on the caller's thread. */
    @Override
    public void execute(Runnable command) {
        command.run();
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }
}

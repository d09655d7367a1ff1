package org.jctdb.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jctdb.database.LockWaiter;
import org.jctdb.database.TdbException;
import org.jctdb.database.TdbFile;
import org.jctdb.transport.GridTimer;
import org.jctdb.transport.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that touches TDB files for the client protocol: in the daemon the shared I/O
 * thread (org.jctdb.transport.IoThread), alone in tests. Every attempt takes its locks
 * without waiting; when a client holds one, the attempt says which, a {@link LockWaiter} child
 * waits for it off this thread, and the attempt runs again. The socket's event loop never
 * blocks on a TDB lock.
 */
final class DatabaseWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jctdb.client");
    /** Give up on a lock after this long: the client would have timed out anyway. */
    private static final long GIVE_UP_MILLIS = 60_000;
    /** Without the helper, poll at this interval instead. */
    private static final long POLL_MILLIS = 20;

    private final ScheduledExecutorService thread;
    private final boolean ownThread;
    private final LockWaiter waiter;
    /** Tasks of this worker handed to the thread and not started yet (any thread adds, the thread takes). */
    private final AtomicInteger queued = new AtomicInteger();
    /** The thread that runs the tasks, once it ran one (its identity, for {@link #executeNow}). */
    private volatile Thread runner;
    /** A task of this worker runs now (database thread only). */
    private boolean running;

    /** What an attempt ended with: a value, or the lock it found busy. */
    static final class Outcome<T> {
        final T value;
        final TdbFile busyFile;
        final byte[] busyKey; // null: the whole file

        private Outcome(T value, TdbFile busyFile, byte[] busyKey) {
            this.value = value;
            this.busyFile = busyFile;
            this.busyKey = busyKey;
        }

        static <T> Outcome<T> done(T value) {
            return new Outcome<>(value, null, null);
        }

        static <T> Outcome<T> busyChain(TdbFile file, byte[] key) {
            return new Outcome<>(null, file, key);
        }

        static <T> Outcome<T> busyAll(TdbFile file) {
            return new Outcome<>(null, file, null);
        }
    }

    @FunctionalInterface
    interface Attempt<T> {
        Outcome<T> run() throws TdbException;
    }

    /** With a thread of its own ({@code jctdb-db}), closed with this worker. */
    DatabaseWorker(LockWaiter waiter) {
        this(
                waiter,
                Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "jctdb-db");
                    t.setDaemon(true);
                    return t;
                }),
                true);
    }

    /** On {@code thread}, a single-threaded executor someone else shuts down (the daemon's I/O thread). */
    DatabaseWorker(LockWaiter waiter, ScheduledExecutorService thread) {
        this(waiter, thread, false);
    }

    private DatabaseWorker(LockWaiter waiter, ScheduledExecutorService thread, boolean ownThread) {
        this.waiter = waiter;
        this.thread = thread;
        this.ownThread = ownThread;
    }

    /** Runs {@code attempt} on the database thread until it is not busy. */
    <T> CompletableFuture<T> submit(String what, Attempt<T> attempt) {
        CompletableFuture<T> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GIVE_UP_MILLIS);
        execute(() -> step(what, attempt, result, deadline));
        return result;
    }

    /** Runs {@code task} on the database thread, after what is queued there. */
    void execute(Runnable task) {
        queued.incrementAndGet();
        try {
            thread.execute(() -> {
                queued.decrementAndGet();
                run(task);
            });
        } catch (RuntimeException e) {
            queued.decrementAndGet(); // refused (shut down): it never runs
            throw e;
        }
    }

    /**
     * Runs {@code task} at once when that keeps the order {@link #execute} gives: called on the database thread,
     * outside any task of this worker, with none of its tasks queued. Otherwise queues it as {@link #execute}
     * does. For the inputs read from the sockets on the thread itself (a peer's migration message, a client's
     * REQ_CALL), which then skip a trip through the thread's queue: a step of a record migration reads the
     * frame, runs under the chain lock and writes the next frame in one go.
     */
    void executeNow(Runnable task) {
        if (!running && queued.get() == 0 && onThread()) {
            run(task);
        } else {
            execute(task);
        }
    }

    private boolean onThread() {
        if (thread instanceof io.netty.util.concurrent.EventExecutor loop) {
            return loop.inEventLoop();
        }
        return Thread.currentThread() == runner;
    }

    private void run(Runnable task) {
        runner = Thread.currentThread();
        running = true;
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("database thread task failed", e);
        } finally {
            running = false;
        }
    }

    void schedule(Runnable task, long delayMillis) {
        thread.schedule(() -> execute(task), delayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * A timeout that usually never fires, kept in this thread's own timer queue and cancelled with the
     * returned future: unlike {@code CompletableFuture.completeOnTimeout}, whose shared timer thread is
     * woken to drop every cancelled timeout, nothing but this thread is involved.
     */
    ScheduledFuture<?> timeout(Runnable task, long delayMillis) {
        return thread.schedule(() -> execute(task), delayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * A timer on the grid of {@code periodMillis} that runs {@code task} here when armed ({@link GridTimer}):
     * the timers here (500 ms, 1 s, 10 s) and the daemon's own fall due together and share wake-ups of the
     * thread, and each sleeps while it has nothing to do.
     */
    GridTimer timerOnGrid(Runnable task, long periodMillis) {
        return GridTimer.on(thread, periodMillis, () -> execute(task));
    }

    /** Once, at the next multiple of {@code periodMillis} (a self-rescheduling task whose period may change). */
    void scheduleOnGrid(Runnable task, long periodMillis) {
        thread.schedule(() -> execute(task), Periodic.nanosToNextPoint(periodMillis), TimeUnit.NANOSECONDS);
    }

    LockWaiter waiter() {
        return waiter;
    }

    /** Runs plain work (no locks to wait for) on the database thread. */
    <T> CompletableFuture<T> call(String what, Attempt<T> attempt) {
        return submit(what, attempt);
    }

    private <T> void step(String what, Attempt<T> attempt, CompletableFuture<T> result, long deadline) {
        Outcome<T> o;
        try {
            o = attempt.run();
        } catch (TdbException | RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        if (o.busyFile == null) {
            result.complete(o.value);
            return;
        }
        if (System.nanoTime() > deadline) {
            result.completeExceptionally(new TimeoutException(
                    what + ": " + o.busyFile.path() + " stayed locked for " + GIVE_UP_MILLIS / 1000 + " s"));
            return;
        }
        CompletableFuture<Void> free =
                o.busyKey == null ? waiter.waitForAll(o.busyFile) : waiter.waitForChain(o.busyFile, o.busyKey);
        free.whenComplete((v, e) -> {
            if (e != null) {
                log.debug("lock wait for {} failed ({}); polling", what, e.getMessage());
                schedule(() -> step(what, attempt, result, deadline), POLL_MILLIS);
            } else {
                execute(() -> step(what, attempt, result, deadline));
            }
        });
    }

    @Override
    public void close() {
        if (ownThread) {
            thread.shutdownNow();
        }
    }
}

package org.jctdb.database;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jctdb.control.Statistics;

/**
 * Waits for a busy TDB lock in a child process ({@code jctdb_lock_wait}, native/src), so that
 * no daemon thread ever sleeps on a lock a client holds. The returned future completes when the
 * lock was free for a moment; the caller then tries again without waiting (and may have to wait
 * again if someone else got in first). Completion comes from the JDK's process reaper: no
 * thread of ours blocks. Cancelling the future kills the helper.
 *
 * <p>{@link #holdChain} is ctdbd's way (its lock helper keeps the lock and the daemon marks it as its
 * own): the helper takes the chain lock and keeps it until the daemon has run the waiting request and
 * releases it, so the request cannot lose the lock again to the next client queued behind it, and one
 * helper is started per request instead of one per attempt.
 */
public final class LockWaiter {
    private final Path helper;
    private final LongAdder calls = new LongAdder();
    private final LongAdder current = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LatencyCounter latency = new LatencyCounter();
    // Reads a holding helper's "locked" line (a blocking read; the JDK gives a pipe no selectable channel):
    // one thread per helper waiting at the moment, none when idle.
    private final ThreadPoolExecutor readers =
            new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "jctdb-lock-holder");
                t.setDaemon(true);
                return t;
            });

    /** @param helper the jctdb_lock_wait binary (in the installation's helper directory) */
    public LockWaiter(Path helper) {
        this.helper = helper;
    }

    /** Completes when the chain of {@code key} in {@code file} has been free. */
    public CompletableFuture<Void> waitForChain(TdbFile file, byte[] key) {
        return start(chainArgs("chain", file, key));
    }

    /** The helper's arguments for one chain of {@code file}: MODE FILE TDB_FLAGS KEY_HEX. */
    private static List<String> chainArgs(String mode, TdbFile file, byte[] key) {
        return List.of(
                mode,
                file.path().toString(),
                Integer.toString(file.openFlags()),
                HexFormat.of().formatHex(key));
    }

    /** The helper with {@code args}. */
    private List<String> command(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(helper.toString());
        command.addAll(args);
        return command;
    }

    /**
     * A chain lock held for this daemon by a helper process, from the moment the helper took it until
     * {@link #release()}. While held, the daemon runs its request with {@link TdbFile#underLentChainLock}.
     */
    public static final class HeldLock {
        private final Process holder;

        private HeldLock(Process holder) {
            this.holder = holder;
        }

        /** Lets the helper unlock and exit (it waits for its stdin to close). Idempotent, never blocks. */
        public void release() {
            try {
                holder.getOutputStream().close();
            } catch (IOException e) {
                holder.destroyForcibly(); // its exit drops the lock too
            }
        }
    }

    /**
     * Completes once a helper holds the chain of {@code key} in {@code file} for this daemon; the caller
     * must {@link HeldLock#release()} it. Fails when the helper cannot take it (the caller may retry later).
     */
    public CompletableFuture<HeldLock> holdChain(TdbFile file, byte[] key) {
        List<String> args = chainArgs("hold", file, key);
        Process process;
        try {
            process = new ProcessBuilder(command(args)).start();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<HeldLock> result = track(new CompletableFuture<>());
        HeldLock held = new HeldLock(process);
        result.whenComplete((h, e) -> {
            if (e != null && process.isAlive()) {
                process.destroyForcibly(); // cancelled or failed: no helper left waiting for the lock
            }
        });
        try {
            readers.execute(() -> {
                byte[] line;
                try (InputStream out = process.getInputStream()) {
                    line = out.readNBytes(2);
                } catch (IOException e) {
                    line = new byte[0];
                }
                if (line.length == 2 && line[0] == '0' && line[1] == '\n') {
                    if (!result.complete(held)) {
                        held.release(); // nobody waits any more
                    }
                    return;
                }
                held.release();
                result.completeExceptionally(new IOException(
                        "jctdb_lock_wait " + String.join(" ", args) + " did not take the lock: " + stderrOf(process)));
            });
        } catch (RuntimeException e) {
            held.release();
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Completes when every chain of {@code file} has been free (before a transaction or wipe). */
    public CompletableFuture<Void> waitForAll(TdbFile file) {
        return start(List.of("all", file.path().toString(), Integer.toString(file.openFlags())));
    }

    private CompletableFuture<Void> start(List<String> args) {
        Process process;
        try {
            process = new ProcessBuilder(command(args))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process.getOutputStream().close();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> result = track(new CompletableFuture<>());
        process.onExit().thenAccept(p -> {
            if (p.exitValue() == 0) {
                result.complete(null);
            } else {
                result.completeExceptionally(new IOException(
                        "jctdb_lock_wait " + String.join(" ", args) + " exited " + p.exitValue() + ": " + stderrOf(p)));
            }
        });
        // Cancelling (or a timeout) of the wait must not leave the helper behind.
        result.whenComplete((v, e) -> {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        });
        return result;
    }

    /** Counts a wait in the statistics until {@code result} completes. */
    private <T> CompletableFuture<T> track(CompletableFuture<T> result) {
        calls.increment();
        current.increment();
        long started = System.nanoTime();
        result.whenComplete((v, e) -> {
            current.decrement();
            if (e != null) {
                failed.increment();
            } else {
                latency.add(System.nanoTime() - started);
            }
        });
        return result;
    }

    /** Lock waits since start or reset, those running now, and those that failed (statistics). */
    public Statistics.Locks locks() {
        long now = Math.max(0, current.sum());
        return new Statistics.Locks(calls.sum(), now, now, failed.sum());
    }

    public Statistics.Latency latency() {
        return latency.latency();
    }

    public void reset() {
        calls.reset();
        failed.reset();
        latency.reset();
    }

    private static String stderrOf(Process p) {
        try (InputStream err = p.getErrorStream()) {
            return new String(err.readNBytes(4096), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }
}

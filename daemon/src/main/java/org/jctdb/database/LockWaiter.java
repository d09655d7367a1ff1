package org.jctdb.database;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.jctdb.control.Statistics;

/**
 * Waits for a busy TDB lock in a child process ({@code jctdb_lock_wait}, native/src), so that
 * no daemon thread ever sleeps on a lock a client holds. The returned future completes when the
 * lock was free for a moment; the caller then tries again without waiting (and may have to wait
 * again if someone else got in first). Completion comes from the JDK's process reaper: no
 * thread of ours blocks. Cancelling the future kills the helper.
 */
public final class LockWaiter {
    private final Path helper;
    private final LongAdder calls = new LongAdder();
    private final LongAdder current = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LatencyCounter latency = new LatencyCounter();

    /** @param helper the jctdb_lock_wait binary (in the installation's helper directory) */
    public LockWaiter(Path helper) {
        this.helper = helper;
    }

    /** Completes when the chain of {@code key} in {@code file} has been free. */
    public CompletableFuture<Void> waitForChain(TdbFile file, byte[] key) {
        return start(List.of(
                "chain",
                file.path().toString(),
                Integer.toString(file.openFlags()),
                HexFormat.of().formatHex(key)));
    }

    /** Completes when every chain of {@code file} has been free (before a transaction or wipe). */
    public CompletableFuture<Void> waitForAll(TdbFile file) {
        return start(List.of("all", file.path().toString(), Integer.toString(file.openFlags())));
    }

    private CompletableFuture<Void> start(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(helper.toString());
        command.addAll(args);
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process.getOutputStream().close();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
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

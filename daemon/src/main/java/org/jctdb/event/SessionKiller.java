package org.jctdb.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jctdb.common.Ticker;
import org.jctdb.os.ProcFs;
import org.jctdb.os.ProcInfo;
import org.jctdb.os.Signals;

/**
 * Ends every process of a script's session: SIGTERM, then SIGKILL after a grace period, then
 * reports what is still alive (processes in uninterruptible sleep cannot be killed). Signals go
 * through ProcessHandle, which checks the process start time, so a recycled pid is never hit.
 * Asynchronous: polls /proc on the scheduler, never sleeps.
 */
final class SessionKiller {
    private static final long POLL_MILLIS = 50;

    private final ProcFs procFs;
    private final ScheduledExecutorService timer;
    private final Ticker ticker;
    private final long graceMillis;
    private final long checkMillis;

    SessionKiller(ProcFs procFs, ScheduledExecutorService timer, Ticker ticker, long graceMillis, long checkMillis) {
        this.procFs = procFs;
        this.timer = timer;
        this.ticker = ticker;
        this.graceMillis = graceMillis;
        this.checkMillis = checkMillis;
    }

    /**
     * @param sid    session id (== pid == pgid of the script started through setsid)
     * @param leader the script process itself, signalled too in case it has not yet called setsid
     * @return the survivors with state, wait channel and stack; empty when all are gone
     */
    CompletableFuture<List<ProcInfo>> kill(int sid, ProcessHandle leader) {
        CompletableFuture<List<ProcInfo>> done = new CompletableFuture<>();
        long start = ticker.nowMillis();
        signal(sid, leader, false);
        schedule(() -> poll(sid, leader, start, false, done));
        return done;
    }

    private void poll(
            int sid, ProcessHandle leader, long start, boolean forced, CompletableFuture<List<ProcInfo>> done) {
        try {
            List<ProcInfo> alive = alive(sid, leader);
            if (alive.isEmpty()) {
                done.complete(List.of());
                return;
            }
            long elapsed = ticker.nowMillis() - start;
            if (!forced && elapsed >= graceMillis) {
                signal(sid, leader, true);
                long forcedAt = ticker.nowMillis();
                schedule(() -> pollForced(sid, leader, forcedAt, done));
                return;
            }
            schedule(() -> poll(sid, leader, start, forced, done));
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    private void pollForced(int sid, ProcessHandle leader, long forcedAt, CompletableFuture<List<ProcInfo>> done) {
        try {
            List<ProcInfo> alive = alive(sid, leader);
            if (alive.isEmpty()) {
                done.complete(List.of());
                return;
            }
            if (ticker.nowMillis() - forcedAt >= checkMillis) {
                done.complete(alive.stream().map(procFs::withEvidence).toList());
                return;
            }
            signal(sid, leader, true); // catch anything forked since the last round
            schedule(() -> pollForced(sid, leader, forcedAt, done));
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    private List<ProcInfo> alive(int sid, ProcessHandle leader) {
        List<ProcInfo> alive = new ArrayList<>(procFs.aliveInSession(sid));
        if (leader != null && leader.isAlive() && alive.stream().noneMatch(p -> p.pid() == leader.pid())) {
            ProcInfo p = procFs.stat((int) leader.pid());
            if (p != null && p.alive()) {
                alive.add(p);
            }
        }
        return alive;
    }

    private void signal(int sid, ProcessHandle leader, boolean force) {
        if (leader != null) {
            Signals.send(leader, force);
        }
        for (ProcInfo p : procFs.aliveInSession(sid)) {
            Optional<ProcessHandle> h = ProcessHandle.of(p.pid());
            // re-check the session: the pid may have been recycled since the scan
            ProcInfo again = procFs.stat(p.pid());
            if (h.isPresent() && again != null && again.session() == sid && again.startTicks() == p.startTicks()) {
                Signals.send(h.get(), force);
            }
        }
    }

    private void schedule(Runnable r) {
        timer.schedule(r, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }
}

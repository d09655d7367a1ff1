package org.jctdb.event;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jctdb.os.ProcInfo;

/**
 * One event in progress: runs the enabled scripts in order, stops at the first failure, bounds
 * the whole event by one deadline. All methods run on the engine's lane.
 */
final class EventRun {
    private final EventEngine engine;
    final EventRequest req;
    final CompletableFuture<EventReply> future;
    private final List<EventScripts.Script> scripts;
    private final List<ScriptResult> results = new ArrayList<>();
    private final long deadline;
    private final Instant start;
    private final Set<Integer> liveSessionsAtStart;
    private int index;
    private Running running;
    private boolean finished;

    /** The script currently executing. */
    record Running(EventScripts.Script script, Process process, ScriptSlot slot, ScheduledFuture<?> timer) {}

    EventRun(
            EventEngine engine,
            EventRequest req,
            CompletableFuture<EventReply> future,
            List<EventScripts.Script> scripts,
            Set<Integer> liveSessionsAtStart) {
        this.engine = engine;
        this.req = req;
        this.future = future;
        this.scripts = scripts;
        this.liveSessionsAtStart = liveSessionsAtStart;
        long now = engine.ticker().nowMillis();
        this.deadline = req.timeoutMillis() == 0 ? Long.MAX_VALUE : now + req.timeoutMillis();
        this.start = engine.clock().instant();
    }

    boolean isMonitor() {
        return req.event() == Event.MONITOR;
    }

    void next() {
        while (!finished) {
            if (index >= scripts.size()) {
                finish(0);
                return;
            }
            EventScripts.Script s = scripts.get(index);
            if (!s.enabled()) {
                results.add(ScriptResult.disabled(s.name(), engine.clock().instant()));
                index++;
                continue;
            }
            ScriptSlot slot = engine.slot(s.name());
            if (slot != null && slot.killing()) {
                // an earlier run is being killed right now: decide once that has finished (bounded)
                slot.killDone.whenCompleteAsync(
                        (v, t) -> {
                            if (!finished) {
                                next();
                            }
                        },
                        engine.lane());
                return;
            }
            if (slot != null && !slot.gone && engine.stillAlive(slot, liveSessionsAtStart)) {
                fail(engine.hungResult(slot, engine.clock().instant()));
                return;
            }
            long now = engine.ticker().nowMillis();
            if (now >= deadline) {
                fail(new ScriptResult(
                        s.name(),
                        ScriptStatus.TIMEDOUT,
                        0,
                        engine.clock().instant(),
                        0,
                        "event deadline passed before the script could start",
                        null,
                        null,
                        null));
                return;
            }
            launch(s, now);
            return;
        }
    }

    private void launch(EventScripts.Script s, long now) {
        Instant startedAt = engine.clock().instant();
        Process p;
        try {
            p = engine.launcher().startScript(s.path(), s.name(), req.event(), req.args(), req.generation());
        } catch (IOException e) {
            int errno = ScriptLauncher.errnoOf(e);
            fail(new ScriptResult(
                    s.name(),
                    ScriptStatus.CANNOT_RUN,
                    errno,
                    startedAt,
                    0,
                    String.valueOf(e.getMessage()),
                    null,
                    null,
                    null));
            return;
        }
        ScriptSlot slot = new ScriptSlot(s.name(), (int) p.pid(), now, startedAt, p.toHandle());
        engine.putSlot(slot);
        ScheduledFuture<?> timer = null;
        if (deadline != Long.MAX_VALUE) {
            Running[] holder = new Running[1];
            timer = engine.scheduler()
                    .schedule(
                            () -> engine.lane().execute(() -> onTimeout(holder[0])),
                            Math.max(0, deadline - now),
                            TimeUnit.MILLISECONDS);
            running = new Running(s, p, slot, timer);
            holder[0] = running;
        } else {
            running = new Running(s, p, slot, null);
        }
        Running r = running;
        p.onExit().whenCompleteAsync((x, t) -> onExit(r), engine.lane());
    }

    private void onExit(Running r) {
        if (r != running || finished) {
            return; // timed out or cancelled already; the killer owns it now
        }
        running = null;
        if (r.timer() != null) {
            r.timer().cancel(false);
        }
        long duration = engine.ticker().nowMillis() - r.slot().startTick;
        int code = r.process().exitValue();
        String output = engine.readOutput(r.script().name());
        ScriptStatus st = code == 0 ? ScriptStatus.OK : ScriptStatus.ERROR;
        ScriptResult res =
                new ScriptResult(r.script().name(), st, code, r.slot().start, duration, output, null, null, null);
        engine.logOutput(res);
        if (st == ScriptStatus.OK) {
            results.add(res);
            engine.listener().scriptFinished(req.event(), res);
            index++;
            next();
        } else {
            fail(res);
        }
    }

    private void onTimeout(Running r) {
        if (r == null || r != running || finished) {
            return;
        }
        running = null;
        long duration = engine.ticker().nowMillis() - r.slot().startTick;
        List<ProcInfo> evidence = engine.evidence(r.slot());
        String output = engine.readOutput(r.script().name());
        ScriptResult res = new ScriptResult(
                r.script().name(), ScriptStatus.TIMEDOUT, 0, r.slot().start, duration, output, evidence, null, null);
        engine.logTimeout(req, res);
        // start the kill first, so a following event sees the kill in progress and waits for it
        engine.terminate(r.slot(), req.event(), true);
        fail(res);
    }

    /** A new event cancels this monitor: kill the running script, report CANCELLED, keep no status. */
    void cancel(String reason) {
        if (finished) {
            return;
        }
        finished = true;
        Running r = running;
        running = null;
        if (r != null) {
            if (r.timer() != null) {
                r.timer().cancel(false);
            }
            engine.terminate(r.slot(), req.event(), false);
        }
        future.complete(new EventReply.Cancelled(req.event(), req.args(), reason));
    }

    private void fail(ScriptResult res) {
        results.add(res);
        engine.listener().scriptFinished(req.event(), res);
        finish(res.summary());
    }

    private void finish(int summary) {
        if (finished) {
            return;
        }
        finished = true;
        EventReply.Completed c = new EventReply.Completed(req.event(), req.args(), start, results, summary);
        engine.eventDone(this, c);
    }
}

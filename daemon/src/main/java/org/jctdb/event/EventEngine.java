package org.jctdb.event;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jctdb.common.Ticker;
import org.jctdb.os.ProcFs;
import org.jctdb.os.ProcInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs event scripts for the daemon. Never blocks its caller: {@link #run} returns a future
 * that completes on the given executor. Events run one at a time in request order; a new
 * event cancels a running monitor, and a monitor requested while another event runs is
 * cancelled at once (CTDB's rules). See docs/event-differences.md for where JCTDB differs.
 */
public final class EventEngine implements EventControl, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventEngine.class);

    /** Callbacks, invoked on the engine's lane (one at a time); they must not block. */
    public interface Listener {
        default void scriptFinished(Event event, ScriptResult result) {}

        default void eventFinished(EventReply reply) {}

        /** A script run that would not die: HUNG (found alive at the next run) or UNKILLABLE. */
        default void hang(String script, Hang hang) {}
    }

    private final EngineConfig cfg;
    private final ScriptDirectory dir;
    private final ScheduledExecutorService scheduler;
    private final SerialExecutor lane;
    private final Ticker ticker;
    private final Clock clock;
    private final Listener listener;
    private final ProcFs procFs;
    private final ScriptLauncher launcher;
    private final SessionKiller killer;

    // lane-confined state
    private final ArrayDeque<EventRun> queue = new ArrayDeque<>();
    private final Map<String, ScriptSlot> slots = new HashMap<>();
    private EventRun current;
    private boolean closed;
    private boolean debugRunning;

    // readable from any thread
    private final Map<Event, EventReply.Completed> lastStatus = new ConcurrentHashMap<>();
    private final Map<String, Hang> stuck = new ConcurrentHashMap<>();
    private final Set<String> countedUnkillable = ConcurrentHashMap.newKeySet();
    private final AtomicInteger unkillableCount = new AtomicInteger();
    private final AtomicInteger activeKills = new AtomicInteger();

    /**
     * @param scheduler runs the engine's tasks and timers; at least one thread; shared use is fine
     * @param ticker    monotonic clock for deadlines and durations
     * @param clock     wall clock for start times shown in status output
     */
    public EventEngine(
            EngineConfig cfg,
            ScriptDirectory dir,
            ScheduledExecutorService scheduler,
            Ticker ticker,
            Clock clock,
            Listener listener)
            throws IOException {
        this(cfg, dir, scheduler, ticker, clock, listener, ProcFs.system());
    }

    EventEngine(
            EngineConfig cfg,
            ScriptDirectory dir,
            ScheduledExecutorService scheduler,
            Ticker ticker,
            Clock clock,
            Listener listener,
            ProcFs procFs)
            throws IOException {
        this.cfg = cfg;
        this.dir = dir;
        this.scheduler = scheduler;
        this.lane = new SerialExecutor(scheduler);
        this.ticker = ticker;
        this.clock = clock;
        this.listener = listener == null ? new Listener() {} : listener;
        this.procFs = procFs;
        this.launcher = new ScriptLauncher(cfg);
        this.killer = new SessionKiller(procFs, scheduler, ticker, cfg.killGraceMillis(), cfg.killCheckMillis());
        launcher.prepareDirs();
    }

    /** Requests an event. The future completes (never exceptionally) when the event ends. */
    @Override
    public CompletableFuture<EventReply> run(EventRequest req) {
        CompletableFuture<EventReply> f = new CompletableFuture<>();
        String bad = req.event().checkArgs(req.args());
        if (bad != null) {
            f.complete(new EventReply.Refused(req.event(), req.args(), Errno.EINVAL, bad));
            return f;
        }
        if (req.inRecovery() && !req.event().allowedInRecovery()) {
            f.complete(new EventReply.Refused(
                    req.event(),
                    req.args(),
                    Errno.EAGAIN,
                    "Refusing to run event " + req.event().wireName() + " while in recovery"));
            return f;
        }
        lane.execute(() -> submit(new EventRun(this, req, f, List.of(), Set.of())));
        return f;
    }

    /** Last completed (not cancelled) run of an event, with any later hang/unkillable findings. */
    @Override
    public Optional<EventReply.Completed> lastStatus(Event e) {
        return Optional.ofNullable(lastStatus.get(e));
    }

    /** Processes seen surviving SIGKILL since start (each counted once). */
    public int unkillableCount() {
        return unkillableCount.get();
    }

    /** Script runs currently known to be stuck, by script name. */
    public Map<String, Hang> stuckRuns() {
        return Map.copyOf(stuck);
    }

    /** Kill sequences (TERM, grace, KILL, check) still running; for orderly shutdown and tests. */
    public int killsInProgress() {
        return activeKills.get();
    }

    public ScriptDirectory scripts() {
        return dir;
    }

    @Override
    public EventScripts.Listing listing() throws IOException {
        return dir.listing();
    }

    @Override
    public EventScripts.CommandResult enable(String component, String name) {
        return dir.enable(component, name);
    }

    @Override
    public EventScripts.CommandResult disable(String component, String name) {
        return dir.disable(component, name);
    }

    /** Cancels queued events and kills what runs now. Does not wait. */
    @Override
    public void close() {
        lane.execute(() -> {
            closed = true;
            for (EventRun r : queue) {
                r.future.complete(
                        new EventReply.Refused(r.req.event(), r.req.args(), Errno.ECANCELED, "engine closed"));
            }
            queue.clear();
            if (current != null) {
                current.cancel("engine closed");
                current = null;
            }
        });
    }

    private void submit(EventRun placeholder) {
        EventRequest req = placeholder.req;
        if (closed) {
            placeholder.future.complete(
                    new EventReply.Refused(req.event(), req.args(), Errno.ECANCELED, "engine closed"));
            return;
        }
        if (current != null) {
            if (current.isMonitor()) {
                current.cancel("cancelled by event " + req.event().wireName());
                current = null;
            } else if (req.event() == Event.MONITOR) {
                placeholder.future.complete(new EventReply.Cancelled(
                        req.event(), req.args(), "event " + current.req.event().wireName() + " is running"));
                return;
            }
        }
        queue.add(placeholder);
        pump();
    }

    private void pump() {
        while (current == null && !queue.isEmpty()) {
            EventRun queued = queue.poll();
            EventRequest req = queued.req;
            List<EventScripts.Script> list;
            try {
                list = dir.scripts();
            } catch (NoSuchFileException e) {
                complete(
                        queued.future,
                        new EventReply.Refused(
                                req.event(), req.args(), Errno.ENOENT, "Event dir for legacy does not exist"));
                continue;
            } catch (IOException e) {
                complete(
                        queued.future,
                        new EventReply.Refused(
                                req.event(),
                                req.args(),
                                Errno.EIO,
                                "Cannot read " + dir.eventDir() + ": " + e.getMessage()));
                continue;
            }
            current = new EventRun(this, req, queued.future, list, liveSessions());
            LOG.debug("Running event {} {}", req.event().wireName(), String.join(" ", req.args()));
            current.next();
        }
    }

    private void complete(CompletableFuture<EventReply> f, EventReply r) {
        f.complete(r);
        listener.eventFinished(r);
    }

    /**
     * Which sessions of earlier script runs (those not yet seen empty) still have a live process:
     * one pass over /proc per event, none when every earlier session was seen empty.
     */
    private Set<Integer> liveSessions() {
        Set<Integer> previous = new HashSet<>();
        for (ScriptSlot s : slots.values()) {
            if (!s.gone) {
                previous.add(s.sid);
            }
        }
        return previous.isEmpty() ? Set.of() : procFs.liveSessionsAmong(previous);
    }

    // ---- called by EventRun (on the lane) ----

    void eventDone(EventRun run, EventReply.Completed c) {
        lastStatus.put(c.event(), c);
        if (c.summary() != 0) {
            LOG.info("{} event {}", c.event().wireName(), c.timedOut() ? "timed out" : "failed");
        }
        complete(run.future, c);
        if (current == run) {
            current = null;
            pump();
        }
    }

    ScriptSlot slot(String name) {
        return slots.get(name);
    }

    void putSlot(ScriptSlot s) {
        slots.put(s.name, s);
        stuck.remove(s.name);
    }

    boolean stillAlive(ScriptSlot slot, Set<Integer> liveAtStart) {
        if (!liveAtStart.contains(slot.sid) && !slot.leader.isAlive()) {
            slot.gone = true;
            return false;
        }
        boolean alive = !procFs.aliveInSession(slot.sid).isEmpty() || slot.leader.isAlive();
        slot.gone = !alive;
        return alive;
    }

    /** The previous run of this script is still alive: report it, do not start another, and end it. */
    ScriptResult hungResult(ScriptSlot slot, Instant now) {
        long age = ticker.nowMillis() - slot.startTick;
        List<ProcInfo> procs = procFs.aliveInSession(slot.sid).stream()
                .map(procFs::withEvidence)
                .toList();
        Hang.Kind kind = slot.unkillable ? Hang.Kind.UNKILLABLE : Hang.Kind.HUNG;
        Hang hang = new Hang(kind, slot.sid, age, procs);
        stuck.put(slot.name, hang);
        LOG.error("{}: previous run (pid {}) still alive after {} ms; not started again", slot.name, slot.sid, age);
        procs.forEach(p -> LOG.error("{}: {}", slot.name, p.describe()));
        listener.hang(slot.name, hang);
        if (!slot.unkillable) {
            terminate(slot, null, false);
        }
        return new ScriptResult(
                slot.name,
                ScriptStatus.HUNG,
                0,
                now,
                0,
                "previous run still alive after " + age + " ms; not started",
                null,
                null,
                hang);
    }

    List<ProcInfo> evidence(ScriptSlot slot) {
        List<ProcInfo> procs = new ArrayList<>(procFs.aliveInSession(slot.sid));
        if (procs.isEmpty()) {
            ProcInfo leader = procFs.stat(slot.sid);
            if (leader != null && leader.alive()) {
                procs.add(leader);
            }
        }
        return procs.stream().map(procFs::withEvidence).toList();
    }

    /** Debug script (optional), then SIGTERM, grace, SIGKILL; records survivors as UNKILLABLE. */
    void terminate(ScriptSlot slot, Event event, boolean debug) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        slot.killDone = done;
        activeKills.incrementAndGet();
        done.whenComplete((v, t) -> activeKills.decrementAndGet());
        CompletableFuture<String> debugOut =
                debug && event != null ? runDebug(slot, event) : CompletableFuture.completedFuture("");
        debugOut.thenComposeAsync(
                        out -> {
                            if (!out.isEmpty()) {
                                out.lines().forEach(l -> LOG.error("event_debug: {}", l));
                                amend(event, slot, r -> r.withDebugOutput(out));
                            }
                            return killer.kill(slot.sid, slot.leader);
                        },
                        lane)
                .whenCompleteAsync(
                        (survivors, err) -> {
                            if (err != null) {
                                LOG.error("{}: killing session {} failed", slot.name, slot.sid, err);
                            } else if (!survivors.isEmpty()) {
                                recordUnkillable(slot, event, survivors);
                            } else {
                                slot.gone = true;
                                stuck.remove(slot.name);
                            }
                            done.complete(null);
                        },
                        lane);
    }

    private void recordUnkillable(ScriptSlot slot, Event event, List<ProcInfo> survivors) {
        slot.unkillable = true;
        long age = ticker.nowMillis() - slot.startTick;
        Hang hang = new Hang(Hang.Kind.UNKILLABLE, slot.sid, age, survivors);
        for (ProcInfo p : survivors) {
            if (countedUnkillable.add(p.pid() + ":" + p.startTicks())) {
                unkillableCount.incrementAndGet();
            }
            LOG.error(
                    "{}: UNKILLABLE {} ({} ms after start); stack: {}",
                    slot.name,
                    p.describe(),
                    age,
                    String.join(" | ", p.stack()));
        }
        stuck.put(slot.name, hang);
        amend(event, slot, r -> r.withHang(hang));
        listener.hang(slot.name, hang);
    }

    private void amend(Event event, ScriptSlot slot, UnaryOperator<ScriptResult> f) {
        if (event == null) {
            return;
        }
        lastStatus.computeIfPresent(
                event,
                (e, c) -> c.withScripts(c.scripts().stream()
                        .map(r -> r.name().equals(slot.name) && r.start().equals(slot.start) ? f.apply(r) : r)
                        .toList()));
    }

    /** Runs the [event] debug script with the hung pid, at most one at a time, with its own deadline. */
    private CompletableFuture<String> runDebug(ScriptSlot slot, Event event) {
        if (cfg.debugScript() == null || debugRunning) {
            return CompletableFuture.completedFuture("");
        }
        Process p;
        try {
            p = launcher.startDebug(cfg.debugScript(), slot.sid, event, "debug-script");
        } catch (IOException e) {
            LOG.error("Cannot run debug script {}: {}", cfg.debugScript(), e.getMessage());
            return CompletableFuture.completedFuture("");
        }
        debugRunning = true;
        CompletableFuture<String> out = new CompletableFuture<>();
        var timer = scheduler.schedule(
                () -> lane.execute(() -> {
                    if (!out.isDone()) {
                        LOG.error("Debug script {} timed out after {} ms", cfg.debugScript(), cfg.debugTimeoutMillis());
                        killer.kill((int) p.pid(), p.toHandle());
                        debugRunning = false;
                        out.complete(readOutput("debug-script") + "\n[debug script timed out]");
                    }
                }),
                cfg.debugTimeoutMillis(),
                TimeUnit.MILLISECONDS);
        p.onExit()
                .whenCompleteAsync(
                        (x, t) -> {
                            if (!out.isDone()) {
                                timer.cancel(false);
                                debugRunning = false;
                                out.complete(readOutput("debug-script"));
                            }
                        },
                        lane);
        return out;
    }

    String readOutput(String name) {
        return ScriptLauncher.readBounded(launcher.outputFile(name), cfg.outputLimitBytes());
    }

    void logOutput(ScriptResult r) {
        if (r.output().isEmpty()) {
            return;
        }
        r.output().lines().forEach(l -> LOG.atLevel(cfg.scriptLogLevel()).log("{}: {}", r.name(), l));
    }

    void logTimeout(EventRequest req, ScriptResult r) {
        LOG.error(
                "Event script '{} {} {}' timed out after {} ms, pid {}",
                r.name(),
                req.event().wireName(),
                String.join(" ", req.args()),
                r.durationMillis(),
                r.evidence().isEmpty() ? "?" : r.evidence().get(0).pid());
        logOutput(r);
        for (ProcInfo p : r.evidence()) {
            LOG.error(
                    "{}: {}{}",
                    r.name(),
                    p.describe(),
                    p.stack().isEmpty() ? "" : "; stack: " + String.join(" | ", p.stack()));
        }
    }

    Ticker ticker() {
        return ticker;
    }

    Clock clock() {
        return clock;
    }

    Executor lane() {
        return lane;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ScriptLauncher launcher() {
        return launcher;
    }

    Listener listener() {
        return listener;
    }
}

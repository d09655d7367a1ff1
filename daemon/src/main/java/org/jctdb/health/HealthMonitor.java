package org.jctdb.health;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jctdb.common.Ticker;
import org.jctdb.config.Installation;
import org.jctdb.os.ProcFs;
import org.jctdb.os.ProcInfo;
import org.jctdb.os.SpawnFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the cluster filesystem: one {@link ProbePolicy} and at most one probe process per
 * path, ticked on the executor it is given (all state lives on that one thread; process exits
 * and helper answers hop onto it). The built-in probe is a long-lived {@link ProbeHelper} per
 * path that stats on request; a configured probe command runs as one process per probe. Nothing
 * here waits on a probe: a probe that never returns costs one process and nothing else. Logs
 * once per state change.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jctdb.health");
    /** The built-in probe's helper program, in the installation's helper directory. */
    public static final String PROBE_HELPER = "jctdb_probe";

    static final long KILL_GRACE_MILLIS = ProbePolicy.KILL_GRACE_MILLIS;
    static final long UNKILLABLE_AFTER_MILLIS = 1000;

    /** A path to probe; {@code clusterLock} marks the directory of the cluster lock. */
    public record Watched(Path path, boolean clusterLock) {}

    /** What the daemon hears. Called on the monitor's executor; hop to your own thread. */
    public interface Listener {
        void healthChanged(boolean healthy, String reason);

        default void stateChanged(Path path, PathStatus status) {}

        /** A probe of {@code path} exited after {@code millis} (for the latency metric). */
        default void probeAnswered(Path path, long millis, boolean ok) {}

        void shutdownRequested(String reason);
    }

    /** Per-path runtime: the policy and the probe process it is waiting for, if any. */
    private static final class Slot {
        final Watched watched;
        final ProbePolicy policy;
        volatile ProbeProcess current; // read by shutdownStillWarranted() from other threads
        volatile ProbeHelper helper; // the helper's process is then current
        boolean unkillableLogged;
        boolean helperTroubleLogged; // until its next good answer: a broken helper is replaced every tick

        Slot(Watched watched, long now) {
            this.watched = watched;
            this.policy = new ProbePolicy(watched.path(), now);
        }
    }

    private final List<Slot> slots = new ArrayList<>();
    private final List<String> probeCommand;
    private final List<String> helperCommand;
    private final Supplier<ProbeSettings> settings;
    private final ShutdownGuard guard;
    private final ScheduledExecutorService executor;
    private final Ticker ticker;
    private final Listener listener;
    private final ProcFs procFs;
    private final GroupSignaller signaller;
    private boolean healthy = true;
    private volatile HealthReport report;
    private volatile boolean closed;

    public HealthMonitor(
            List<Watched> paths,
            List<String> probeCommand,
            Supplier<ProbeSettings> settings,
            ShutdownGuard guard,
            ScheduledExecutorService executor,
            Ticker ticker,
            Listener listener) {
        this(
                paths,
                probeCommand,
                List.of(Installation.current().helper(PROBE_HELPER).toString()),
                settings,
                guard,
                executor,
                ticker,
                listener,
                ProcFs.system(),
                null);
    }

    /**
     * @param probeCommand  a program run once per probe with the path appended; empty for the
     *                      built-in helper
     * @param helperCommand the built-in helper (path appended), used when probeCommand is empty
     */
    HealthMonitor(
            List<Watched> paths,
            List<String> probeCommand,
            List<String> helperCommand,
            Supplier<ProbeSettings> settings,
            ShutdownGuard guard,
            ScheduledExecutorService executor,
            Ticker ticker,
            Listener listener,
            ProcFs procFs,
            GroupSignaller signaller) {
        this.probeCommand = List.copyOf(probeCommand);
        this.helperCommand = List.copyOf(helperCommand);
        this.settings = settings;
        this.guard = guard;
        this.executor = executor;
        this.ticker = ticker;
        this.listener = listener;
        this.procFs = procFs;
        this.signaller = signaller != null ? signaller : GroupSignaller.system(procFs);
        long now = ticker.nowMillis();
        for (Watched w : paths) {
            slots.add(new Slot(w, now));
        }
        publish(now);
    }

    public void start() {
        if (!slots.isEmpty()) {
            executor.execute(this::tick);
        }
    }

    /** The latest state, with durations measured now. */
    public HealthReport snapshot() {
        return report.at(ticker.nowMillis());
    }

    /**
     * The re-check the daemon makes at the moment it would shut down: is storage still hung,
     * with the unanswered probe still alive right now? Safe from any thread.
     */
    public boolean shutdownStillWarranted() {
        HealthReport r = report;
        List<PathStatus> statuses =
                r.paths().stream().map(HealthReport.PathReport::status).toList();
        return guard.due(ticker.nowMillis(), statuses, this::probeAliveNow).isPresent();
    }

    private boolean probeAliveNow(Path path) {
        for (Slot s : slots) {
            ProbeProcess p = s.current; // may be stale by one probe: then it is dead, which cancels
            ProbeHelper h = s.helper;
            if (s.watched.path().equals(path)) {
                // A helper lives between probes: only its unanswered request counts.
                return p != null && p.process.isAlive() && (h == null || h.unanswered());
            }
        }
        return false;
    }

    /**
     * Runs work on the monitor's thread after a delay. Probe exits and helper answers arrive on
     * other threads and can race the owner's shutdown of the executor after close(): such work
     * is dropped, as close() already killed every probe; a refusal while open is a real fault.
     */
    private void later(Runnable work, long delayMillis) {
        if (closed) {
            return;
        }
        try {
            executor.schedule(work, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    private void tick() {
        if (closed) {
            return;
        }
        long began = ticker.nowMillis();
        ProbeSettings s = settings.get();
        try {
            probeAll(s);
        } finally { // whatever went wrong, the next tick comes
            long delay = Math.max(10, s.intervalMs() - (ticker.nowMillis() - began));
            later(this::tick, delay);
        }
    }

    private void probeAll(ProbeSettings s) {
        for (Slot slot : slots) {
            try {
                tickSlot(slot, s, ticker.nowMillis());
            } catch (RuntimeException e) {
                log.error("health probe of {} failed unexpectedly: {}", slot.watched.path(), e.toString());
            }
        }
        long now = ticker.nowMillis();
        Optional<String> action = guard.decide(now, statuses(), this::probeAliveNow);
        publish(now);
        if (action.isPresent()) {
            log.error("hung storage action: shutdown, because {}", action.get());
            listener.shutdownRequested(action.get());
        }
    }

    /**
     * Every slot's status, in slot order. A loop, not a stream: this runs on every tick, and an
     * idle daemon's first minutes interpret, then compile, every method a periodic path calls
     * (bench/README.md, "The first minute's compiler").
     */
    private List<PathStatus> statuses() {
        List<PathStatus> out = new ArrayList<>(slots.size());
        for (Slot slot : slots) {
            out.add(slot.policy.status());
        }
        return out;
    }

    private void tickSlot(Slot slot, ProbeSettings s, long now) {
        boolean alive = probeCommand.isEmpty() ? helperBusy(slot, s) : processAlive(slot, s, now);
        ProbeProcess p = slot.current;
        ProbePolicy.Decision d = slot.policy.tick(now, s, alive);
        handle(slot, d.edges(), now);
        if (d.killProbe() && p != null) {
            if (slot.helper != null) {
                slot.helper.retire(); // its late answer, if any, is never asked for again
            }
            kill(slot, p, now);
        }
        if (p != null && p.sigkillAt >= 0 && !slot.unkillableLogged && now - p.sigkillAt >= UNKILLABLE_AFTER_MILLIS) {
            p.survivors = p.evidence();
            if (!p.survivors.isEmpty()) {
                slot.unkillableLogged = true;
                log.error(
                        "probe of {} survived SIGKILL for {} ms and will not be restarted until it ends: {}",
                        slot.watched.path(),
                        now - p.sigkillAt,
                        String.join(
                                "; ",
                                p.survivors.stream().map(ProcInfo::describe).toList()));
            }
        }
        if (d.startProbe()) {
            start(slot, s, now);
        }
    }

    /** Whether the last probe process lives; its exit is delivered first. */
    private boolean processAlive(Slot slot, ProbeSettings s, long now) {
        ProbeProcess p = slot.current;
        if (p != null && p.takeExit()) {
            exited(slot, p, now, s); // deliver the answer before the policy judges the tick
        }
        boolean alive = p != null && p.alive();
        if (p != null && !alive) {
            slot.current = null;
        }
        return alive;
    }

    /**
     * Whether the helper holds the probe slot: a request of it is unanswered, or it is retired
     * and something of it still lives. Its answers and its end are delivered first.
     */
    private boolean helperBusy(Slot slot, ProbeSettings s) {
        ProbeHelper h = slot.helper;
        if (h == null) {
            return false;
        }
        drain(slot, h, s);
        if (!h.process.alive()) {
            if (!h.retired()) { // it died before its reader saw the end of its output
                helperFailed(slot, h, ticker.nowMillis(), helperGone(h), s);
            }
            slot.helper = null;
            slot.current = null;
            return false;
        }
        return h.outstanding() != 0 || h.retired();
    }

    /** Everything the helper said since the last look, on the monitor's thread. */
    private void drain(Slot slot, ProbeHelper h, ProbeSettings s) {
        for (ProbeHelper.Event e = h.poll(); e != null; e = h.poll()) {
            if (e instanceof ProbeHelper.Line l) {
                helperLine(slot, h, l, s);
            } else if (!h.retired()) {
                long at = ((ProbeHelper.Closed) e).atMillis();
                helperFailed(slot, h, at, helperGone(h), s);
            }
        }
    }

    private void helperLine(Slot slot, ProbeHelper h, ProbeHelper.Line l, ProbeSettings s) {
        if (h.retired()) {
            return; // a late answer of a helper that missed its deadline: not asked any more
        }
        ProbeHelper.Reply r = ProbeHelper.parse(l.text(), h.outstanding());
        if (r instanceof ProbeHelper.Answer a) {
            slot.helperTroubleLogged = false;
            h.settled();
            listener.probeAnswered(slot.watched.path(), l.atMillis() - h.sentAt(), a.ok());
            handle(slot, slot.policy.answered(l.atMillis(), a.ok(), a.ok() ? "" : a.detail(), s), l.atMillis());
        } else {
            String why = ((ProbeHelper.Garbled) r).why();
            if (!slot.helperTroubleLogged) {
                slot.helperTroubleLogged = true;
                log.error(
                        "probe helper of {} (pid {}) said something unexpected, replacing it: {}",
                        slot.watched.path(),
                        h.process.pid(),
                        why);
            }
            helperFailed(slot, h, l.atMillis(), "the probe helper answered garbage: " + why, s);
        }
    }

    /** The helper cannot be trusted or used again: the request in flight fails, the helper is killed. */
    private void helperFailed(Slot slot, ProbeHelper h, long at, String why, ProbeSettings s) {
        boolean inFlight = h.outstanding() != 0;
        h.settled();
        h.retire();
        if (inFlight) {
            listener.probeAnswered(slot.watched.path(), at - h.sentAt(), false);
            handle(slot, slot.policy.answered(at, false, why, s), at);
        } else if (!slot.helperTroubleLogged) {
            slot.helperTroubleLogged = true;
            log.warn("probe helper of {} (pid {}) ended between probes: {}", slot.watched.path(), h.process.pid(), why);
        }
        if (h.process.alive()) {
            kill(slot, h.process, ticker.nowMillis());
        }
    }

    /** Why the helper's output ended: its exit status and stderr, from the OS. */
    private static String helperGone(ProbeHelper h) {
        if (h.process.process.isAlive()) {
            return "the probe helper closed its output";
        }
        String err = h.process.error();
        return "the probe helper exited with status " + h.process.process.exitValue()
                + (err.isEmpty() ? "" : ": " + err);
    }

    private void start(Slot slot, ProbeSettings s, long now) {
        slot.policy.started(now);
        slot.unkillableLogged = false;
        if (probeCommand.isEmpty()) {
            ask(slot, s, now);
            return;
        }
        try {
            ProbeProcess p = ProbeProcess.start(probeCommand, slot.watched.path(), now, procFs);
            slot.current = p;
            p.process.onExit().thenRun(() -> {
                long end = ticker.nowMillis();
                later(() -> exitedLater(slot, p, end), 0);
            });
        } catch (IOException e) {
            notStarted(slot, s, now, e);
        }
    }

    /** Sends the helper a request, starting the helper first when there is none. */
    private void ask(Slot slot, ProbeSettings s, long now) {
        ProbeHelper h = slot.helper;
        try {
            if (h == null) {
                h = ProbeHelper.start(helperCommand, slot.watched.path(), now, procFs, ticker, said -> {
                    later(() -> helperSaid(slot, said), 0);
                });
                slot.helper = h;
                slot.current = h.process;
            }
        } catch (IOException e) {
            notStarted(slot, s, now, e);
            return;
        }
        try {
            h.request(now);
        } catch (IOException e) {
            helperFailed(slot, h, now, "cannot send the probe helper a request: " + e.getMessage(), s);
        }
    }

    private void helperSaid(Slot slot, ProbeHelper h) {
        if (slot.helper == h) {
            drain(slot, h, settings.get());
            publish(ticker.nowMillis());
        }
    }

    private void notStarted(Slot slot, ProbeSettings s, long now, IOException e) {
        if (SpawnFailure.isJdkReplaced(e)) {
            // Not the storage's fault: keep the last verdict, try again at the next interval.
            SpawnFailure.report("the storage probe", e.getMessage());
            slot.policy.notStarted();
            return;
        }
        handle(slot, slot.policy.answered(now, false, "cannot start the probe: " + e.getMessage(), s), now);
    }

    private void exitedLater(Slot slot, ProbeProcess p, long end) {
        if (slot.current == p && p.takeExit()) {
            exited(slot, p, end, settings.get());
            publish(ticker.nowMillis());
        }
    }

    private void exited(Slot slot, ProbeProcess p, long end, ProbeSettings s) {
        int code = p.process.exitValue();
        String err = p.error();
        String why = code == 0 ? "" : (err.isEmpty() ? "probe exited with status " + code : err);
        listener.probeAnswered(slot.watched.path(), end - p.startedAt, code == 0);
        handle(slot, slot.policy.answered(end, code == 0, why, s), end);
    }

    /** SIGTERM to the whole group now, SIGKILL after a short grace: a probe has nothing to tidy. */
    private void kill(Slot slot, ProbeProcess p, long now) {
        p.sigtermAt = now;
        signaller.signal(p.process, p.aliveMembers(), false);
        later(
                () -> {
                    if (p.alive()) {
                        p.sigkillAt = ticker.nowMillis();
                        signaller.signal(p.process, p.aliveMembers(), true);
                    }
                },
                KILL_GRACE_MILLIS);
    }

    private void handle(Slot slot, List<HealthEdge> edges, long now) {
        // Readers of the snapshot, told below, must already see the state they are told about.
        publish(now);
        for (HealthEdge e : edges) {
            if (e instanceof HealthEdge.StateChanged) {
                HealthEdge.StateChanged c = (HealthEdge.StateChanged) e;
                logState(slot, c.from(), c.status());
                listener.stateChanged(slot.watched.path(), c.status());
            }
        }
        List<PathStatus> statuses = statuses();
        boolean nowHealthy = true;
        for (PathStatus st : statuses) {
            nowHealthy &= st.healthy();
        }
        if (nowHealthy != healthy) {
            healthy = nowHealthy;
            NodeVerdict v = NodeVerdict.of(statuses, now);
            log.warn("storage verdict: {}", healthy ? "HEALTHY" : "UNHEALTHY, " + v.reason());
            listener.healthChanged(healthy, v.reason());
        }
    }

    private void logState(Slot slot, ProbeState from, PathStatus st) {
        Path path = slot.watched.path();
        switch (st.state()) {
            case SLOW:
                log.warn(
                        "High {} latency {}s probing {}{}",
                        slot.watched.clusterLock() ? "cluster lock" : "cluster filesystem",
                        String.format("%.2f", st.lastLatencyMillis() / 1000.0),
                        path,
                        from.answering() ? "" : " (answers again after " + from + ")");
                break;
            case FAILED:
                log.error("probe of {} failed: {}", path, st.detail());
                break;
            case HUNG:
                log.error(
                        "probe of {} is HUNG: {} (started {} ms ago)",
                        path,
                        st.detail(),
                        ticker.nowMillis() - st.sinceMillis());
                break;
            default:
                if (from == ProbeState.UNKNOWN) {
                    log.info("probe of {} answers: {} ({} ms)", path, st.state(), st.lastLatencyMillis());
                } else {
                    log.warn(
                            "probe of {} answers again ({} -> {}, {} ms)",
                            path,
                            from,
                            st.state(),
                            st.lastLatencyMillis());
                }
        }
    }

    private void publish(long now) {
        List<HealthReport.PathReport> paths = new ArrayList<>(slots.size());
        List<PathStatus> statuses = new ArrayList<>(slots.size());
        for (Slot slot : slots) {
            ProbeProcess p = slot.current;
            boolean hung = p != null && slot.policy.currentProbeMissedDeadline() && p.process.isAlive();
            List<String> unkillable = p != null && slot.unkillableLogged
                    ? p.survivors.stream().map(ProcInfo::describe).toList()
                    : List.of();
            PathStatus status = slot.policy.status();
            statuses.add(status);
            paths.add(new HealthReport.PathReport(
                    status, slot.watched.clusterLock(), hung ? 1 : 0, unkillable.size(), unkillable));
        }
        NodeVerdict v = NodeVerdict.of(statuses, now);
        report = new HealthReport(now, v.healthy(), v.reason(), paths, guard.enabled() ? guard.afterMillis() : -1);
    }

    /** Stops probing; sends SIGKILL to live probes without waiting for them. */
    @Override
    public void close() {
        closed = true;
        for (Slot slot : slots) {
            ProbeProcess p = slot.current;
            if (p != null && p.process.isAlive()) {
                signaller.signal(p.process, p.aliveMembers(), true);
            }
        }
    }
}

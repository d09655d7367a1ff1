package org.jctdb.health;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The probe state machine of one path. Pure: time comes in as arguments, and whether the last
 * probe's process is still alive is asked of the operating system by the caller, never
 * remembered here, so a hung probe cannot be forgotten by a lost flag.
 *
 * <p>The caller ticks it every {@link ProbeSettings#intervalMs()} and reports each probe's
 * start and answer. At a tick the policy may ask to kill the current probe (its deadline has
 * passed) and to start a new one (only when no process of the previous one is alive: at most
 * one probe per path exists, however long storage hangs).
 *
 * <p>Failures: a FAILED answer counts one; while HUNG every tick counts one, including the tick
 * that found the deadline missed. So a hang turns into UNHEALTHY at the same pace whether the
 * kernel lets us kill the probe or not. Any answer in time resets the count.
 */
public final class ProbePolicy {
    /** How long a killed probe gets to exit before it counts as unkillable-in-waiting (the monitor's kill grace). */
    public static final long KILL_GRACE_MILLIS = 250;

    /** What the caller must do after a tick. */
    public record Decision(List<HealthEdge> edges, boolean killProbe, boolean startProbe) {
        public Decision {
            edges = List.copyOf(edges);
        }
    }

    private final Path path;
    private ProbeState state = ProbeState.UNKNOWN;
    private long since;
    private long lastLatency = -1;
    private int failures;
    private boolean healthy = true;
    private String detail = "";
    private long probeStartedAt;
    private boolean awaiting;
    private boolean deadlineMissed;

    public ProbePolicy(Path path, long nowMillis) {
        this.path = path;
        this.since = nowMillis;
    }

    public Path path() {
        return path;
    }

    public PathStatus status() {
        return new PathStatus(path, state, since, lastLatency, failures, healthy, detail);
    }

    /** Whether the current probe has missed its deadline (its answer no longer counts). */
    public boolean currentProbeMissedDeadline() {
        return awaiting && deadlineMissed;
    }

    /**
     * One tick.
     *
     * @param probeAlive whether any process of the last probe is alive, as the OS reports it
     */
    public Decision tick(long now, ProbeSettings s, boolean probeAlive) {
        List<HealthEdge> edges = new ArrayList<>();
        boolean kill = false;
        boolean counted = false;
        if (awaiting && !deadlineMissed && now - probeStartedAt >= s.timeoutMs()) {
            deadlineMissed = true;
            kill = probeAlive;
            if (state != ProbeState.HUNG) {
                failures++;
                counted = true;
                enter(ProbeState.HUNG, probeStartedAt, "no answer within " + s.timeoutMs() + " ms", edges);
            }
        }
        if (state == ProbeState.HUNG && !counted) {
            failures++;
        }
        if (!probeAlive && awaiting) {
            // The caller reports every exit before ticking; a probe that vanished unreported
            // (or was killed after its deadline) has nothing more to say.
            awaiting = false;
        }
        verdict(s, edges);
        return new Decision(edges, kill, !probeAlive);
    }

    /** A probe process was started. */
    public void started(long now) {
        awaiting = true;
        deadlineMissed = false;
        probeStartedAt = now;
    }

    /** The probe could not be started for a reason that says nothing about the path (the JDK was replaced). */
    public void notStarted() {
        awaiting = false;
    }

    /**
     * The probe's process exited (or could not be started: {@code ok} false). An answer after the
     * deadline is ignored: its failure is already counted, and its late success says less than
     * the next probe will.
     */
    public List<HealthEdge> answered(long now, boolean ok, String error, ProbeSettings s) {
        List<HealthEdge> edges = new ArrayList<>();
        if (!awaiting) {
            return edges;
        }
        awaiting = false;
        if (deadlineMissed) {
            return edges;
        }
        long latency = now - probeStartedAt;
        lastLatency = latency;
        if (ok) {
            failures = 0;
            boolean slow = s.slowMs() > 0 && latency > s.slowMs();
            enter(slow ? ProbeState.SLOW : ProbeState.OK, now, "", edges);
        } else {
            failures++;
            enter(ProbeState.FAILED, now, error, edges);
        }
        verdict(s, edges);
        return edges;
    }

    private void enter(ProbeState next, long at, String why, List<HealthEdge> edges) {
        detail = why;
        if (next == state) {
            return;
        }
        ProbeState from = state;
        state = next;
        since = at;
        edges.add(new HealthEdge.StateChanged(from, status()));
    }

    private void verdict(ProbeSettings s, List<HealthEdge> edges) {
        boolean now = failures < s.failCount();
        if (now != healthy) {
            healthy = now;
            edges.add(new HealthEdge.VerdictChanged(path, healthy, status()));
        }
    }
}

package org.jctdb.health;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Drives a {@link ProbePolicy} as the monitor does, against a model of storage and of probe
 * processes: exits are delivered before the tick that sees them, a kill ends a killable probe
 * after the SIGKILL grace, and an unkillable one only when storage returns.
 */
final class PolicySim {
    /** Storage: probes started in [hangStart, hangEnd) (or running into it) answer at hangEnd. */
    record Storage(long hangStart, long hangEnd, boolean killable, long latency) {
        long answerAt(long start) {
            long natural = start + latency;
            return natural >= hangStart && start < hangEnd ? Math.max(natural, hangEnd) : natural;
        }
    }

    record Sample(long time, boolean alive, ProbePolicy.Decision decision, PathStatus status) {}

    final ProbePolicy policy;
    final ProbeSettings s;
    final Storage storage;
    final List<Sample> samples = new ArrayList<>();
    final List<HealthEdge> edges = new ArrayList<>();
    int starts;
    int kills;
    private long exitAt = -1;
    private boolean exitOk;
    private boolean exitDelivered = true;

    PolicySim(ProbeSettings s, Storage storage) {
        this.s = s;
        this.storage = storage;
        this.policy = new ProbePolicy(Path.of("/p"), 0);
    }

    /** Ticks every interval plus up to {@code jitter} ms until {@code end}. */
    void run(long end, long jitter, Random random) {
        long t = 0;
        while (t <= end) {
            step(t);
            t += s.intervalMs() + (jitter > 0 ? random.nextInt((int) jitter) : 0);
        }
    }

    void step(long t) {
        if (!exitDelivered && exitAt <= t) {
            exitDelivered = true;
            edges.addAll(policy.answered(exitAt, exitOk, exitOk ? "" : "failed", s));
        }
        boolean alive = !exitDelivered;
        ProbePolicy.Decision d = policy.tick(t, s, alive);
        edges.addAll(d.edges());
        samples.add(new Sample(t, alive, d, policy.status()));
        if (d.killProbe()) {
            kills++;
            if (storage.killable()) {
                exitAt = Math.min(exitAt, t + ProbePolicy.KILL_GRACE_MILLIS);
            }
            exitOk = false;
        }
        if (d.startProbe()) {
            starts++;
            policy.started(t);
            exitAt = storage.answerAt(t);
            exitOk = true;
            exitDelivered = false;
        }
    }

    /** When the node turns UNHEALTHY for a hang starting at {@code hangStart} that never ends. */
    static long timeToUnhealthy(ProbeSettings s, long hangStart, boolean killable) {
        PolicySim sim = new PolicySim(s, new Storage(hangStart, Long.MAX_VALUE, killable, 3));
        for (long t = 0; t < hangStart + 60_000; t += s.intervalMs()) {
            sim.step(t);
            if (!sim.policy.status().healthy()) {
                return t;
            }
        }
        throw new AssertionError("never unhealthy");
    }
}

package org.jctdb.health;

import org.jctdb.config.Tunables;

/**
 * Probe timing, read from the tunables at every tick so `jctdb setvar` takes effect at once.
 *
 * @param intervalMs  time between ticks; at most one probe starts per tick
 * @param timeoutMs   a probe older than this at a tick has missed its deadline
 * @param failCount   consecutive failures that make the node UNHEALTHY
 * @param slowMs      answers slower than this are SLOW (RecLockLatencyMs; 0 turns it off)
 */
public record ProbeSettings(long intervalMs, long timeoutMs, int failCount, long slowMs) {
    public static final long MIN_MILLIS = 100;

    public ProbeSettings {
        intervalMs = Math.max(MIN_MILLIS, intervalMs);
        timeoutMs = Math.max(MIN_MILLIS, timeoutMs);
        failCount = Math.max(1, failCount);
        slowMs = Math.max(0, slowMs);
    }

    public static ProbeSettings from(Tunables t) {
        return new ProbeSettings(
                t.get("HealthProbeIntervalMs"),
                t.get("HealthProbeTimeoutMs"),
                (int) Math.min(Integer.MAX_VALUE, t.get("HealthProbeFailCount")),
                t.get("RecLockLatencyMs"));
    }

    public static ProbeSettings defaults() {
        return from(Tunables.defaults());
    }
}

package org.jctdb.health;

import java.nio.file.Path;

/**
 * One probed path as the policy sees it.
 *
 * @param sinceMillis          ticker time the state began; for HUNG, when the unanswered probe started
 * @param lastLatencyMillis    how long the last answered probe took, or -1 if none has answered
 * @param consecutiveFailures  failures since the last answer; HUNG adds one per tick
 * @param detail               the probe's error text or why it is HUNG; empty when answering
 */
public record PathStatus(
        Path path,
        ProbeState state,
        long sinceMillis,
        long lastLatencyMillis,
        int consecutiveFailures,
        boolean healthy,
        String detail) {

    /** A one-line description for logs and the UNHEALTHY reason. */
    public String describe(long nowMillis) {
        StringBuilder b = new StringBuilder("cluster filesystem ")
                .append(path)
                .append(' ')
                .append(state)
                .append(" for ")
                .append(Math.max(0, nowMillis - sinceMillis) / 1000)
                .append('s');
        if (consecutiveFailures > 0) {
            b.append(" (").append(consecutiveFailures).append(" consecutive failures)");
        }
        if (!detail.isEmpty()) {
            b.append(": ").append(detail);
        }
        return b.toString();
    }
}

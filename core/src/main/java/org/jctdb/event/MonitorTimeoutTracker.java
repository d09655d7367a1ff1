package org.jctdb.event;

/**
 * Turns monitor event replies into node health changes.
 *
 * <p>CTDB pretends a timed-out monitor succeeded until MonitorTimeoutCount (default 20)
 * timeouts happen in a row. JCTDB keeps the tunable but defaults it to 1: a monitor that
 * times out marks the node unhealthy at once, because a hung probe is exactly the failure
 * this node must report. Not thread-safe; the daemon calls it from one thread.
 */
public final class MonitorTimeoutTracker {
    /** JCTDB's default for MonitorTimeoutCount (CTDB: 20). */
    public static final int DEFAULT_MONITOR_TIMEOUT_COUNT = 1;

    public enum Verdict {
        HEALTHY,
        UNHEALTHY,
        UNCHANGED
    }

    private int consecutiveTimeouts;

    /** @param monitorTimeoutCount current value of the tunable; values below 1 are treated as 1 */
    public Verdict onMonitor(EventReply reply, int monitorTimeoutCount) {
        if (reply.event() != Event.MONITOR) {
            throw new IllegalArgumentException(
                    "not a monitor reply: " + reply.event().wireName());
        }
        if (reply instanceof EventReply.Cancelled) {
            return Verdict.UNCHANGED;
        }
        if (reply instanceof EventReply.Completed c) {
            if (c.summary() == 0) {
                consecutiveTimeouts = 0;
                return Verdict.HEALTHY;
            }
            if (c.timedOut()) {
                consecutiveTimeouts++;
                return consecutiveTimeouts >= Math.max(1, monitorTimeoutCount) ? Verdict.UNHEALTHY : Verdict.UNCHANGED;
            }
        }
        consecutiveTimeouts = 0;
        return Verdict.UNHEALTHY;
    }

    public int consecutiveTimeouts() {
        return consecutiveTimeouts;
    }
}

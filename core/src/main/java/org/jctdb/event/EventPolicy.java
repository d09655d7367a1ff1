package org.jctdb.event;

import java.util.EnumSet;
import java.util.Set;

/** CTDB's rules on what an event's result means for the daemon. Pure. */
public final class EventPolicy {
    /** What the daemon does when an event fails. */
    public enum OnFailure {
        /** init, setup: the daemon cannot start; stop it. */
        STOP_DAEMON,
        /** startup: run it again later (CTDB retries until it succeeds). */
        RETRY,
        /** monitor: the node becomes UNHEALTHY. */
        SET_UNHEALTHY,
        /** startrecovery/recovered/takeip/releaseip/updateip/ipreallocated: the caller's operation fails. */
        FAIL_OPERATION,
        /** shutdown: log and carry on stopping. */
        LOG_ONLY
    }

    /** Events whose timeout CTDB converts to success because their callers have their own timeout. */
    private static final Set<Event> TIMEOUT_IGNORED =
            EnumSet.of(Event.STARTRECOVERY, Event.RECOVERED, Event.TAKEIP, Event.RELEASEIP);

    private EventPolicy() {}

    public static OnFailure onFailure(Event e) {
        return switch (e) {
            case INIT, SETUP -> OnFailure.STOP_DAEMON;
            case STARTUP -> OnFailure.RETRY;
            case MONITOR -> OnFailure.SET_UNHEALTHY;
            case SHUTDOWN -> OnFailure.LOG_ONLY;
            default -> OnFailure.FAIL_OPERATION;
        };
    }

    public static boolean timeoutIgnored(Event e) {
        return TIMEOUT_IGNORED.contains(e);
    }

    /**
     * Whether the daemon should treat this reply as success. A timed out startrecovery,
     * recovered, takeip or releaseip counts as success (CTDB's rule; the status still shows
     * TIMEDOUT). A timed out monitor is a failure here; {@link MonitorTimeoutTracker} decides
     * health. Cancelled events are neither: callers ignore them.
     */
    public static boolean succeeded(EventReply reply) {
        if (reply instanceof EventReply.Completed c) {
            if (c.summary() == 0) {
                return true;
            }
            return c.timedOut() && timeoutIgnored(c.event());
        }
        return false;
    }
}

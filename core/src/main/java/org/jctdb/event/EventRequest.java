package org.jctdb.event;

import java.util.List;

/**
 * A request to run one event.
 *
 * @param timeoutMillis bound on the whole event (all scripts together); 0 means no limit
 * @param inRecovery    whether the node is in recovery mode now; only some events may run then
 * @param generation    the cluster generation the daemon decided this event in; exported to
 *                      scripts as CTDB_GENERATION; negative means unknown (variable not set)
 */
public record EventRequest(Event event, List<String> args, long timeoutMillis, boolean inRecovery, long generation) {
    public EventRequest {
        args = List.copyOf(args);
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis must be >= 0, got " + timeoutMillis);
        }
    }

    public static EventRequest of(Event event, long timeoutMillis, String... args) {
        return new EventRequest(event, List.of(args), timeoutMillis, false, -1);
    }
}

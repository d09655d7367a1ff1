package org.jctdb.event;

import java.time.Instant;
import java.util.List;

/** What became of a requested event. */
public sealed interface EventReply permits EventReply.Completed, EventReply.Cancelled, EventReply.Refused {
    Event event();

    List<String> args();

    /**
     * The event ran (possibly stopping at the first failing script).
     *
     * @param summary 0 when every enabled script succeeded, otherwise the summary of the first
     *                failing script (see {@link ScriptResult#summary()})
     */
    record Completed(Event event, List<String> args, Instant start, List<ScriptResult> scripts, int summary)
            implements EventReply {
        public Completed {
            args = List.copyOf(args);
            scripts = List.copyOf(scripts);
        }

        public boolean timedOut() {
            return summary == -Errno.ETIMEDOUT;
        }

        public Completed withScripts(List<ScriptResult> newScripts) {
            return new Completed(event, args, start, newScripts, summary);
        }
    }

    /** A monitor event cancelled by another event, or a monitor refused because another event runs. */
    record Cancelled(Event event, List<String> args, String reason) implements EventReply {
        public Cancelled {
            args = List.copyOf(args);
        }
    }

    /** Not run at all: bad arguments, recovery mode, missing event directory, engine closed. */
    record Refused(Event event, List<String> args, int errno, String reason) implements EventReply {
        public Refused {
            args = List.copyOf(args);
        }
    }
}

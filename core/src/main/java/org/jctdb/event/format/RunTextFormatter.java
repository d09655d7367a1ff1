package org.jctdb.event.format;

import org.jctdb.event.Errno;
import org.jctdb.event.EventReply;

/** `jctdb event run TIMEOUT COMPONENT EVENT [ARGS]`: CTDB 4.17's messages and exit codes. */
public final class RunTextFormatter {
    private RunTextFormatter() {}

    public static Rendered run(String component, EventReply reply) {
        String ev = reply.event().wireName();
        if (reply instanceof EventReply.Completed c) {
            if (c.summary() == 0) {
                return new Rendered("", 0);
            }
            if (c.timedOut()) {
                return new Rendered("Event " + ev + " in " + component + " timed out\n", Errno.ETIMEDOUT);
            }
            return new Rendered("Event " + ev + " in " + component + " failed\n", Errno.ENOEXEC);
        }
        if (reply instanceof EventReply.Cancelled) {
            return new Rendered("Event " + ev + " in " + component + " got cancelled\n", Errno.ECANCELED);
        }
        EventReply.Refused r = (EventReply.Refused) reply;
        if (r.errno() == Errno.ENOENT) {
            return new Rendered("Event dir for " + component + " does not exist\n", Errno.ENOENT);
        }
        return new Rendered(
                "Failed to run event " + ev + " in " + component + ", result=" + r.errno() + " (" + r.reason() + ")\n",
                r.errno());
    }
}

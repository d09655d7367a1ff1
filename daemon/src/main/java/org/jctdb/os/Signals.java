package org.jctdb.os;

/** Sending SIGTERM or SIGKILL to one process, for the code that kills script sessions and probe groups. */
public final class Signals {
    private Signals() {}

    /** SIGTERM, or SIGKILL when {@code force}; a process already gone (or not ours) is not an error. */
    public static void send(ProcessHandle h, boolean force) {
        try {
            if (force) {
                h.destroyForcibly();
            } else {
                h.destroy();
            }
        } catch (RuntimeException e) {
            // gone already, or not ours to signal: the caller's next liveness check tells
        }
    }
}

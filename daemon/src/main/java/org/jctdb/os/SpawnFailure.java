package org.jctdb.os;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recognises a process start that failed because the JDK under the running daemon was replaced
 * (a package upgrade): with the JDK's default launch mechanism every start then fails with
 * "Failed to exec spawn helper". bin/jctdbd starts the JVM with a launch mechanism that needs no
 * helper (VFORK); this is the safety net when it runs without it. Such a failure says nothing about
 * the node, so the health probe and the monitor event keep their last verdict and the log says
 * plainly what to do, at most once a minute.
 */
public final class SpawnFailure {
    private static final Logger log = LoggerFactory.getLogger("jctdb.daemon");
    private static final long REPEAT_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static volatile long lastLogged = System.nanoTime() - REPEAT_NANOS;
    private static volatile boolean seen;

    private SpawnFailure() {}

    /** True if {@code text} (an exception message or a script result) is the JDK's spawn-helper failure. */
    public static boolean isJdkReplaced(String text) {
        return text != null && text.contains("spawn helper");
    }

    public static boolean isJdkReplaced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (isJdkReplaced(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** Whether this daemon has met the failure since it started. */
    public static boolean seen() {
        return seen;
    }

    /** Logs the failure in plain words (rate-limited); {@code what} names what could not start. */
    public static void report(String what, String detail) {
        seen = true;
        long now = System.nanoTime();
        if (now - lastLogged >= REPEAT_NANOS) {
            lastLogged = now;
            log.error(
                    "cannot start {}: the JDK under this daemon was replaced (\"{}\"); keeping the last health"
                            + " verdicts; restart jctdb on this node (or start it with"
                            + " -Djdk.lang.Process.launchMechanism=VFORK, as bin/jctdbd does)",
                    what,
                    detail);
        }
    }
}

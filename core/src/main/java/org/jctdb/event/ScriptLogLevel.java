package org.jctdb.event;

import java.util.Locale;
import org.slf4j.event.Level;

/** Maps CTDB debug level names (ctdb.conf "script log level") to SLF4J levels. */
public final class ScriptLogLevel {
    private ScriptLogLevel() {}

    /** Accepts ERROR, WARNING, NOTICE, INFO, DEBUG (any case); throws with the bad value otherwise. */
    public static Level parse(String ctdbLevel) {
        String s = ctdbLevel == null ? "" : ctdbLevel.trim().toUpperCase(Locale.ROOT);
        return switch (s) {
            case "ERROR", "ERR" -> Level.ERROR;
            case "WARNING", "WARN" -> Level.WARN;
            case "NOTICE", "INFO" -> Level.INFO;
            case "DEBUG" -> Level.DEBUG;
            default ->
                throw new IllegalArgumentException("unknown script log level '" + ctdbLevel
                        + "' (expected ERROR, WARNING, NOTICE, INFO or DEBUG)");
        };
    }
}

package org.jctdb.event;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.slf4j.event.Level;

/**
 * Static configuration of the event engine. All paths must be on local storage.
 *
 * @param ctdbBase         CTDB_BASE (configuration directory, e.g. /etc/jctdb)
 * @param eventDir         directory of enabled scripts, normally ctdbBase/events/legacy
 * @param ctdbCommand      path of the jctdb command, exported as CTDB
 * @param helperBinDir     directory holding ctdb-config and other helpers (CTDB_HELPER_BINDIR)
 * @param scriptVarDir     CTDB_SCRIPT_VARDIR: scripts' state directories live below it
 * @param varDir           CTDB_VARDIR
 * @param runDir           where script output is captured (one file per script); local only
 * @param debugScript      [event] debug script, resolved against ctdbBase; null if none
 * @param killGraceMillis  time between SIGTERM and SIGKILL of a script's session
 * @param killCheckMillis  time after SIGKILL before survivors are reported UNKILLABLE
 * @param debugTimeoutMillis deadline for the debug script
 * @param outputLimitBytes how much script output is kept in status and logs
 * @param scriptLogLevel   level at which script output is logged ([logging] script log level)
 * @param extraEnv         further variables for scripts (e.g. the daemon's socket path)
 */
public record EngineConfig(
        Path ctdbBase,
        Path eventDir,
        Path ctdbCommand,
        Path helperBinDir,
        Path scriptVarDir,
        Path varDir,
        Path runDir,
        Path debugScript,
        long killGraceMillis,
        long killCheckMillis,
        long debugTimeoutMillis,
        int outputLimitBytes,
        Level scriptLogLevel,
        Map<String, String> extraEnv) {

    public static final long DEFAULT_KILL_GRACE_MILLIS = 2_000;
    public static final long DEFAULT_KILL_CHECK_MILLIS = 1_000;
    public static final long DEFAULT_DEBUG_TIMEOUT_MILLIS = 10_000;
    public static final int DEFAULT_OUTPUT_LIMIT = 8_192;

    public EngineConfig {
        Objects.requireNonNull(ctdbBase, "ctdbBase");
        Objects.requireNonNull(eventDir, "eventDir");
        Objects.requireNonNull(ctdbCommand, "ctdbCommand");
        Objects.requireNonNull(helperBinDir, "helperBinDir");
        Objects.requireNonNull(scriptVarDir, "scriptVarDir");
        Objects.requireNonNull(varDir, "varDir");
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(scriptLogLevel, "scriptLogLevel");
        if (killGraceMillis < 0 || killCheckMillis < 0 || debugTimeoutMillis <= 0 || outputLimitBytes <= 0) {
            throw new IllegalArgumentException("negative/zero engine timing or output limit");
        }
        extraEnv = Map.copyOf(extraEnv);
    }

    /**
     * Defaults in CTDB's layout: scripts in ctdbBase/events/legacy, state under varDir/scripts,
     * output under varDir/event-output.
     */
    public static EngineConfig defaults(Path ctdbBase, Path ctdbCommand, Path helperBinDir, Path varDir) {
        return new EngineConfig(
                ctdbBase,
                ctdbBase.resolve("events/legacy"),
                ctdbCommand,
                helperBinDir,
                varDir.resolve("scripts"),
                varDir,
                varDir.resolve("event-output"),
                null,
                DEFAULT_KILL_GRACE_MILLIS,
                DEFAULT_KILL_CHECK_MILLIS,
                DEFAULT_DEBUG_TIMEOUT_MILLIS,
                DEFAULT_OUTPUT_LIMIT,
                Level.ERROR,
                Map.of());
    }

    /** Same, with the ctdb.conf "[event] debug script" (a bare name relative to ctdbBase, as CTDB does). */
    public EngineConfig withDebugScript(String name) {
        Path p = name == null || name.isBlank()
                ? null
                : ctdbBase.resolve(Path.of(name).getFileName());
        return new EngineConfig(
                ctdbBase,
                eventDir,
                ctdbCommand,
                helperBinDir,
                scriptVarDir,
                varDir,
                runDir,
                p,
                killGraceMillis,
                killCheckMillis,
                debugTimeoutMillis,
                outputLimitBytes,
                scriptLogLevel,
                extraEnv);
    }

    public EngineConfig withTimings(long graceMillis, long checkMillis, long debugMillis) {
        return new EngineConfig(
                ctdbBase,
                eventDir,
                ctdbCommand,
                helperBinDir,
                scriptVarDir,
                varDir,
                runDir,
                debugScript,
                graceMillis,
                checkMillis,
                debugMillis,
                outputLimitBytes,
                scriptLogLevel,
                extraEnv);
    }

    public EngineConfig withLogging(Level level, int limitBytes) {
        return new EngineConfig(
                ctdbBase,
                eventDir,
                ctdbCommand,
                helperBinDir,
                scriptVarDir,
                varDir,
                runDir,
                debugScript,
                killGraceMillis,
                killCheckMillis,
                debugTimeoutMillis,
                limitBytes,
                level,
                extraEnv);
    }

    public EngineConfig withExtraEnv(Map<String, String> env) {
        return new EngineConfig(
                ctdbBase,
                eventDir,
                ctdbCommand,
                helperBinDir,
                scriptVarDir,
                varDir,
                runDir,
                debugScript,
                killGraceMillis,
                killCheckMillis,
                debugTimeoutMillis,
                outputLimitBytes,
                scriptLogLevel,
                env);
    }
}

package org.jctdb.event;

import java.time.Instant;
import java.util.List;
import org.jctdb.os.ProcInfo;

/**
 * The result of one script within one event run.
 *
 * @param name           script name without the ".script" suffix, e.g. "01.reclock"
 * @param status         outcome
 * @param code           exit status for OK/ERROR; errno for CANNOT_RUN; 0 otherwise
 * @param start          wall-clock start (shown as ctime in status output)
 * @param durationMillis run time; 0 for scripts that were not started
 * @param output         merged stdout+stderr, bounded by the configured limit
 * @param evidence       for TIMEDOUT: the script's processes captured before they were killed
 * @param debugOutput    output of the configured debug script, if it ran
 * @param hang           JCTDB addition: HUNG or UNKILLABLE details, or null
 */
public record ScriptResult(
        String name,
        ScriptStatus status,
        int code,
        Instant start,
        long durationMillis,
        String output,
        List<ProcInfo> evidence,
        String debugOutput,
        Hang hang) {

    public ScriptResult {
        output = output == null ? "" : output;
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        debugOutput = debugOutput == null ? "" : debugOutput;
    }

    public static ScriptResult disabled(String name, Instant now) {
        return new ScriptResult(name, ScriptStatus.DISABLED, 0, now, 0, "", null, null, null);
    }

    /**
     * CTDB's per-script summary: 0 for success, the exit status for a failing script, a negative
     * errno otherwise (-ETIMEDOUT, -ENOEXEC for disabled; JCTDB uses -EBUSY for HUNG).
     */
    public int summary() {
        return switch (status) {
            case OK -> 0;
            case ERROR -> code;
            case TIMEDOUT -> -Errno.ETIMEDOUT;
            case DISABLED -> -Errno.ENOEXEC;
            case CANNOT_RUN -> -code;
            case HUNG -> -Errno.EBUSY;
        };
    }

    public ScriptResult withDebugOutput(String text) {
        return new ScriptResult(name, status, code, start, durationMillis, output, evidence, text, hang);
    }

    public ScriptResult withHang(Hang h) {
        return new ScriptResult(name, status, code, start, durationMillis, output, evidence, debugOutput, h);
    }
}

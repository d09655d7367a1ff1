package org.jctdb.event;

import java.util.List;
import org.jctdb.os.ProcInfo;

/**
 * JCTDB addition to the status of a script: processes of a run that would not go away.
 *
 * @param kind        HUNG: an earlier run is still alive so this run was not started;
 *                    UNKILLABLE: processes survived SIGKILL (usually state D on a hung filesystem)
 * @param pid         the session (and process group) id of the stuck run
 * @param aliveMillis how long the stuck run has existed when this was recorded
 * @param processes   the surviving processes with state, wait channel and stack where readable
 */
public record Hang(Kind kind, int pid, long aliveMillis, List<ProcInfo> processes) {
    public enum Kind {
        HUNG,
        UNKILLABLE
    }

    public Hang {
        processes = List.copyOf(processes);
    }
}

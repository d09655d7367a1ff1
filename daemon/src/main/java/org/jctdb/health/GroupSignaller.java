package org.jctdb.health;

import java.util.List;
import org.jctdb.os.ProcFs;
import org.jctdb.os.ProcInfo;
import org.jctdb.os.Signals;

/**
 * Sends a signal to every alive process of a probe's process group. Tests replace it to
 * stand in for a process the kernel will not let die.
 */
@FunctionalInterface
public interface GroupSignaller {
    /** {@code force}: SIGKILL, else SIGTERM. Never blocks. */
    void signal(Process leader, List<ProcInfo> members, boolean force);

    static GroupSignaller system(ProcFs procFs) {
        return (leader, members, force) -> {
            Signals.send(leader.toHandle(), force);
            for (ProcInfo p : members) {
                ProbeProcess.handle(p, procFs).ifPresent(h -> Signals.send(h, force));
            }
        };
    }
}

package org.jctdb.health;

import java.util.List;
import org.jctdb.event.ProcFs;
import org.jctdb.event.ProcInfo;

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
            send(leader.toHandle(), force);
            for (ProcInfo p : members) {
                ProbeProcess.handle(p, procFs).ifPresent(h -> send(h, force));
            }
        };
    }

    private static void send(ProcessHandle h, boolean force) {
        try {
            if (force) {
                h.destroyForcibly();
            } else {
                h.destroy();
            }
        } catch (RuntimeException e) {
            // gone already, or not ours: the next liveness check tells
        }
    }
}

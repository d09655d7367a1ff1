package org.jctdb.os;

import java.util.List;

/**
 * One process as seen in /proc: identity, scheduler state (R, S, D, Z, T, ...) and, when
 * captured as evidence, its kernel wait channel and stack.
 */
public record ProcInfo(
        int pid,
        int ppid,
        int pgrp,
        int session,
        char state,
        String comm,
        long startTicks,
        String wchan,
        List<String> stack) {

    public ProcInfo {
        comm = comm == null ? "" : comm;
        wchan = wchan == null ? "" : wchan;
        stack = stack == null ? List.of() : List.copyOf(stack);
    }

    /** Zombies and dead tasks hold no resources we could free; everything else counts as alive. */
    public boolean alive() {
        return state != 'Z' && state != 'X' && state != 'x';
    }

    /** Uninterruptible sleep: typically stuck in a filesystem or device driver. */
    public boolean uninterruptible() {
        return state == 'D';
    }

    public ProcInfo withDetails(String newWchan, List<String> newStack) {
        return new ProcInfo(pid, ppid, pgrp, session, state, comm, startTicks, newWchan, newStack);
    }

    /** One-line description for logs and status output. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("pid ")
                .append(pid)
                .append(" (")
                .append(comm)
                .append(") state ")
                .append(state);
        if (!wchan.isEmpty() && !"0".equals(wchan)) {
            sb.append(" wchan ").append(wchan);
        }
        return sb.toString();
    }
}

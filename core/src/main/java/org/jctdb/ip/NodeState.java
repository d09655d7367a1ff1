package org.jctdb.ip;

import java.util.Objects;
import org.jctdb.protocol.NodeFlags;

/**
 * What IP allocation needs to know about one node: its CTDB flag bits and its run state.
 *
 * <p>A node may host public addresses only if it is RUNNING and has none of the INACTIVE
 * (disconnected, banned, stopped, deleted) or DISABLED (unhealthy, administratively
 * disabled) flags. This is CTDB 4.17's rule: there is no fallback to unhealthy nodes when
 * every node is unhealthy (the NoIPHostOnAllDisabled tunable no longer exists).
 */
public record NodeState(int flags, RunState runState) {

    public NodeState {
        Objects.requireNonNull(runState, "runState");
    }

    public static NodeState running(int flags) {
        return new NodeState(flags, RunState.RUNNING);
    }

    public boolean canHostIps() {
        return runState == RunState.RUNNING && (flags & (NodeFlags.INACTIVE | NodeFlags.DISABLED)) == 0;
    }
}

package org.jctdb.ip;

import java.util.List;

/**
 * What the leader's takeover logic needs from the rest of the daemon at each tick.
 *
 * @param generation   the generation this node leads, or 0 when it does not lead
 * @param inRecovery   a recovery is running: no takeover run starts
 * @param flags        every node's CTDB flags as this node sees them, indexed by PNN
 * @param tunables     allocation tunables
 * @param enableBans   CTDB's EnableBans
 * @param banSeconds   CTDB's RecoveryBanPeriod
 * @param graceSeconds CTDB's RecoveryGracePeriod: older takeover failures of a node are forgiven
 */
public record TakeoverInput(
        long generation,
        boolean inRecovery,
        List<Integer> flags,
        IpAllocTunables tunables,
        boolean enableBans,
        int banSeconds,
        int graceSeconds) {
    public TakeoverInput {
        flags = List.copyOf(flags);
    }
}

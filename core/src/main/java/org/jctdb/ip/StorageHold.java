package org.jctdb.ip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jctdb.protocol.NodeFlags;
import org.jctdb.protocol.StorageSummary;

/**
 * Decides, on the leader, when a node made UNHEALTHY by its cluster filesystem keeps its
 * public addresses anyway. When the filesystem hangs on every node, moving addresses cannot
 * help, and the nodes notice a shared hang up to a probe interval apart: without a pause, the
 * first node to notice would lose its addresses to the others, and the last to recover would
 * lose them again on the thaw. So such a node counts as healthy for allocation during a
 * settle time after the leader first saw its storage fail, and while the storage fails on
 * every reachable node (and for a settle time after that episode). Pure; core thread only.
 */
public final class StorageHold {
    private static final int NOT_REACHABLE = NodeFlags.DISCONNECTED | NodeFlags.DELETED | NodeFlags.UNKNOWN;

    private final Map<Integer, Long> unresponsiveSince = new HashMap<>();
    private long clusterWideAt = Long.MIN_VALUE;
    private final Set<Integer> held = new TreeSet<>();

    /**
     * @param flags   every node's flags, indexed by PNN
     * @param storage every node's storage summary, indexed by PNN
     * @return the flags with UNHEALTHY cleared on the nodes held ({@code flags} itself when none is held)
     */
    public List<Integer> flagsForAllocation(
            List<Integer> flags, List<StorageSummary> storage, long now, long settleMs) {
        boolean any = false;
        boolean all = true;
        for (int pnn = 0; pnn < flags.size(); pnn++) {
            boolean unresponsive = storage.get(pnn).unresponsive() && !NodeFlags.has(flags.get(pnn), NOT_REACHABLE);
            if (unresponsive) {
                unresponsiveSince.putIfAbsent(pnn, now);
                any = true;
            } else {
                unresponsiveSince.remove(pnn);
                all &= NodeFlags.has(flags.get(pnn), NOT_REACHABLE);
            }
        }
        if (any && all) {
            clusterWideAt = now;
        }
        if (unresponsiveSince.isEmpty()) {
            held.clear();
            return flags; // the usual case, every IP tick of every node: nothing to hold, nothing to copy
        }
        boolean episode = clusterWideAt != Long.MIN_VALUE && now - clusterWideAt < settleMs;
        held.clear();
        List<Integer> out = new ArrayList<>(flags);
        for (Map.Entry<Integer, Long> e : unresponsiveSince.entrySet()) {
            int pnn = e.getKey();
            if (NodeFlags.has(flags.get(pnn), NodeFlags.UNHEALTHY) && (episode || now - e.getValue() < settleMs)) {
                held.add(pnn);
                out.set(pnn, flags.get(pnn) & ~NodeFlags.UNHEALTHY);
            }
        }
        return out;
    }

    /** The nodes the last call held (UNHEALTHY, storage failing, addresses kept). */
    public Set<Integer> held() {
        return held.isEmpty() ? Set.of() : Set.copyOf(held);
    }

    /** Whether the last call saw the storage failing on every reachable node. */
    public boolean clusterWide(long now, long settleMs) {
        return clusterWideAt != Long.MIN_VALUE && now - clusterWideAt < settleMs;
    }
}

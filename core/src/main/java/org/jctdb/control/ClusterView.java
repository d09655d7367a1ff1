package org.jctdb.control;

import java.util.List;
import java.util.Optional;

/**
 * An immutable snapshot of what this daemon knows, published by the decision thread after
 * every change and read by commands without locking.
 *
 * @param generation   the current generation, or {@link #INVALID_GENERATION} before the first recovery
 * @param vnnMap       PNNs of the active nodes, in hash order
 * @param recoveryMode 0 NORMAL, 1 RECOVERY, as CTDB numbers them
 * @param leader       the leader's PNN, or -1 when unknown
 */
public record ClusterView(
        int myPnn,
        List<NodeView> nodes,
        long generation,
        List<Integer> vnnMap,
        int recoveryMode,
        int leader,
        long startTimeMillis,
        long lastRecoveryStartMillis,
        long lastRecoveryEndMillis,
        Optional<String> clusterLock) {
    public static final long INVALID_GENERATION = -1;

    public ClusterView {
        nodes = List.copyOf(nodes);
        vnnMap = List.copyOf(vnnMap);
    }

    public NodeView node(int pnn) {
        return nodes.get(pnn);
    }

    /** Whether {@code pnn} names a node of the nodes file that is not deleted. */
    public boolean isLiveNode(int pnn) {
        return pnn >= 0 && pnn < nodes.size() && !nodes.get(pnn).deleted();
    }

    public NodeView me() {
        return nodes.get(myPnn);
    }
}

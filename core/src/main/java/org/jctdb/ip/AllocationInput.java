package org.jctdb.ip;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one allocation run looks at.
 *
 * @param nodes                 node states, indexed by PNN (element i is node i)
 * @param addresses             the public addresses; each address at most once
 * @param tunables              allocation tunables
 * @param forceRebalanceNodes   nodes LCP2 may move addresses onto even though they already
 *                              host some (CTDB does this for nodes that just gained addresses)
 */
public record AllocationInput(
        List<NodeState> nodes,
        List<PublicAddress> addresses,
        IpAllocTunables tunables,
        Set<Integer> forceRebalanceNodes) {

    public AllocationInput {
        nodes = List.copyOf(nodes);
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(tunables, "tunables");
        forceRebalanceNodes = Set.copyOf(forceRebalanceNodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("no nodes");
        }
        Set<IpAddress> seen = new HashSet<>();
        for (PublicAddress a : addresses) {
            if (!seen.add(a.address())) {
                throw new IllegalArgumentException("duplicate public address " + a.address());
            }
            for (int pnn : a.knownOn()) {
                if (pnn < 0 || pnn >= nodes.size()) {
                    throw new IllegalArgumentException(a.address() + ": unknown node " + pnn);
                }
            }
        }
    }

    public AllocationInput(List<NodeState> nodes, List<PublicAddress> addresses, IpAllocTunables tunables) {
        this(nodes, addresses, tunables, Set.of());
    }
}

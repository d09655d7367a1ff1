package org.jctdb.database.migration;

import java.util.List;

/**
 * The map of location masters of one generation (CTDB's vnn_map): the lmaster of a key is
 * {@code nodes[ctdb_hash(key) % size]}. Every node of a generation holds the same map, so every
 * node computes the same lmaster without asking anyone.
 */
public record VnnMap(long generation, List<Integer> nodes) {

    public VnnMap {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a vnn map needs at least one node");
        }
    }

    public int lmaster(RecordKey key) {
        return nodes.get((int) (key.hash() % nodes.size()));
    }

    public boolean contains(int pnn) {
        return nodes.contains(pnn);
    }
}

package org.jctdb.lab;

import java.util.List;
import java.util.Map;

/**
 * What the sampler saw at {@code t} ms after the start: every node, which node namespaces have
 * each public address configured, how many processes hold a lock on the cluster filesystem,
 * and whether the client's last connection to each address got an answer.
 */
public record Sample(
        long t,
        List<NodeSample> nodes,
        Map<String, List<Integer>> addrs,
        int lockHolders,
        Map<String, Boolean> client) {
    public Sample {
        nodes = List.copyOf(nodes);
        addrs = Map.copyOf(addrs);
        client = Map.copyOf(client);
    }
}

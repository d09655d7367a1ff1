package org.jctdb.lab;

import java.util.Map;

/**
 * One node in one sample: whether its daemon answered, its flags as it reports them about itself
 * ("OK", a flag name, or "UNKNOWN"), the leader it names (-1 unknown), its processes in state D,
 * its hung storage probes, and which node it says hosts each public address ({@code ipView},
 * from its {@code ip} command; empty when it did not answer).
 */
public record NodeSample(
        int pnn,
        boolean reachable,
        String status,
        int leader,
        int dstate,
        int hungProbes,
        Map<String, Integer> ipView) {
    public NodeSample {
        ipView = Map.copyOf(ipView);
    }

    public boolean ok() {
        return reachable && "OK".equals(status);
    }
}

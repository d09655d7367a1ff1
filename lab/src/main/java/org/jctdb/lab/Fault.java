package org.jctdb.lab;

import java.util.List;

/**
 * One scheduled fault: {@code kind} on {@code nodes} (for a partition the smaller group; for
 * cluster-wide kinds every node or none) from {@code startMs} to {@code endMs} after the
 * campaign's start. A lock deletion has endMs == startMs.
 */
public record Fault(int id, FaultKind kind, List<Integer> nodes, long startMs, long endMs) {
    public Fault {
        nodes = List.copyOf(nodes);
        if (endMs < startMs) {
            throw new IllegalArgumentException("fault " + id + " ends before it starts");
        }
    }

    public boolean overlaps(Fault o) {
        return startMs <= o.endMs && o.startMs <= endMs;
    }
}

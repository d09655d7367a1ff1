package org.jctdb.lab;

import java.util.List;

/**
 * One scheduled fault: {@code kind} on {@code nodes} (for a partition the smaller group; for
 * cluster-wide kinds every node or none) from {@code startMs} to {@code endMs} after the
 * campaign's start. A lock deletion has endMs == startMs. A {@code leader} fault hits whichever
 * node leads when it starts ({@code nodes} is then only the fallback when no leader is known).
 */
public record Fault(int id, FaultKind kind, List<Integer> nodes, long startMs, long endMs, boolean leader) {
    public Fault(int id, FaultKind kind, List<Integer> nodes, long startMs, long endMs) {
        this(id, kind, nodes, startMs, endMs, false);
    }

    public Fault {
        nodes = List.copyOf(nodes);
        if (endMs < startMs) {
            throw new IllegalArgumentException("fault " + id + " ends before it starts");
        }
    }

    /** A cluster-wide fault, or one whose node is only known when it starts: nothing may overlap it. */
    public boolean exclusive() {
        return kind.clusterWide() || leader;
    }

    public boolean overlaps(Fault o) {
        return startMs <= o.endMs && o.startMs <= endMs;
    }
}

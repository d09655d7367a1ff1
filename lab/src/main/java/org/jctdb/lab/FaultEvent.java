package org.jctdb.lab;

import java.util.List;

/** A line of faults.jsonl: fault {@code id} started or ended ({@code phase} "start" or "end") at {@code t}. */
public record FaultEvent(long t, int id, String phase, FaultKind kind, List<Integer> nodes, String detail) {
    public static final String START = "start";
    public static final String END = "end";

    public FaultEvent {
        nodes = List.copyOf(nodes);
        if (!START.equals(phase) && !END.equals(phase)) {
            throw new IllegalArgumentException("phase must be start or end, not " + phase);
        }
    }

    public boolean start() {
        return START.equals(phase);
    }
}

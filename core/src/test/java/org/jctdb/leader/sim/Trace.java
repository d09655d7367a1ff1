package org.jctdb.leader.sim;

import java.util.ArrayDeque;

/** The last steps of a schedule, kept only when re-running a failed seed. */
final class Trace {
    private static final int KEEP = Integer.getInteger("jctdb.sim.trace", 400);
    private final boolean enabled;
    private final ArrayDeque<String> lines = new ArrayDeque<>();

    Trace(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    void add(long now, int node, String what) {
        if (!enabled) {
            return;
        }
        if (lines.size() == KEEP) {
            lines.poll();
        }
        lines.add(String.format("%8d %s %s", now, node < 0 ? "--" : "n" + node, what));
    }

    String dump() {
        if (!enabled) {
            return "";
        }
        return "\nlast " + lines.size() + " steps:\n" + String.join("\n", lines);
    }
}

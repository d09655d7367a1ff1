package org.jctdb.leader;

/**
 * Generations are fencing tokens. A leader picks {@code (counter + 1) * 1024 + pnn} above the
 * highest it has seen, so two different nodes never pick the same generation even when a
 * partition hides one from the other, and the order still follows the counter.
 */
public final class Generation {
    /** No generation seen yet. */
    public static final long NONE = 0;
    public static final int MAX_NODES = 1024;

    private Generation() {
    }

    public static long next(long seen, int pnn) {
        if (pnn < 0 || pnn >= MAX_NODES) {
            throw new IllegalArgumentException("pnn out of range 0.." + (MAX_NODES - 1) + ": " + pnn);
        }
        return (seen / MAX_NODES + 1) * MAX_NODES + pnn;
    }

    public static int leaderOf(long generation) {
        return (int) (generation % MAX_NODES);
    }
}

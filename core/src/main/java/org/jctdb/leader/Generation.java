package org.jctdb.leader;

/**
 * Generations are fencing tokens. A leader picks {@code (counter + 1) * 1024 + pnn} above the
 * highest it has seen, so two different nodes never pick the same generation even when a
 * partition hides one from the other, and the order still follows the counter.
 *
 * <p>With a lock that hands out a fencing token (etcd's create revision, ZooKeeper's sequence
 * number; strictly larger for every later holder), the leader starts its counter at
 * {@link #floor(long) token << 16}: {@code generation = (token << 26) | (count << 10) | pnn}. Every
 * generation of a later lock holder is then above every generation of an earlier one, however
 * many recoveries the earlier one ran (at most 65,535 per holding; then it must take the lock again).
 */
public final class Generation {
    /** No generation seen yet. */
    public static final long NONE = 0;

    public static final int MAX_NODES = 1024;
    /** Bits of the recovery counter within one holding of a token-granting lock. */
    public static final int COUNTER_BITS = 16;

    private static final int TOKEN_SHIFT = COUNTER_BITS + 10;
    /** Largest fencing token that fits (2^37 - 1). */
    public static final long MAX_TOKEN = (1L << (63 - TOKEN_SHIFT)) - 1;

    private Generation() {}

    public static long next(long seen, int pnn) {
        if (pnn < 0 || pnn >= MAX_NODES) {
            throw new IllegalArgumentException("pnn out of range 0.." + (MAX_NODES - 1) + ": " + pnn);
        }
        return (seen / MAX_NODES + 1) * MAX_NODES + pnn;
    }

    public static int leaderOf(long generation) {
        return (int) (generation % MAX_NODES);
    }

    /** The lowest generation a holder of fencing token {@code token} may use; 0 for no token. */
    public static long floor(long token) {
        if (token < 0 || token > MAX_TOKEN) {
            throw new IllegalArgumentException("fencing token out of range 0.." + MAX_TOKEN + ": " + token);
        }
        return token << TOKEN_SHIFT;
    }

    /** The fencing token a generation was picked under (0 for generations of token-less locks). */
    public static long tokenOf(long generation) {
        return generation >>> TOKEN_SHIFT;
    }
}

package org.jctdb.ip;

/** CTDB's IP allocation algorithms, numbered as the IPAllocAlgorithm tunable numbers them. */
public enum IpAllocAlgorithm {
    /** Each address has a home node by its position in the address list. */
    DETERMINISTIC(0),
    /** CTDB's "basic" algorithm: least-loaded node, then even out counts. */
    NONDETERMINISTIC(1),
    /** Longest-common-prefix-squared balancing (CTDB's default). */
    LCP2(2);

    private final int tunableValue;

    IpAllocAlgorithm(int tunableValue) {
        this.tunableValue = tunableValue;
    }

    public int tunableValue() {
        return tunableValue;
    }

    /** As CTDB's takeover helper does: 0, 1, 2 select; any other value means LCP2. */
    public static IpAllocAlgorithm fromTunable(long value) {
        if (value == 0) {
            return DETERMINISTIC;
        }
        if (value == 1) {
            return NONDETERMINISTIC;
        }
        return LCP2;
    }
}

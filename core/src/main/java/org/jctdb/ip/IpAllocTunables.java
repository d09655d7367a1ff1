package org.jctdb.ip;

import java.util.Objects;

/**
 * The tunables that steer IP allocation.
 *
 * @param algorithm    IPAllocAlgorithm
 * @param noIpFailback NoIPFailback: never move addresses just to rebalance (LCP2 and
 *                     non-deterministic; the deterministic algorithm ignores it, as CTDB does)
 * @param noIpTakeover NoIPTakeover: never place an address on a new node; addresses on nodes
 *                     that can no longer host them become unassigned
 */
public record IpAllocTunables(IpAllocAlgorithm algorithm, boolean noIpFailback, boolean noIpTakeover) {

    public IpAllocTunables {
        Objects.requireNonNull(algorithm, "algorithm");
    }

    /** CTDB's defaults: LCP2, failback and takeover allowed. */
    public static IpAllocTunables defaults() {
        return new IpAllocTunables(IpAllocAlgorithm.LCP2, false, false);
    }

    public IpAllocTunables withAlgorithm(IpAllocAlgorithm a) {
        return new IpAllocTunables(a, noIpFailback, noIpTakeover);
    }
}

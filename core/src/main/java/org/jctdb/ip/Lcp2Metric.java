package org.jctdb.ip;

import java.util.List;

/**
 * LCP2's cost metric. Distances are CTDB's: for each of the four 32-bit key words add 32 if
 * the words are equal, else the number of leading zero bits of their XOR (every word counts,
 * not just up to the first difference, exactly as CTDB computes it). Costs are sums of
 * squared distances in unsigned 32-bit arithmetic, wrapping as CTDB's uint32_t does.
 */
public final class Lcp2Metric {

    private Lcp2Metric() {}

    public static int distance(IpAddress a, IpAddress b) {
        int d = 0;
        for (int i = 0; i < 4; i++) {
            int x = a.word(i) ^ b.word(i);
            d += x == 0 ? 32 : Integer.numberOfLeadingZeros(x);
        }
        return d;
    }

    public static int distanceSquared(IpAddress a, IpAddress b) {
        int d = distance(a, b);
        return d * d;
    }

    /** Imbalance of a node hosting these addresses: squared distance summed over each pair. */
    public static int imbalance(List<IpAddress> onNode) {
        int sum = 0;
        for (int i = 0; i < onNode.size(); i++) {
            for (int j = i + 1; j < onNode.size(); j++) {
                sum += distanceSquared(onNode.get(i), onNode.get(j));
            }
        }
        return sum;
    }

    /** Cost of adding {@code ip} to a node hosting {@code onNode} (ip itself is skipped). */
    public static int cost(IpAddress ip, List<IpAddress> onNode) {
        int sum = 0;
        for (IpAddress other : onNode) {
            if (!other.equals(ip)) {
                sum += distanceSquared(ip, other);
            }
        }
        return sum;
    }
}

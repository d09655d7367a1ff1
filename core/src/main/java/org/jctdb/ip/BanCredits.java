package org.jctdb.ip;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The leader's record of which nodes made takeover runs fail, as CTDB's recovery daemon keeps
 * it: each failed run charges its culprit (the node with most failed steps in that run, the
 * lowest PNN on a tie) as many credits as the nodes file has nodes; a node that reaches twice
 * that is banned for RecoveryBanPeriod and starts from zero. Credits are forgiven when the
 * node's previous charge is more than RecoveryGracePeriod old. So two failed runs within the
 * grace period ban the node that caused them. Pure; times are monotonic milliseconds.
 */
final class BanCredits {

    private record Charge(int credits, long at) {}

    private final Map<Integer, Charge> charges = new HashMap<>();

    /** The culprit of a failed run: most failed steps, lowest PNN on a tie; empty if none failed. */
    static Optional<Integer> culprit(Map<Integer, Integer> failedSteps) {
        int best = -1;
        int most = 0;
        for (Map.Entry<Integer, Integer> e : new TreeMap<>(failedSteps).entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best < 0 ? Optional.empty() : Optional.of(best);
    }

    /**
     * Charges {@code pnn} for a failed run; returns its credits after the charge, or 0 when the
     * charge made it reach the ban threshold (it must be banned now; its credits are reset).
     */
    int charge(int pnn, int nodeCount, long now, long graceMs) {
        Charge old = charges.get(pnn);
        int credits = old == null || now - old.at() > graceMs ? 0 : old.credits();
        credits += nodeCount;
        if (credits >= 2 * nodeCount) {
            charges.remove(pnn);
            return 0;
        }
        charges.put(pnn, new Charge(credits, now));
        return credits;
    }

    int credits(int pnn) {
        Charge c = charges.get(pnn);
        return c == null ? 0 : c.credits();
    }
}

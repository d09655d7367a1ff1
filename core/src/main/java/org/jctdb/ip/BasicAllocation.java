package org.jctdb.ip;

/**
 * CTDB's deterministic and non-deterministic ("basic") algorithms, which share the
 * least-loaded-node placement step.
 */
final class BasicAllocation {

    private BasicAllocation() {}

    /** Deterministic: address i of the list goes to node i mod N, then fill the gaps. */
    static void deterministic(AllocState s) {
        for (int i = 0; i < s.size(); i++) {
            s.setPnn(i, i % s.numNodes);
        }
        // NoIPFailback is meaningless here: the modulo step always fails back.
        s.unassignUnsuitable();
        allocateUnassigned(s);
    }

    /** Non-deterministic: keep what can stay, place the rest, then even out counts. */
    static void nondeterministic(AllocState s) {
        int numIps = s.size();
        s.unassignUnsuitable();
        allocateUnassigned(s);
        if (!s.noIpFailback) {
            failback(s, numIps);
        }
    }

    static void allocateUnassigned(AllocState s) {
        for (int i = 0; i < s.size(); i++) {
            if (s.pnn[i] < 0) {
                findTakeoverNode(s, i);
            }
        }
    }

    /**
     * Moves the address to the node hosting fewest addresses among those that may take it
     * (lowest PNN on ties). Counts include the address itself where it is now, so it can stay.
     */
    static boolean findTakeoverNode(AllocState s, int ip) {
        int best = -1;
        int min = 0;
        for (int n = 0; n < s.numNodes; n++) {
            if (!s.canTakeover(n, ip)) {
                continue;
            }
            int num = s.coverage(n);
            if (best < 0 || num < min) {
                best = n;
                min = num;
            }
        }
        if (best < 0) {
            return false;
        }
        s.setPnn(ip, best);
        return true;
    }

    /**
     * For each hosted address, if the busiest and idlest nodes that could take it differ by
     * two or more, re-place the first address of the busiest node and start over; bounded by
     * numIps + 5 re-placements, as in CTDB.
     */
    private static void failback(AllocState s, int numIps) {
        int retries = 0;
        boolean again = true;
        while (again) {
            again = false;
            for (int i = 0; i < s.size() && !again; i++) {
                if (s.pnn[i] < 0) {
                    continue;
                }
                int maxNode = -1;
                int maxNum = 0;
                int minNum = 0;
                boolean any = false;
                for (int n = 0; n < s.numNodes; n++) {
                    if (!s.canTakeover(n, i)) {
                        continue;
                    }
                    int num = s.coverage(n);
                    if (!any || num > maxNum) {
                        maxNode = n;
                        maxNum = num;
                    }
                    if (!any || num < minNum) {
                        minNum = num;
                    }
                    any = true;
                }
                if (!any || maxNum <= minNum + 1 || retries >= numIps + 5) {
                    continue;
                }
                for (int t = 0; t < s.size(); t++) {
                    if (s.pnn[t] == maxNode) {
                        findTakeoverNode(s, t);
                        retries++;
                        again = true;
                        break;
                    }
                }
            }
        }
    }
}

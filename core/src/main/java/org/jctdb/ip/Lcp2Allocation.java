package org.jctdb.ip;

import java.util.Arrays;
import java.util.Set;

/**
 * CTDB's LCP2 algorithm, step for step and tie for tie, made fast by caching each
 * address's cost on each node ({@code cost[ip][node]}: squared distances to the other
 * addresses on that node) and updating the cache on every placement instead of rescanning
 * the whole list as CTDB does. Sums wrap like CTDB's uint32_t; all comparisons are unsigned.
 */
final class Lcp2Allocation {
    private final AllocState s;
    private final int n;
    private final int[] cost;
    private final int[] imbalance;
    private final boolean[] rebalanceCandidate;

    private Lcp2Allocation(AllocState s, Set<Integer> forceRebalance) {
        this.s = s;
        this.n = s.numNodes;
        s.unassignUnsuitable();
        this.cost = new int[s.size() * n];
        this.imbalance = new int[n];
        for (int i = 0; i < s.size(); i++) {
            int p = s.pnn[i];
            if (p < 0) {
                continue;
            }
            for (int j = 0; j < s.size(); j++) {
                if (j != i) {
                    int d2 = Lcp2Metric.distanceSquared(s.addrs[i], s.addrs[j]);
                    cost[j * n + p] += d2;
                    if (j > i && s.pnn[j] == p) {
                        imbalance[p] += d2;
                    }
                }
            }
        }
        // Nodes hosting nothing are assumed newly healthy: only they receive failback.
        this.rebalanceCandidate = new boolean[n];
        Arrays.fill(rebalanceCandidate, true);
        for (int p : s.pnn) {
            if (p >= 0) {
                rebalanceCandidate[p] = false;
            }
        }
        for (int p : forceRebalance) {
            if (p >= 0 && p < n) {
                rebalanceCandidate[p] = true;
            }
        }
    }

    static void run(AllocState s, Set<Integer> forceRebalance) {
        Lcp2Allocation a = new Lcp2Allocation(s, forceRebalance);
        a.allocateUnassigned();
        if (s.noIpFailback) {
            return;
        }
        boolean anyCandidate = false;
        for (boolean c : a.rebalanceCandidate) {
            anyCandidate |= c;
        }
        if (anyCandidate) {
            a.failback();
        }
    }

    private static boolean below(int a, int b) {
        return Integer.compareUnsigned(a, b) < 0;
    }

    /** Moves address ip from its node (or nowhere) to node dst, keeping costs current. */
    private void move(int ip, int dst) {
        int src = s.pnn[ip];
        IpAddress a = s.addrs[ip];
        for (int j = 0; j < s.size(); j++) {
            if (j == ip) {
                continue;
            }
            int d2 = Lcp2Metric.distanceSquared(a, s.addrs[j]);
            if (src >= 0) {
                cost[j * n + src] -= d2;
            }
            cost[j * n + dst] += d2;
        }
        s.setPnn(ip, dst);
    }

    /** Repeatedly place the (address, node) pair that adds least cost; first pair wins ties. */
    private void allocateUnassigned() {
        int[] unassigned = new int[s.size()];
        int count = 0;
        for (int i = 0; i < s.size(); i++) {
            if (s.pnn[i] < 0) {
                unassigned[count++] = i;
            }
        }
        while (count > 0) {
            int minNode = -1;
            int minIdx = -1;
            int minCost = 0;
            for (int k = 0; k < count; k++) {
                int ip = unassigned[k];
                int base = ip * n;
                for (int dst = 0; dst < n; dst++) {
                    if (!s.canTakeover(dst, ip)) {
                        continue;
                    }
                    int c = cost[base + dst];
                    if (minNode < 0 || below(c, minCost)) {
                        minNode = dst;
                        minIdx = k;
                        minCost = c;
                    }
                }
            }
            if (minNode < 0) {
                return; // the rest cannot be hosted anywhere
            }
            int ip = unassigned[minIdx];
            imbalance[minNode] += minCost;
            move(ip, minNode);
            System.arraycopy(unassigned, minIdx + 1, unassigned, minIdx, count - minIdx - 1);
            count--;
        }
    }

    /** Take the most imbalanced node that has a worthwhile move, make it, and repeat. */
    private void failback() {
        Integer[] order = new Integer[n];
        while (true) {
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            // Stable, like the glibc qsort (merge sort) CTDB 4.17 runs on: ties keep PNN order.
            Arrays.sort(order, (x, y) -> Integer.compareUnsigned(imbalance[y], imbalance[x]));
            boolean moved = false;
            for (int k = 0; k < n && !moved; k++) {
                if (imbalance[order[k]] == 0) {
                    break; // every remaining node hosts 0 or 1 addresses
                }
                moved = tryMoveFrom(order[k]);
            }
            if (!moved) {
                return;
            }
        }
    }

    private boolean tryMoveFrom(int src) {
        int bestIp = -1;
        int bestDst = -1;
        int bestSrcImbl = 0;
        int bestDstImbl = 0;
        for (int ip = 0; ip < s.size(); ip++) {
            if (s.pnn[ip] != src) {
                continue;
            }
            int srcCost = cost[ip * n + src];
            int srcImbl = imbalance[src] - srcCost;
            for (int dst = 0; dst < n; dst++) {
                if (!rebalanceCandidate[dst] || !s.canTakeover(dst, ip)) {
                    continue;
                }
                int dstCost = cost[ip * n + dst];
                int dstImbl = imbalance[dst] + dstCost;
                if (below(dstImbl, imbalance[src])
                        && below(dstCost, srcCost)
                        && (bestDst < 0 || below(srcImbl + dstImbl, bestSrcImbl + bestDstImbl))) {
                    bestIp = ip;
                    bestDst = dst;
                    bestSrcImbl = srcImbl;
                    bestDstImbl = dstImbl;
                }
            }
        }
        if (bestDst < 0) {
            return false;
        }
        imbalance[src] = bestSrcImbl;
        imbalance[bestDst] = bestDstImbl;
        move(bestIp, bestDst);
        return true;
    }
}

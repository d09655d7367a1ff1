package org.jctdb.ip;

import java.util.Arrays;
import java.util.Set;

/**
 * CTDB's LCP2 algorithm, step for step and tie for tie, made fast by caching each
 * address's cost on each node ({@code cost[node][ip]}: squared distances to the other
 * addresses on that node) and updating the cache on every placement instead of rescanning
 * the whole list as CTDB does. Sums wrap like CTDB's uint32_t; all comparisons are unsigned.
 */
final class Lcp2Allocation {
    private final AllocState s;
    private final int n;
    private final int size;
    /** The four key words of every address, flat: distances are the inner loop. */
    private final int[] keys;
    /**
     * Whether every address has the same first three key words (all IPv4, or IPv6 in one /96):
     * then a distance is 96 plus one word's count, and the inner loops read only {@code low}.
     */
    private final boolean sameHigh;

    private final int[] low;
    /** Node-major: {@code cost[node * size + ip]}, so a placement updates one contiguous row. */
    private final int[] cost;

    private final int[] imbalance;
    private final boolean[] rebalanceCandidate;

    private Lcp2Allocation(AllocState s, Set<Integer> forceRebalance) {
        this.s = s;
        this.n = s.numNodes;
        this.size = s.size();
        s.unassignUnsuitable();
        this.keys = new int[4 * size];
        this.low = new int[size];
        boolean same = true;
        for (int i = 0; i < size; i++) {
            for (int w = 0; w < 4; w++) {
                keys[4 * i + w] = s.addrs[i].word(w);
                same &= w == 3 || keys[4 * i + w] == keys[w];
            }
            low[i] = keys[4 * i + 3];
        }
        this.sameHigh = same;
        this.cost = new int[size * n];
        this.imbalance = new int[n];
        for (int i = 0; i < size; i++) {
            int p = s.pnn[i];
            if (p < 0) {
                continue;
            }
            int row = p * size;
            for (int j = 0; j < size; j++) {
                if (j != i) {
                    int d2 = distanceSquared(i, j);
                    cost[row + j] += d2;
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

    /**
     * {@link Lcp2Metric#distanceSquared} of addresses i and j, from the flat key words
     * (numberOfLeadingZeros(0) is 32, CTDB's count for equal words).
     */
    private int distanceSquared(int i, int j) {
        if (sameHigh) {
            int d = 96 + Integer.numberOfLeadingZeros(low[i] ^ low[j]);
            return d * d;
        }
        int a = 4 * i;
        int b = 4 * j;
        int d = Integer.numberOfLeadingZeros(keys[a] ^ keys[b])
                + Integer.numberOfLeadingZeros(keys[a + 1] ^ keys[b + 1])
                + Integer.numberOfLeadingZeros(keys[a + 2] ^ keys[b + 2])
                + Integer.numberOfLeadingZeros(keys[a + 3] ^ keys[b + 3]);
        return d * d;
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
        int srcRow = src * size;
        int dstRow = dst * size;
        if (sameHigh) {
            moveSameHigh(ip, src, srcRow, dstRow);
            s.setPnn(ip, dst);
            return;
        }
        for (int j = 0; j < size; j++) {
            if (j == ip) {
                continue;
            }
            int d2 = distanceSquared(ip, j);
            if (src >= 0) {
                cost[srcRow + j] -= d2;
            }
            cost[dstRow + j] += d2;
        }
        s.setPnn(ip, dst);
    }

    /** {@link #move}'s loop when only the low words differ: the hot loop of a large allocation. */
    private void moveSameHigh(int ip, int src, int srcRow, int dstRow) {
        int key = low[ip];
        for (int j = 0; j < size; j++) {
            int d = 96 + Integer.numberOfLeadingZeros(key ^ low[j]);
            int d2 = j == ip ? 0 : d * d;
            if (src >= 0) {
                cost[srcRow + j] -= d2;
            }
            cost[dstRow + j] += d2;
        }
    }

    /**
     * Repeatedly place the (address, node) pair that adds least cost; the first pair in
     * (address, node) order wins ties, as CTDB's scan does. Each node keeps a heap of the
     * unassigned addresses it can take, cheapest first (lowest index on ties), so a step
     * compares n heap tops instead of every pair: a placement on node m changes only m's row
     * (its heap is rebuilt), and in every other heap the placed address is dropped when it
     * comes to the top.
     */
    private void allocateUnassigned() {
        int[] unassigned = new int[size];
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (s.pnn[i] < 0) {
                unassigned[count++] = i;
            }
        }
        NodeHeap[] heaps = new NodeHeap[n];
        for (int m = 0; m < n; m++) {
            heaps[m] = new NodeHeap(m, count);
            heaps[m].rebuild(unassigned, count);
        }
        while (count > 0) {
            int minNode = -1;
            int minIp = -1;
            for (int m = 0; m < n; m++) {
                int ip = heaps[m].top();
                if (ip >= 0 && (minNode < 0 || heaps[m].before(ip, minIp, cost[minNode * size + minIp]))) {
                    minNode = m;
                    minIp = ip;
                }
            }
            if (minNode < 0) {
                return; // the rest cannot be hosted anywhere
            }
            imbalance[minNode] += cost[minNode * size + minIp];
            move(minIp, minNode);
            int k = Arrays.binarySearch(unassigned, 0, count, minIp);
            System.arraycopy(unassigned, k + 1, unassigned, k, count - k - 1);
            count--;
            heaps[minNode].rebuild(unassigned, count);
        }
    }

    /** The unassigned addresses one node can take, as a binary min-heap on (cost, index). */
    private final class NodeHeap {
        private final int row;
        private final int node;
        private final int[] heap;
        private int used;

        NodeHeap(int node, int capacity) {
            this.node = node;
            this.row = node * size;
            this.heap = new int[capacity];
        }

        void rebuild(int[] unassigned, int count) {
            used = 0;
            for (int k = 0; k < count; k++) {
                if (s.canTakeover(node, unassigned[k])) {
                    heap[used++] = unassigned[k];
                }
            }
            for (int i = used / 2 - 1; i >= 0; i--) {
                siftDown(i);
            }
        }

        /** The cheapest address still unassigned, or -1; drops those placed meanwhile. */
        int top() {
            while (used > 0 && s.pnn[heap[0]] >= 0) {
                heap[0] = heap[--used];
                siftDown(0);
            }
            return used > 0 ? heap[0] : -1;
        }

        /** Whether ip on this node comes before another pair costing otherCost for otherIp. */
        boolean before(int ip, int otherIp, int otherCost) {
            int c = cost[row + ip];
            return below(c, otherCost) || (c == otherCost && ip < otherIp);
        }

        private boolean less(int a, int b) {
            return before(a, b, cost[row + b]);
        }

        private void siftDown(int i) {
            int v = heap[i];
            while (true) {
                int child = 2 * i + 1;
                if (child >= used) {
                    break;
                }
                if (child + 1 < used && less(heap[child + 1], heap[child])) {
                    child++;
                }
                if (!less(heap[child], v)) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = v;
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
        for (int ip = 0; ip < size; ip++) {
            if (s.pnn[ip] != src) {
                continue;
            }
            int srcCost = cost[src * size + ip];
            int srcImbl = imbalance[src] - srcCost;
            for (int dst = 0; dst < n; dst++) {
                if (!rebalanceCandidate[dst] || !s.canTakeover(dst, ip)) {
                    continue;
                }
                int dstCost = cost[dst * size + ip];
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

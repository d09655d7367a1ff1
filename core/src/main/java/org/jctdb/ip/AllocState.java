package org.jctdb.ip;

import java.util.BitSet;

/**
 * Mutable working state of one allocation run: the merged address list in CTDB order, the
 * node each address is on, where each may go, and per-node address counts.
 */
final class AllocState {
    final IpAddress[] addrs;
    final int[] pnn;
    final int numNodes;
    final boolean noIpTakeover;
    final boolean noIpFailback;
    private final BitSet[] hostable;
    private final int[] coverage;

    AllocState(
            IpAddress[] addrs, int[] pnn, BitSet[] hostable, int numNodes, boolean noIpTakeover, boolean noIpFailback) {
        this.addrs = addrs;
        this.pnn = pnn;
        this.hostable = hostable;
        this.numNodes = numNodes;
        this.noIpTakeover = noIpTakeover;
        this.noIpFailback = noIpFailback;
        this.coverage = new int[numNodes];
        for (int p : pnn) {
            if (p >= 0) {
                coverage[p]++;
            }
        }
    }

    int size() {
        return addrs.length;
    }

    /** May the node keep (host) the address? */
    boolean canHost(int node, int ip) {
        return hostable[ip].get(node);
    }

    /** May the node newly take the address? NoIPTakeover forbids every takeover. */
    boolean canTakeover(int node, int ip) {
        return !noIpTakeover && hostable[ip].get(node);
    }

    /** Number of addresses currently on the node (CTDB's node_ip_coverage). */
    int coverage(int node) {
        return coverage[node];
    }

    void setPnn(int ip, int node) {
        int old = pnn[ip];
        if (old >= 0) {
            coverage[old]--;
        }
        pnn[ip] = node;
        if (node >= 0) {
            coverage[node]++;
        }
    }

    /** Drops addresses from nodes that can no longer host them. */
    void unassignUnsuitable() {
        for (int i = 0; i < addrs.length; i++) {
            if (pnn[i] >= 0 && !canHost(pnn[i], i)) {
                setPnn(i, -1);
            }
        }
    }
}

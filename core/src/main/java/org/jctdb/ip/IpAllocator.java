package org.jctdb.ip;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Pure public-address allocation, giving the same assignment as CTDB 4.17's ipalloc() for
 * the same input. Stateless and thread-safe; each call works on its own copy of the input.
 */
public final class IpAllocator {

    private IpAllocator() {}

    public static Allocation allocate(AllocationInput input) {
        List<NodeState> nodes = input.nodes();
        int numNodes = nodes.size();
        List<PublicAddress> merged = new ArrayList<>();
        for (PublicAddress a : input.addresses()) {
            if (!a.knownOn().isEmpty()) { // an address no node lists is not in CTDB's list
                merged.add(a);
            }
        }
        merged.sort((x, y) -> IpAddress.CTDB_ORDER.compare(x.address(), y.address()));

        int size = merged.size();
        IpAddress[] addrs = new IpAddress[size];
        int[] pnn = new int[size];
        BitSet[] hostable = new BitSet[size];
        for (int i = 0; i < size; i++) {
            PublicAddress a = merged.get(i);
            addrs[i] = a.address();
            // A node's claim to host an address counts only if it lists the address itself.
            pnn[i] = a.knownOn().contains(a.currentPnn()) ? a.currentPnn() : -1;
            hostable[i] = new BitSet(numNodes);
            for (int node : a.availableOn()) {
                if (nodes.get(node).canHostIps()) {
                    hostable[i].set(node);
                }
            }
        }

        IpAllocTunables t = input.tunables();
        AllocState state = new AllocState(addrs, pnn, hostable, numNodes, t.noIpTakeover(), t.noIpFailback());
        switch (t.algorithm()) {
            case DETERMINISTIC:
                BasicAllocation.deterministic(state);
                break;
            case NONDETERMINISTIC:
                BasicAllocation.nondeterministic(state);
                break;
            case LCP2:
            default:
                Lcp2Allocation.run(state, input.forceRebalanceNodes());
                break;
        }

        List<Assignment> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(new Assignment(addrs[i], state.pnn[i]));
        }
        return new Allocation(out);
    }

    /**
     * CTDB skips a takeover run when this is false: no address is hosted now and none is
     * available anywhere, so there is nothing to do yet.
     */
    public static boolean canHostIps(AllocationInput input) {
        for (PublicAddress a : input.addresses()) {
            if (a.knownOn().contains(a.currentPnn())) {
                return true;
            }
        }
        for (PublicAddress a : input.addresses()) {
            for (int node : a.availableOn()) {
                if (input.nodes().get(node).canHostIps()) {
                    return true;
                }
            }
        }
        return false;
    }
}

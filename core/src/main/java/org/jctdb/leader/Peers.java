package org.jctdb.leader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jctdb.protocol.NodeFlags;

/** What one node knows of the others: who is connected, their flags, whether they can lead. */
final class Peers {
    private final Set<Integer> connected = new TreeSet<>();
    private final Map<Integer, Integer> flags = new HashMap<>();
    private final Map<Integer, Boolean> canLead = new HashMap<>();

    /** Returns false if already connected. */
    boolean connect(int pnn) {
        return connected.add(pnn);
    }

    /** Returns false if it was not connected. */
    boolean disconnect(int pnn) {
        canLead.remove(pnn);
        return connected.remove(pnn);
    }

    boolean isConnected(int pnn) {
        return connected.contains(pnn);
    }

    /** Records new flags; returns whether the peer was active before. */
    boolean setFlags(int pnn, int newFlags) {
        Integer old = flags.put(pnn, newFlags);
        return old == null || !NodeFlags.isInactive(old);
    }

    boolean isActive(int pnn) {
        return !NodeFlags.isInactive(flags.getOrDefault(pnn, 0));
    }

    void setCanLead(int pnn, boolean can) {
        canLead.put(pnn, can);
    }

    /** Recovery members: this node plus every connected active peer, sorted. */
    List<Integer> members(int me) {
        List<Integer> out = new ArrayList<>();
        out.add(me);
        for (int p : connected) {
            if (isActive(p)) {
                out.add(p);
            }
        }
        Collections.sort(out);
        return out;
    }

    /**
     * The no-lock rule: the lowest-numbered connected node that can lead, counting this node if
     * {@code meCanLead}; a peer counts only once its candidate message said it can lead. -1 if none.
     */
    int fallbackWinner(int me, boolean meCanLead) {
        int best = meCanLead ? me : Integer.MAX_VALUE;
        for (int p : connected) {
            if (p < best && isActive(p) && canLead.getOrDefault(p, false)) {
                best = p;
            }
        }
        return best == Integer.MAX_VALUE ? -1 : best;
    }
}

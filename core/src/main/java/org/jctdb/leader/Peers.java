package org.jctdb.leader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jctdb.protocol.NodeFlags;

/**
 * What one node knows of the others: who is connected, their flags, whether they can lead, when
 * each was last heard, and (while this node leads) which announcement each last answered.
 */
final class Peers {
    private final Set<Integer> connected = new TreeSet<>();
    private final Map<Integer, Integer> flags = new HashMap<>();
    private final Map<Integer, Boolean> canLead = new HashMap<>();
    private final Map<Integer, Long> lastHeard = new HashMap<>();
    private final Map<Integer, Long> answered = new HashMap<>(); // peer -> announcements sent when it last followed

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

    /** Any message from {@code pnn} arrived at {@code now}. */
    void heard(int pnn, long now) {
        lastHeard.merge(pnn, now, Math::max);
    }

    /** Connected, and some message from it arrived less than {@code window} ms ago. */
    boolean reachable(int pnn, long now, long window) {
        Long t = lastHeard.get(pnn);
        return connected.contains(pnn) && t != null && now - t < window;
    }

    /** The peers reachable now (see {@link #reachable}) and heard at or after {@code since}. */
    Set<Integer> reachable(long now, long window, long since) {
        Set<Integer> out = new TreeSet<>();
        for (int p : connected) {
            if (reachable(p, now, window) && lastHeard.get(p) >= since) {
                out.add(p);
            }
        }
        return out;
    }

    /** While leading: {@code pnn} answered an announcement; {@code sent} announcements have been sent so far. */
    void followed(int pnn, long sent) {
        answered.merge(pnn, sent, Math::max);
    }

    /** A new leadership begins with {@code sent} announcements sent: the peers in {@code fresh} count as just answered. */
    void resetFollowers(Set<Integer> fresh, long sent, int patience) {
        answered.clear();
        for (int p : connected) {
            answered.put(p, fresh.contains(p) ? sent : sent - patience);
        }
    }

    /** The connected peers that answered at least one of the last {@code patience} of {@code sent} announcements. */
    Set<Integer> following(long sent, int patience) {
        Set<Integer> out = new TreeSet<>();
        for (int p : connected) {
            Long a = answered.get(p);
            if (a != null && sent - a < patience) {
                out.add(p);
            }
        }
        return out;
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

    /**
     * Recovery members: this node plus every connected active peer heard within {@code window},
     * sorted. (A peer cut off behind a link that the mesh has not yet declared dead would never
     * acknowledge a step and hold the recovery up until the mesh's keepalive gives up.)
     */
    List<Integer> members(int me, long now, long window) {
        List<Integer> out = new ArrayList<>();
        out.add(me);
        for (int p : connected) {
            if (isActive(p) && reachable(p, now, window)) {
                out.add(p);
            }
        }
        Collections.sort(out);
        return out;
    }

    /**
     * The no-lock rule: the lowest-numbered reachable node that can lead, counting this node if
     * {@code meCanLead}; a peer counts only once its candidate message said it can lead. -1 if none.
     */
    int fallbackWinner(int me, boolean meCanLead, long now, long window) {
        int best = meCanLead ? me : Integer.MAX_VALUE;
        for (int p : connected) {
            if (p < best && isActive(p) && canLead.getOrDefault(p, false) && reachable(p, now, window)) {
                best = p;
            }
        }
        return best == Integer.MAX_VALUE ? -1 : best;
    }
}

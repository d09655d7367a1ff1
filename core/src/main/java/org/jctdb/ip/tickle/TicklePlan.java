package org.jctdb.ip.tickle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Which raw segments to send for an address that moves, as lines of "FROM TO" for the
 * {@code jctdb_tcp} helper (tickle: an ACK from FROM to TO; kill: reset TO's end).
 */
public final class TicklePlan {
    /** SMB's ports: on release CTDB resets only this node's end of such a connection (10.interface). */
    public static final Set<Integer> ONE_WAY_PORTS = Set.of(139, 445);

    private TicklePlan() {}

    /** After takeip: a tickle ACK from the public address to each client. */
    public static List<String> tickles(Collection<TickleConnection> conns) {
        List<String> out = new ArrayList<>();
        for (TickleConnection c : conns) {
            if (!c.src().ipv6()) { // the helper speaks IPv4 only
                out.add(c.dst() + " " + c.src());
            }
        }
        return out;
    }

    /**
     * At releaseip of {@code ip}: reset this node's end of every established connection to it
     * (so the server process lets go at once), and the client's end too unless it is SMB, whose
     * clients the new host tickles once the address is up again (as CTDB's kill_tcp_connections).
     */
    public static List<String> releaseKills(String ip, Collection<TickleConnection> established) {
        List<String> out = new ArrayList<>();
        for (TickleConnection c : established) {
            if (!c.dst().ip().equals(ip) || c.src().ipv6()) {
                continue;
            }
            out.add(c.src() + " " + c.dst());
            if (!ONE_WAY_PORTS.contains(c.dst().port())) {
                out.add(c.dst() + " " + c.src());
            }
        }
        return out;
    }
}

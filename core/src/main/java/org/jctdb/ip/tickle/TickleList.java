package org.jctdb.ip.tickle;

import java.util.List;

/**
 * The connections to one public address as its host knows them, sent to every other node
 * (CTDB's SET_TCP_TICKLE_LIST), so whichever node takes the address over can tickle them.
 */
public record TickleList(int from, String ip, List<TickleConnection> connections) {
    /**
     * Most connections one list carries (about 100 bytes each on the mesh, whose frames hold
     * 1 MiB); a host sends the first ones of a longer list, a peer's longer list is refused.
     */
    public static final int MAX_CONNECTIONS = 4_000;

    public TickleList {
        connections = List.copyOf(connections);
    }
}

package org.jctdb.ip.tickle;

import java.util.List;

/**
 * The connections to one public address as its host knows them, sent to every other node
 * (CTDB's SET_TCP_TICKLE_LIST), so whichever node takes the address over can tickle them.
 */
public record TickleList(int from, String ip, List<TickleConnection> connections) {
    /** Most connections one list may carry; a longer one from a peer is refused. */
    public static final int MAX_CONNECTIONS = 10_000;

    public TickleList {
        connections = List.copyOf(connections);
    }
}

package org.jctdb.node;

import org.jctdb.mesh.WireMessage;

/** What the node-state core asks its shell to do, in order. */
public sealed interface NodeEffect {
    /** Send this node's state to every connected peer. */
    record Broadcast(WireMessage.NodeState state) implements NodeEffect {}

    /** Send this node's state to one peer (it has just connected). */
    record SendState(int pnn, WireMessage.NodeState state) implements NodeEffect {}

    /** The leader core must learn this node's own flags. */
    record LeaderOwnFlags(int flags) implements NodeEffect {}

    /** The leader core must learn a peer's flags (always before it counts the peer as connected). */
    record LeaderPeerFlags(int pnn, int flags) implements NodeEffect {}

    /** The peer is connected and has said who it is: the leader core may count it. */
    record LeaderPeerConnected(int pnn) implements NodeEffect {}

    record LeaderPeerDisconnected(int pnn) implements NodeEffect {}

    /** IP failover must hear of a lost peer, and why. */
    record IpPeerDisconnected(int pnn, DisconnectCause cause) implements NodeEffect {}

    /** The cluster view changed: publish a new snapshot for commands. */
    record PublishView() implements NodeEffect {}

    record Log(Level level, String message) implements NodeEffect {}

    enum Level {
        INFO,
        WARN
    }
}

package org.jctdb.node;

/**
 * Why the mesh dropped a peer. Decisions read the cause, never the log text: a silent peer may
 * still hold its addresses (paused or cut off), a closed connection means its process went away.
 */
public enum DisconnectCause {
    /** The connection closed (the peer's process exited, or its host reset the connection). */
    CLOSED("connection closed"),
    /** Nothing arrived for KeepaliveInterval x KeepaliveLimit: paused, hung or cut off. */
    SILENT("sent nothing for KeepaliveInterval x KeepaliveLimit"),
    /** A new connection from the same peer replaced this one. */
    REPLACED("replaced by a new connection"),
    /** The node was deleted from the nodes file. */
    DELETED("deleted from the nodes file"),
    /** The handshake was refused or did not finish in time. */
    HANDSHAKE("handshake refused or timed out"),
    /** The connection failed with an I/O error or sent a malformed frame. */
    ERROR("I/O error or malformed frame");

    private final String description;

    DisconnectCause(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** True when the peer may still be running with its old state (only silence says so). */
    public boolean peerMayLive() {
        return this == SILENT;
    }
}

package org.jctdb.transport;

import org.jctdb.mesh.WireMessage;
import org.jctdb.node.DisconnectCause;

/**
 * What the mesh tells its owner. Called on the mesh's I/O thread: implementations hand the
 * event to the daemon's decision thread and return at once.
 */
public interface PeerListener {
    void peerConnected(int pnn);

    void peerDisconnected(int pnn, DisconnectCause cause, String detail);

    void messageReceived(int pnn, WireMessage message);

    /** A connected peer missed a keepalive (PeerHandler says when; for the metrics); the default ignores it. */
    default void keepaliveMissed(int pnn) {}
}

package org.jctdb.transport;

import java.net.InetAddress;
import java.util.Map;
import org.jctdb.config.ClusterKeys;

/**
 * The mesh's view of the cluster: which PNN lives at which address, who we are, and the
 * keepalive rules (CTDB's KeepaliveInterval and KeepaliveLimit).
 *
 * @param peers          PNN to address of every live node, this one included
 * @param keepaliveMillis send a keepalive after this long without sending anything
 * @param keepaliveLimit a peer silent for keepaliveMillis x keepaliveLimit is disconnected
 * @param keys           the cluster key(s) every peer must prove; {@link ClusterKeys#NONE} for none
 */
public record MeshSettings(
        int myPnn,
        Map<Integer, InetAddress> peers,
        int port,
        String clusterId,
        String version,
        long keepaliveMillis,
        long keepaliveLimit,
        ClusterKeys keys) {
    public MeshSettings {
        peers = Map.copyOf(peers);
    }

    public MeshSettings withKeys(ClusterKeys next) {
        return new MeshSettings(myPnn, peers, port, clusterId, version, keepaliveMillis, keepaliveLimit, next);
    }

    public InetAddress myAddress() {
        return peers.get(myPnn);
    }

    public long silenceLimitMillis() {
        return keepaliveMillis * Math.max(1, keepaliveLimit);
    }
}

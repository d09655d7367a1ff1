package org.jctdb.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jctdb.config.NodeEntry;
import org.jctdb.config.NodesFile;
import org.jctdb.control.NodeView;
import org.jctdb.mesh.WireMessage;
import org.jctdb.protocol.NodeFlags;
import org.jctdb.protocol.StorageSummary;

/**
 * What one node knows of itself and its peers, as pure code: its own flags (admin state, monitor
 * and storage health), its storage summary, and each peer's reported flags and connection. The
 * daemon feeds it inputs on its core thread and carries out the effects in order; nothing here
 * touches a socket, a clock or a thread.
 *
 * <p>Ordering rules it keeps (each broke once in the daemon's hand-kept state):
 * <ul>
 *   <li>a storage verdict applies its summary and its flag in one step, so no broadcast or view
 *       shows the new flag beside the old probe state;</li>
 *   <li>a peer that (re)connects is UNKNOWN until it sends its state: whatever it said before it
 *       went away is stale;</li>
 *   <li>the leader core learns a peer's flags before it counts the peer as connected, and counts
 *       it once per connection.</li>
 * </ul>
 */
public final class NodeStateCore {
    private final int myPnn;
    private int ownFlags;
    // UNHEALTHY is the OR of the monitor event's verdict and the storage probe's.
    private boolean monitorHealthy;
    private boolean storageHealthy = true;
    private String storageReason = "";
    private long sequence;
    private StorageSummary ownStorage = StorageSummary.OK;
    private StorageSummary lastBroadcastStorage = StorageSummary.OK;
    private final Map<Integer, Integer> reportedFlags = new HashMap<>();
    private final Map<Integer, StorageSummary> reportedStorage = new HashMap<>();
    private final Set<Integer> connected = new HashSet<>();
    private final Set<Integer> leaderPeers = new HashSet<>();

    /** @param initialFlags start-up flags (STOPPED, PERMANENTLY_DISABLED); UNHEALTHY is added. */
    public NodeStateCore(int myPnn, int initialFlags) {
        this.myPnn = myPnn;
        // As in CTDB, a node is unhealthy until its first monitor event succeeds.
        this.ownFlags = initialFlags | NodeFlags.UNHEALTHY;
    }

    public List<NodeEffect> handle(NodeInput input) {
        List<NodeEffect> out = new ArrayList<>();
        if (input instanceof NodeInput.PeerConnected c) {
            peerConnected(c.pnn(), out);
        } else if (input instanceof NodeInput.PeerDisconnected d) {
            peerDisconnected(d, out);
        } else if (input instanceof NodeInput.StateReceived s) {
            stateReceived(s.from(), s.state(), out);
        } else if (input instanceof NodeInput.MonitorVerdict m) {
            monitorHealthy = m.healthy();
            updateHealth(out);
        } else if (input instanceof NodeInput.StorageVerdict v) {
            // Summary and flag together: one broadcast carries both.
            ownStorage = v.summary();
            storageHealthy = v.healthy();
            storageReason = v.reason();
            if (!updateHealth(out)) {
                // The flag did not move, but the summary may have.
                broadcastIfStorageChanged(out);
            }
        } else if (input instanceof NodeInput.StorageSummaryChanged s) {
            if (!s.summary().equals(ownStorage)) {
                ownStorage = s.summary();
                broadcast(out);
            }
        } else if (input instanceof NodeInput.AdminChange a) {
            setOwnFlags(a.change().applyAsInt(ownFlags), out);
        } else {
            throw new IllegalStateException("unhandled node input " + input);
        }
        return out;
    }

    private void peerConnected(int pnn, List<NodeEffect> out) {
        connected.add(pnn);
        leaderPeers.remove(pnn);
        reportedFlags.remove(pnn);
        reportedStorage.remove(pnn);
        out.add(new NodeEffect.SendState(pnn, ownState()));
        out.add(new NodeEffect.PublishView());
    }

    private void peerDisconnected(NodeInput.PeerDisconnected d, List<NodeEffect> out) {
        connected.remove(d.pnn());
        if (leaderPeers.remove(d.pnn())) {
            out.add(new NodeEffect.LeaderPeerDisconnected(d.pnn()));
        }
        out.add(new NodeEffect.IpPeerDisconnected(d.pnn(), d.cause()));
        out.add(new NodeEffect.PublishView());
    }

    private void stateReceived(int from, WireMessage.NodeState s, List<NodeEffect> out) {
        if (s.pnn() != from) {
            out.add(new NodeEffect.Log(
                    NodeEffect.Level.WARN, "node " + from + " sent the state of node " + s.pnn() + "; ignored"));
            return;
        }
        int flags = s.flags() & ~NodeFlags.DISCONNECTED;
        reportedFlags.put(from, flags);
        StorageSummary before = reportedStorage.put(from, s.storage());
        if (before != null && !before.sameAs(s.storage())) {
            out.add(new NodeEffect.Log(
                    NodeEffect.Level.INFO,
                    "node " + from + " reports its cluster filesystem "
                            + s.storage().state()
                            + (s.storage().ok() ? "" : " on " + s.storage().path())));
        }
        out.add(new NodeEffect.LeaderPeerFlags(from, flags));
        // A state queued behind its sender's disconnect still updates what we last heard.
        if (connected.contains(from) && leaderPeers.add(from)) {
            out.add(new NodeEffect.LeaderPeerConnected(from));
        }
        out.add(new NodeEffect.PublishView());
    }

    /** Applies the health verdicts to the flags; true when the flags changed. */
    private boolean updateHealth(List<NodeEffect> out) {
        boolean healthy = monitorHealthy && storageHealthy;
        int flags = healthy ? ownFlags & ~NodeFlags.UNHEALTHY : ownFlags | NodeFlags.UNHEALTHY;
        if (flags == ownFlags) {
            return false;
        }
        out.add(new NodeEffect.Log(
                NodeEffect.Level.INFO,
                "node " + myPnn + " is now "
                        + (healthy
                                ? "HEALTHY"
                                : "UNHEALTHY (" + (storageHealthy ? "monitor event failed" : storageReason) + ")")));
        setOwnFlags(flags, out);
        return true;
    }

    private void broadcastIfStorageChanged(List<NodeEffect> out) {
        if (!ownStorage.equals(lastBroadcastStorage)) {
            broadcast(out);
        }
    }

    private void setOwnFlags(int flags, List<NodeEffect> out) {
        if (flags == ownFlags) {
            return;
        }
        ownFlags = flags;
        out.add(new NodeEffect.LeaderOwnFlags(flags));
        broadcast(out);
    }

    private void broadcast(List<NodeEffect> out) {
        sequence++;
        lastBroadcastStorage = ownStorage;
        out.add(new NodeEffect.Broadcast(ownState()));
        out.add(new NodeEffect.PublishView());
    }

    /** This node's state as it tells its peers. */
    public WireMessage.NodeState ownState() {
        return new WireMessage.NodeState(myPnn, ownFlags, sequence, ownStorage);
    }

    public int ownFlags() {
        return ownFlags;
    }

    public StorageSummary ownStorage() {
        return ownStorage;
    }

    public boolean connected(int pnn) {
        return connected.contains(pnn);
    }

    /** Every configured node as `status` shows it from here. */
    public List<NodeView> nodeViews(NodesFile nodes) {
        List<NodeView> views = new ArrayList<>();
        for (NodeEntry n : nodes.nodes()) {
            int flags;
            StorageSummary storage = reportedStorage.getOrDefault(n.pnn(), StorageSummary.OK);
            if (n.deleted()) {
                flags = NodeFlags.DELETED;
            } else if (n.pnn() == myPnn) {
                flags = ownFlags;
                storage = ownStorage;
            } else if (connected.contains(n.pnn())) {
                flags = reportedFlags.getOrDefault(n.pnn(), NodeFlags.UNKNOWN);
            } else {
                // as ctdbd marks a node it lost: it cannot be known to be healthy
                flags = reportedFlags.getOrDefault(n.pnn(), 0) | NodeFlags.DISCONNECTED | NodeFlags.UNHEALTHY;
            }
            views.add(new NodeView(n.pnn(), n.addressText(), flags, storage));
        }
        return views;
    }
}

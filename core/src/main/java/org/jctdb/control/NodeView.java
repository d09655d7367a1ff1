package org.jctdb.control;

import org.jctdb.protocol.NodeFlags;
import org.jctdb.protocol.StorageSummary;

/**
 * One node as this daemon sees it right now.
 *
 * @param storage the node's cluster filesystem probe summary as it last reported it (stale
 *                while the node is disconnected; OK before it reports)
 */
public record NodeView(int pnn, String address, int flags, StorageSummary storage) {
    public NodeView(int pnn, String address, int flags) {
        this(pnn, address, flags, StorageSummary.OK);
    }

    public boolean deleted() {
        return NodeFlags.has(flags, NodeFlags.DELETED);
    }

    /** Connected (or this node) and not deleted: its reports are current. */
    public boolean reachable() {
        return !NodeFlags.has(flags, NodeFlags.DELETED | NodeFlags.DISCONNECTED | NodeFlags.UNKNOWN);
    }
}

package org.jctdb.daemon;

import org.jctdb.protocol.NodeFlags;

/** One node as this daemon sees it right now. */
public record NodeView(int pnn, String address, int flags) {
    public boolean deleted() {
        return NodeFlags.has(flags, NodeFlags.DELETED);
    }
}

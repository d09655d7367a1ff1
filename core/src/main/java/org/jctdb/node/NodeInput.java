package org.jctdb.node;

import java.util.function.IntUnaryOperator;
import org.jctdb.mesh.WireMessage;
import org.jctdb.protocol.StorageSummary;

/** Everything that changes what a node knows about itself and its peers. */
public sealed interface NodeInput {
    /** The mesh has a working connection to {@code pnn}. */
    record PeerConnected(int pnn) implements NodeInput {}

    record PeerDisconnected(int pnn, DisconnectCause cause, String detail) implements NodeInput {}

    /** A peer's own flags and storage summary, as it sent them over {@code from}'s connection. */
    record StateReceived(int from, WireMessage.NodeState state) implements NodeInput {}

    /** The monitor event's verdict (first success clears the start-up UNHEALTHY). */
    record MonitorVerdict(boolean healthy) implements NodeInput {}

    /**
     * The storage probe's verdict with its summary at that moment: both apply in one step, so
     * no peer or status ever sees the new flag beside the old probe state.
     */
    record StorageVerdict(boolean healthy, String reason, StorageSummary summary) implements NodeInput {}

    /** The storage probe's worst state changed without changing the verdict. */
    record StorageSummaryChanged(StorageSummary summary) implements NodeInput {}

    /** An administrative change of this node's flags (disable, stop, ban and their reversals). */
    record AdminChange(IntUnaryOperator change) implements NodeInput {}
}

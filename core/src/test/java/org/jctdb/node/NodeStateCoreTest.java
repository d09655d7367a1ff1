package org.jctdb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.jctdb.config.NodeEntry;
import org.jctdb.config.NodesFile;
import org.jctdb.control.NodeView;
import org.jctdb.mesh.WireMessage;
import org.jctdb.protocol.NodeFlags;
import org.jctdb.protocol.StorageSummary;
import org.junit.jupiter.api.Test;

class NodeStateCoreTest {
    static final StorageSummary HUNG = new StorageSummary("HUNG", "/cluster/lock", 1_000);

    static NodesFile nodes(int n) {
        List<NodeEntry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            try {
                entries.add(new NodeEntry(i, Optional.of(java.net.InetAddress.getByName("127.0.0." + (i + 1)))));
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
        return new NodesFile(entries);
    }

    static List<WireMessage.NodeState> broadcasts(List<NodeEffect> effects) {
        return effects.stream()
                .filter(e -> e instanceof NodeEffect.Broadcast)
                .map(e -> ((NodeEffect.Broadcast) e).state())
                .toList();
    }

    @Test
    void startsUnhealthyUntilTheFirstMonitorSuccess() {
        NodeStateCore node = new NodeStateCore(0, NodeFlags.STOPPED);
        assertThat(node.ownFlags()).isEqualTo(NodeFlags.STOPPED | NodeFlags.UNHEALTHY);
        List<NodeEffect> out = node.handle(new NodeInput.MonitorVerdict(true));
        assertThat(node.ownFlags()).isEqualTo(NodeFlags.STOPPED);
        assertThat(out)
                .containsSubsequence(
                        new NodeEffect.LeaderOwnFlags(NodeFlags.STOPPED),
                        new NodeEffect.Broadcast(node.ownState()),
                        new NodeEffect.PublishView());
    }

    /** 72c32d0: a storage verdict once went out with the new flag beside the old probe state. */
    @Test
    void storageVerdictCarriesItsSummaryInTheSameBroadcast() {
        NodeStateCore node = new NodeStateCore(0, 0);
        node.handle(new NodeInput.MonitorVerdict(true));
        List<NodeEffect> out = node.handle(new NodeInput.StorageVerdict(false, "cluster filesystem HUNG", HUNG));
        List<WireMessage.NodeState> sent = broadcasts(out);
        assertThat(sent).isNotEmpty();
        for (WireMessage.NodeState s : sent) {
            if ((s.flags() & NodeFlags.UNHEALTHY) != 0) {
                assertThat(s.storage())
                        .as("the broadcast that says UNHEALTHY names the hung path")
                        .isEqualTo(HUNG);
            }
        }
        assertThat(sent.get(sent.size() - 1)).isEqualTo(node.ownState());
        assertThat(node.nodeViews(nodes(1)).get(0)).isEqualTo(new NodeView(0, "127.0.0.1", NodeFlags.UNHEALTHY, HUNG));

        // Thaw: healthy again and the summary back to OK, in one broadcast.
        List<WireMessage.NodeState> thaw =
                broadcasts(node.handle(new NodeInput.StorageVerdict(true, "", StorageSummary.OK)));
        assertThat(thaw).hasSize(1);
        assertThat(thaw.get(0).flags()).isZero();
        assertThat(thaw.get(0).storage()).isEqualTo(StorageSummary.OK);
    }

    @Test
    void summaryChangeWithoutVerdictChangeIsBroadcastOnce() {
        NodeStateCore node = new NodeStateCore(0, 0);
        StorageSummary slow = new StorageSummary("SLOW", "/cluster", 5);
        assertThat(broadcasts(node.handle(new NodeInput.StorageSummaryChanged(slow))))
                .hasSize(1);
        assertThat(broadcasts(node.handle(new NodeInput.StorageSummaryChanged(slow))))
                .isEmpty();
        assertThat(broadcasts(node.handle(new NodeInput.StorageVerdict(true, "", slow))))
                .isEmpty();
    }

    /** c3a7ce4: a reconnected peer once showed its stale OK until it spoke again. */
    @Test
    void reconnectedPeerIsUnknownUntilItReports() {
        NodeStateCore node = new NodeStateCore(0, 0);
        node.handle(new NodeInput.PeerConnected(1));
        node.handle(new NodeInput.StateReceived(1, new WireMessage.NodeState(1, 0, 1, StorageSummary.OK)));
        assertThat(node.nodeViews(nodes(2)).get(1).flags()).isZero();

        node.handle(new NodeInput.PeerDisconnected(1, DisconnectCause.CLOSED, "connection closed"));
        assertThat(node.nodeViews(nodes(2)).get(1).flags()).isEqualTo(NodeFlags.DISCONNECTED | NodeFlags.UNHEALTHY);

        List<NodeEffect> out = node.handle(new NodeInput.PeerConnected(1));
        assertThat(node.nodeViews(nodes(2)).get(1).flags()).isEqualTo(NodeFlags.UNKNOWN);
        assertThat(out).contains(new NodeEffect.SendState(1, node.ownState()));
    }

    @Test
    void leaderLearnsFlagsBeforeCountingThePeerAndCountsItOncePerConnection() {
        NodeStateCore node = new NodeStateCore(0, 0);
        node.handle(new NodeInput.PeerConnected(2));
        List<NodeEffect> first = node.handle(new NodeInput.StateReceived(
                2, new WireMessage.NodeState(2, NodeFlags.UNHEALTHY, 1, StorageSummary.OK)));
        assertThat(first)
                .containsSubsequence(
                        new NodeEffect.LeaderPeerFlags(2, NodeFlags.UNHEALTHY), new NodeEffect.LeaderPeerConnected(2));
        List<NodeEffect> second =
                node.handle(new NodeInput.StateReceived(2, new WireMessage.NodeState(2, 0, 2, StorageSummary.OK)));
        assertThat(second)
                .contains(new NodeEffect.LeaderPeerFlags(2, 0))
                .doesNotContain(new NodeEffect.LeaderPeerConnected(2));
        List<NodeEffect> gone = node.handle(new NodeInput.PeerDisconnected(2, DisconnectCause.SILENT, "quiet"));
        assertThat(gone)
                .containsSubsequence(
                        new NodeEffect.LeaderPeerDisconnected(2),
                        new NodeEffect.IpPeerDisconnected(2, DisconnectCause.SILENT));
    }

    @Test
    void peerWithoutStateIsNeverCountedByTheLeader() {
        NodeStateCore node = new NodeStateCore(0, 0);
        node.handle(new NodeInput.PeerConnected(1));
        List<NodeEffect> out = node.handle(new NodeInput.PeerDisconnected(1, DisconnectCause.CLOSED, "closed"));
        assertThat(out).doesNotContain(new NodeEffect.LeaderPeerDisconnected(1));
    }

    @Test
    void stateClaimingAnotherNodeIsIgnoredWithAWarning() {
        NodeStateCore node = new NodeStateCore(0, 0);
        node.handle(new NodeInput.PeerConnected(1));
        List<NodeEffect> out =
                node.handle(new NodeInput.StateReceived(1, new WireMessage.NodeState(2, 0, 1, StorageSummary.OK)));
        assertThat(out).singleElement().isInstanceOf(NodeEffect.Log.class);
        assertThat(node.nodeViews(nodes(3)).get(1).flags()).isEqualTo(NodeFlags.UNKNOWN);
    }

    @Test
    void adminChangeAppliesToTheCurrentFlags() {
        NodeStateCore node = new NodeStateCore(0, 0);
        node.handle(new NodeInput.MonitorVerdict(true));
        node.handle(new NodeInput.AdminChange(f -> f | NodeFlags.PERMANENTLY_DISABLED));
        assertThat(node.ownFlags()).isEqualTo(NodeFlags.PERMANENTLY_DISABLED);
        // A monitor failure on top keeps the admin bit.
        node.handle(new NodeInput.MonitorVerdict(false));
        assertThat(node.ownFlags()).isEqualTo(NodeFlags.PERMANENTLY_DISABLED | NodeFlags.UNHEALTHY);
        assertThat(node.handle(new NodeInput.AdminChange(f -> f))).isEmpty();
    }
}

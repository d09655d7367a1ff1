package org.jctdb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jctdb.control.NodeView;
import org.jctdb.mesh.WireMessage;
import org.jctdb.protocol.NodeFlags;
import org.jctdb.protocol.StorageSummary;

/** Random input sequences through the node-state core: the ordering rules hold after every step. */
class NodeStateProperties {
    static final int NODES = 4;
    static final StorageSummary HUNG = new StorageSummary("HUNG", "/cluster", 7);

    @Provide
    Arbitrary<List<NodeInput>> inputs() {
        Arbitrary<Integer> peer = Arbitraries.integers().between(1, NODES - 1);
        Arbitrary<NodeInput> one = Arbitraries.oneOf(
                peer.map(NodeInput.PeerConnected::new),
                peer.flatMap(p -> Arbitraries.of(DisconnectCause.class)
                        .map(c -> new NodeInput.PeerDisconnected(p, c, c.description()))),
                peer.flatMap(p -> Arbitraries.of(0, NodeFlags.UNHEALTHY, NodeFlags.STOPPED, NodeFlags.DISCONNECTED)
                        .map(f ->
                                new NodeInput.StateReceived(p, new WireMessage.NodeState(p, f, 1, StorageSummary.OK)))),
                Arbitraries.of(true, false).map(NodeInput.MonitorVerdict::new),
                Arbitraries.of(true, false)
                        .map(h -> new NodeInput.StorageVerdict(h, h ? "" : "hung", h ? StorageSummary.OK : HUNG)),
                Arbitraries.of(StorageSummary.OK, HUNG).map(NodeInput.StorageSummaryChanged::new),
                Arbitraries.of(NodeFlags.PERMANENTLY_DISABLED, NodeFlags.STOPPED)
                        .map(bit -> new NodeInput.AdminChange(f -> f ^ bit)));
        return one.list().ofMaxSize(60);
    }

    @Property(tries = 500)
    void orderingRulesHoldAfterEveryInput(@ForAll("inputs") List<NodeInput> script) {
        NodeStateCore node = new NodeStateCore(0, 0);
        Set<Integer> connected = new HashSet<>();
        Set<Integer> heardSinceConnect = new HashSet<>();
        Set<Integer> countedByLeader = new HashSet<>();
        long lastSequence = 0;
        for (NodeInput in : script) {
            if (in instanceof NodeInput.PeerConnected c) {
                connected.add(c.pnn());
                heardSinceConnect.remove(c.pnn());
                countedByLeader.remove(c.pnn());
            } else if (in instanceof NodeInput.PeerDisconnected d) {
                connected.remove(d.pnn());
            } else if (in instanceof NodeInput.StateReceived s && connected.contains(s.from())) {
                heardSinceConnect.add(s.from());
            }
            Set<Integer> flagsSeen = new HashSet<>();
            for (NodeEffect e : node.handle(in)) {
                if (e instanceof NodeEffect.Broadcast b) {
                    assertThat(b.state().sequence()).as("sequence grows").isGreaterThan(lastSequence);
                    lastSequence = b.state().sequence();
                    if ((b.state().flags() & NodeFlags.UNHEALTHY) != 0
                            && in instanceof NodeInput.StorageVerdict v
                            && !v.healthy()) {
                        assertThat(b.state().storage()).isEqualTo(v.summary());
                    }
                } else if (e instanceof NodeEffect.LeaderPeerFlags f) {
                    flagsSeen.add(f.pnn());
                } else if (e instanceof NodeEffect.LeaderPeerConnected c) {
                    assertThat(flagsSeen).as("flags before connected").contains(c.pnn());
                    assertThat(connected).contains(c.pnn());
                    assertThat(countedByLeader.add(c.pnn()))
                            .as("counted once per connection")
                            .isTrue();
                } else if (e instanceof NodeEffect.LeaderPeerDisconnected d) {
                    assertThat(countedByLeader.remove(d.pnn())).isTrue();
                }
            }
            assertThat(node.ownState().flags()).isEqualTo(node.ownFlags());
            List<NodeView> views = node.nodeViews(NodeStateCoreTest.nodes(NODES));
            for (int p = 1; p < NODES; p++) {
                int flags = views.get(p).flags();
                if (!connected.contains(p)) {
                    assertThat(flags & NodeFlags.DISCONNECTED).isNotZero();
                } else if (!heardSinceConnect.contains(p)) {
                    assertThat(flags)
                            .as("node %d connected but silent is UNKNOWN", p)
                            .isEqualTo(NodeFlags.UNKNOWN);
                } else {
                    assertThat(flags & NodeFlags.DISCONNECTED).isZero();
                }
            }
        }
    }
}

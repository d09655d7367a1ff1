package org.jctdb.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** reloadnodes' rules: add at the end, delete a disconnected node with #, never change an address. */
class NodesReloadTest {
    static final String A = "10.1.1.1";
    static final String B = "10.1.1.2";
    static final String C = "10.1.1.3";

    static NodesFile file(String... lines) throws ConfigException {
        return NodesFile.parse("nodes", List.of(lines));
    }

    static NodesReload.Current live(int pnn, String address) {
        return new NodesReload.Current(pnn, address, false, false);
    }

    @Test
    void unchangedFileNeedsNoReload() throws Exception {
        NodesReload.Outcome o = NodesReload.compare(List.of(live(0, A), live(1, B)), file(A, B));
        assertThat(o.allowed()).isTrue();
        assertThat(o.changed()).isFalse();
        assertThat(o.out()).isEmpty();
    }

    @Test
    void nodesAddedAtTheEndAreNew() throws Exception {
        NodesReload.Outcome o = NodesReload.compare(List.of(live(0, A), live(1, B)), file(A, B, C));
        assertThat(o.allowed()).isTrue();
        assertThat(o.out()).containsExactly("Node 2 is NEW");
    }

    @Test
    void aNodeMayBeDeletedOnlyOnceDisconnected() throws Exception {
        NodesReload.Outcome connected = NodesReload.compare(List.of(live(0, A), live(1, B)), file(A, "#" + B));
        assertThat(connected.allowed()).isFalse();
        assertThat(connected.out()).containsExactly("Node 1 is DELETED");
        assertThat(connected.err())
                .containsExactly(
                        "ERROR: Node 1 is still connected", "ERROR: Nodes will not be reloaded due to previous error");
        NodesReload.Outcome gone =
                NodesReload.compare(List.of(live(0, A), new NodesReload.Current(1, B, false, true)), file(A, "#" + B));
        assertThat(gone.allowed()).isTrue();
        assertThat(gone.changed()).isTrue();
    }

    @Test
    void changedAddressesAndMissingLinesAreRefused() throws Exception {
        NodesReload.Outcome moved = NodesReload.compare(List.of(live(0, A), live(1, B)), file(A, C));
        assertThat(moved.allowed()).isFalse();
        assertThat(moved.err()).first().isEqualTo("Node 1 has changed IP address (was " + B + ", now " + C + ")");
        NodesReload.Outcome shorter = NodesReload.compare(List.of(live(0, A), live(1, B)), file(A));
        assertThat(shorter.allowed()).isFalse();
        assertThat(shorter.err()).first().isEqualTo("Node 1 (" + B + ") missing from nodes file");
    }

    @Test
    void aDeletedNodeMayComeBack() throws Exception {
        NodesReload.Outcome o =
                NodesReload.compare(List.of(live(0, A), new NodesReload.Current(1, "0.0.0.0", true, true)), file(A, B));
        assertThat(o.allowed()).isTrue();
        assertThat(o.out()).containsExactly("Node 1 is UNDELETED");
    }

    @Test
    void theDaemonRefusesWhatTheCommandWouldHaveRefused() throws Exception {
        assertThat(NodesReload.refusal(file(A, B), file(A, B, C), 0)).isEmpty();
        assertThat(NodesReload.refusal(file(A, B), file(A, "#" + B), 0)).isEmpty();
        assertThat(NodesReload.refusal(file(A, B), file(A), 0)).isPresent();
        assertThat(NodesReload.refusal(file(A, B), file(A, C), 0))
                .get()
                .asString()
                .contains("changed IP address");
        assertThat(NodesReload.refusal(file(A, B), file("#" + A, B), 0))
                .get()
                .asString()
                .contains("this node");
    }
}

package org.jctdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.jctdb.control.ClusterView;
import org.jctdb.control.NodeView;
import org.jctdb.protocol.NodeFlags;
import org.junit.jupiter.api.Test;

/** CTDB 4.17's layouts, checked against the examples in its documentation and tests. */
class StatusFormatTest {
    private static final List<NodeView> NODES = List.of(
            new NodeView(0, "192.168.20.41", 0),
            new NodeView(1, "192.168.20.42", NodeFlags.DISCONNECTED),
            new NodeView(2, "192.168.20.43", NodeFlags.PERMANENTLY_DISABLED | NodeFlags.STOPPED),
            new NodeView(3, "0.0.0.0", NodeFlags.DELETED));

    @Test
    void humanNodeMap() {
        assertThat(StatusFormat.nodeMap(NODES, 2, true, 4))
                .isEqualTo("Number of nodes:4 (including 1 deleted nodes)\n"
                        + "pnn:0 192.168.20.41    OK\n"
                        + "pnn:1 192.168.20.42    DISCONNECTED|INACTIVE\n"
                        + "pnn:2 192.168.20.43    DISABLED|STOPPED|INACTIVE (THIS NODE)\n");
    }

    @Test
    void machineNodeMap() {
        assertThat(StatusFormat.nodeMapMachine(NODES, 2, new OutputStyle("|", false)))
                .isEqualTo(
                        "|Node|IP|Disconnected|Unknown|Banned|Disabled|Unhealthy|Stopped|Inactive|PartiallyOnline|ThisNode|\n"
                                + "|0|192.168.20.41|0|0|0|0|0|0|0|0|N|\n"
                                + "|1|192.168.20.42|1|0|0|0|0|0|1|0|N|\n"
                                + "|2|192.168.20.43|0|0|0|1|0|1|1|0|Y|\n");
    }

    @Test
    void clusterState() {
        ClusterView v = new ClusterView(0, NODES, 1362079228L, List.of(0, 1, 2), 0, 0, 0, 0, 0, Optional.empty());
        assertThat(StatusFormat.clusterState(v))
                .isEqualTo("Generation:1362079228\nSize:3\nhash:0 lmaster:0\n"
                        + "hash:1 lmaster:1\nhash:2 lmaster:2\nRecovery mode:NORMAL (0)\nLeader:0\n");
        ClusterView starting =
                new ClusterView(0, NODES, ClusterView.INVALID_GENERATION, List.of(), 1, -1, 0, 0, 0, Optional.empty());
        assertThat(StatusFormat.clusterState(starting))
                .isEqualTo("Generation:INVALID\nSize:0\nRecovery mode:RECOVERY (1)\nLeader:UNKNOWN\n");
    }

    @Test
    void commandWordSkipsGlobalOptionsAndTheirValues() {
        assertThat(Main.commandWord(new String[] {"-n", "1", "-X", "status"})).isEqualTo("status");
        assertThat(Main.commandWord(new String[] {"-x", ";", "ip"})).isEqualTo("ip");
        assertThat(Main.commandWord(new String[] {"local-cluster", "up"})).isEqualTo("local-cluster");
        assertThat(Main.commandWord(new String[] {"-X"})).isNull();
        assertThat(CommandRunner.withoutNodeOption(List.of("-n", "2", "-X", "status", "-n1")))
                .containsExactly("-X", "status");
    }
}

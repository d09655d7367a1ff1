package org.jctdb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NodesFileTest {
    private static NodesFile parse(String text) throws ConfigException {
        return NodesFile.parse("nodes", TextLines.split(text));
    }

    @Test
    void pnnIsPositionAmongNonBlankLinesAndDeletedNodesKeepTheirs() throws Exception {
        NodesFile n = parse("\n 192.168.1.1 \n#192.168.1.2\n\n192.168.1.3\nfd00::1\n");
        assertThat(n.size()).isEqualTo(4);
        assertThat(n.node(0).addressText()).isEqualTo("192.168.1.1");
        assertThat(n.node(1).deleted()).isTrue();
        assertThat(n.node(1).addressText()).isEqualTo("0.0.0.0");
        assertThat(n.node(2).pnn()).isEqualTo(2);
        assertThat(n.node(3).addressText()).isEqualTo("fd00::1");
    }

    @Test
    void clusterIdDependsOnTheNodeList() throws Exception {
        assertThat(parse("10.0.0.1\n10.0.0.2\n").clusterId())
                .isEqualTo(parse("10.0.0.1\n\n10.0.0.2").clusterId())
                .isNotEqualTo(parse("10.0.0.1\n10.0.0.3\n").clusterId());
    }

    @Test
    void badLinesAreNamed() {
        assertThatThrownBy(() -> parse("10.0.0.1\n10.0.0.1\n"))
                .hasMessage("nodes:2: duplicate node address 10.0.0.1 (also on line 1)");
        assertThatThrownBy(() -> parse("10.0.0.1\nnode2\n")).hasMessage("nodes:2: \"node2\" is not an IP address");
        assertThatThrownBy(() -> parse("10.0.0.256\n")).hasMessage("nodes:1: \"10.0.0.256\" is not an IP address");
        assertThatThrownBy(() -> parse("10.0.0.1 10.0.0.2\n"))
                .hasMessageContaining("nodes:1: expected one node address");
        assertThatThrownBy(() -> parse("\n#\n")).hasMessageContaining("no nodes are listed");
    }

    @Test
    void ipv6IsPrintedCompressedAsInetNtopDoes() {
        assertThat(IpAddresses.format(IpAddresses.parse("fd00:0:0:0:0:0:0:1").get()))
                .isEqualTo("fd00::1");
        assertThat(IpAddresses.format(IpAddresses.parse("::1").get())).isEqualTo("::1");
        assertThat(IpAddresses.format(IpAddresses.parse("1:0:0:2:0:0:0:3").get()))
                .isEqualTo("1:0:0:2::3");
        assertThat(IpAddresses.format(IpAddresses.parse("1:2:3:4:5:6:7:8").get()))
                .isEqualTo("1:2:3:4:5:6:7:8");
        assertThat(IpAddresses.format(IpAddresses.parse("fe80::").get())).isEqualTo("fe80::");
    }
}

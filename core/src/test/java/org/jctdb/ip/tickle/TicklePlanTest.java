package org.jctdb.ip.tickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TicklePlanTest {
    @Test
    void ticklesGoFromThePublicAddressToTheClient() {
        assertThat(TicklePlan.tickles(List.of(TickleConnection.parse("198.18.9.2:40000 198.18.5.1:445"))))
                .containsExactly("198.18.5.1:445 198.18.9.2:40000");
    }

    @Test
    void releaseResetsBothEndsExceptTheClientEndOfSmb() {
        List<TickleConnection> kernel = List.of(
                TickleConnection.parse("198.18.9.2:40000 198.18.5.1:445"),
                TickleConnection.parse("198.18.9.3:800 198.18.5.1:2049"),
                TickleConnection.parse("198.18.9.3:801 198.18.5.2:2049"));
        assertThat(TicklePlan.releaseKills("198.18.5.1", kernel))
                .containsExactly(
                        "198.18.9.2:40000 198.18.5.1:445",
                        "198.18.9.3:800 198.18.5.1:2049",
                        "198.18.5.1:2049 198.18.9.3:800");
    }

    @Test
    void endpointsParseAsCtdbWritesThem() {
        assertThat(TcpEndpoint.parse("fe80::1:445")).isEqualTo(new TcpEndpoint("fe80::1", 445));
        assertThat(TcpEndpoint.parse("[fe80::1]:445").toString()).isEqualTo("[fe80::1]:445");
        assertThat(TcpEndpoint.parse("10.0.0.1:0")).isEqualTo(new TcpEndpoint("10.0.0.1", 0));
        assertThatThrownBy(() -> TcpEndpoint.parse("10.0.0.1")).hasMessageContaining("IP:PORT");
        assertThatThrownBy(() -> TcpEndpoint.parse("10.0.0.1:70000")).hasMessageContaining("port");
        assertThatThrownBy(() -> TcpEndpoint.parse("10.0.0.1:x")).hasMessageContaining("bad port");
        assertThatThrownBy(() -> TickleConnection.parse("10.0.0.1:1")).hasMessageContaining("expected");
    }
}

package org.jctdb.ip.tickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcNetTcpTest {
    // Lines as Linux 6.x prints them: a listener, an established IPv4 connection, a TIME_WAIT one.
    private static final String TCP =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
                    + "   0: 0105A8C6:01BD 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0\n"
                    + "   1: 0105A8C6:01BD 0209A8C6:9C40 01 00000000:00000000 02:000A1B2B 00000000     0        0 2 1 0 20 4 30 10 -1\n"
                    + "   2: 0105A8C6:0801 0309A8C6:0320 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0\n";
    private static final String TCP6 =
            "  sl  local_address                         remote_address                        st\n"
                    + "   0: 0000000000000000FFFF00000105A8C6:0801 0000000000000000FFFF00000309A8C6:0320 01 0\n"
                    + "   1: 000080FE000000000000000001000000:01BD 000080FE000000000000000002000000:9C41 01 0\n";

    @Test
    void establishedConnectionsWithTheRemoteEndFirst() {
        assertThat(ProcNetTcp.established("/proc/net/tcp", TCP))
                .containsExactly(TickleConnection.parse("198.168.9.2:40000 198.168.5.1:445"));
        assertThat(ProcNetTcp.established("/proc/net/tcp6", TCP6))
                .containsExactly(
                        TickleConnection.parse("198.168.9.3:800 198.168.5.1:2049"),
                        TickleConnection.parse("[fe80::2]:40001 [fe80::1]:445"));
    }

    @Test
    void aBrokenLineIsNamed() {
        assertThatThrownBy(() -> ProcNetTcp.established("/proc/net/tcp", "header\n 0: 0105A8C6 01\n"))
                .hasMessageContaining("/proc/net/tcp line 2");
        assertThatThrownBy(() -> ProcNetTcp.established("/proc/net/tcp", "header\n 0: 0105:01BD 0209A8C6:9C40 01\n"))
                .hasMessageContaining("/proc/net/tcp line 2");
    }
}

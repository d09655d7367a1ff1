package org.jctdb.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusTextTest {
    @Test
    void ownFlagsAndLeaderFromStatus() {
        String jctdb =
                "Number of nodes:3\npnn:0 198.18.7.11      OK\npnn:1 198.18.7.12      UNHEALTHY|DISABLED (THIS NODE)\n"
                        + "pnn:2 198.18.7.13      DISCONNECTED|UNHEALTHY|INACTIVE\nGeneration:1234\nSize:2\nhash:0 lmaster:0\n"
                        + "Recovery mode:NORMAL (0)\nLeader:0\n";
        assertThat(StatusText.status(jctdb)).contains(new StatusText.Self("DISABLED", 0));
        String ctdb = "Number of nodes:2\npnn:0 10.0.0.1 OK (THIS NODE)\npnn:1 10.0.0.2 BANNED|INACTIVE\n"
                + "Recovery mode:RECOVERY (1)\nRecovery master:UNKNOWN\n";
        assertThat(StatusText.status(ctdb)).contains(new StatusText.Self("OK", -1));
        assertThat(StatusText.status("Failed to connect to CTDB daemon (/x/ctdbd.socket)\n"))
                .isEqualTo(Optional.empty());
    }

    @Test
    void ipTableAndHungProbes() {
        assertThat(StatusText.ipTable("|Public IP|Node|\n|198.18.7.101|0|\n|198.18.7.102|-1|\n"))
                .isEqualTo(Map.of("198.18.7.101", 0, "198.18.7.102", -1));
        String health = "Storage health of node 1: UNHEALTHY (probe of /x hung)\n"
                + "State        For   Latency Failures Hung Unkillable  Path\n"
                + "HUNG          12s         -        3    1          1  /mnt/cfs/.ctdb (cluster lock)\n"
                + "        stat hung for 12 s\n"
                + "        unkillable: 4242 D request_wait_answer\n"
                + "OK             0s      2 ms        0    0          0  /mnt/other\n"
                + "Hung storage action: none\n";
        assertThat(StatusText.hungProbes(health)).isEqualTo(1);
        assertThat(StatusText.hungProbes("Storage health of node 0: HEALTHY\nNo paths are probed\n"))
                .isZero();
        assertThat(StatusText.word("UNHEALTHY|INACTIVE")).isEqualTo("UNHEALTHY");
        assertThat(List.of(StatusText.word("PARTIALLYONLINE"))).containsExactly("UNKNOWN");
    }
}

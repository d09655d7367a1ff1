package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jctdb.control.Statistics;
import org.jctdb.protocol.ctdb.CtdbWire;
import org.junit.jupiter.api.Test;

/** The offsets of struct ctdb_statistics (ctdb 4.17, 64-bit Linux) that ctdb's tool reads. */
class StatisticsWireTest {
    @Test
    void fieldsSitWhereCtdbReadsThem() {
        List<Long> hops = new ArrayList<>();
        for (long i = 0; i < 16; i++) {
            hops.add(100 + i);
        }
        Statistics s = new Statistics(
                1_700_000_000_250L,
                1_700_000_100_500L,
                3,
                1,
                1,
                7,
                new Statistics.Client(11, 12, 13, 14, 15),
                new Statistics.Node(21, 22, 23, 24, 25, 26, 27, 28, 29, 30),
                31,
                32,
                33,
                34,
                new Statistics.Locks(41, 42, 43, 44),
                51,
                52,
                53,
                9,
                hops,
                new Statistics.Latency(0.5, 1.0, 2.0, 4),
                new Statistics.Latency(0.25, 0.5, 1.0, 2));
        ByteBuffer b = ByteBuffer.wrap(StatisticsWire.encode(s)).order(CtdbWire.ORDER);
        assertThat(b.capacity()).isEqualTo(StatisticsWire.SIZE);
        assertThat(b.getInt(0)).as("num_clients").isEqualTo(3);
        assertThat(b.getInt(12)).as("client_packets_sent").isEqualTo(11);
        assertThat(b.getInt(24)).as("node_packets_recv").isEqualTo(22);
        assertThat(b.getInt(32)).as("keepalive_packets_recv").isEqualTo(32);
        assertThat(b.getInt(36)).as("node.req_call").isEqualTo(23);
        assertThat(b.getInt(64)).as("node.reply_control").isEqualTo(30);
        assertThat(b.getInt(80)).as("client.req_control").isEqualTo(15);
        assertThat(b.getInt(96)).as("timeouts.traverse").isEqualTo(34);
        assertThat(b.getInt(168)).as("locks.num_calls").isEqualTo(41);
        assertThat(b.getInt(184)).as("locks.latency.num").isEqualTo(2);
        assertThat(b.getDouble(192)).as("locks.latency.min").isEqualTo(0.25);
        assertThat(b.getDouble(208)).as("locks.latency.total").isEqualTo(1.0);
        assertThat(b.getInt(280)).as("total_calls").isEqualTo(51);
        assertThat(b.getInt(296)).as("memory_used").isEqualTo(53);
        assertThat(b.getInt(304)).as("max_hop_count").isEqualTo(9);
        assertThat(b.getInt(308)).as("hop_count_bucket[0]").isEqualTo(100);
        assertThat(b.getInt(368)).as("hop_count_bucket[15]").isEqualTo(115);
        assertThat(b.getInt(376)).as("call_latency.num").isEqualTo(4);
        assertThat(b.getDouble(392)).as("call_latency.max").isEqualTo(2.0);
        assertThat(b.getDouble(400)).as("call_latency.total").isEqualTo(4.0);
        assertThat(b.getInt(440)).as("num_recoveries").isEqualTo(7);
        assertThat(b.getLong(448)).as("statistics_start_time.tv_sec").isEqualTo(1_700_000_000L);
        assertThat(b.getLong(456)).as("statistics_start_time.tv_usec").isEqualTo(250_000L);
        assertThat(b.getLong(464)).as("statistics_current_time.tv_sec").isEqualTo(1_700_000_100L);
        assertThat(b.getInt(480)).as("total_ro_delegations").isZero();
    }
}

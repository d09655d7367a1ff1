package org.jctdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.jctdb.control.Statistics;
import org.junit.jupiter.api.Test;

/** ctdb 4.17's statistics layout; the expected lines are as real ctdb printed them for the same numbers. */
class StatisticsCommandsTest {
    private static final Statistics S = new Statistics(
            0,
            9_000,
            2,
            0,
            0,
            1,
            new Statistics.Client(259, 263, 0, 12, 251),
            new Statistics.Node(503, 54, 0, 0, 0, 0, 0, 8, 231, 251),
            1,
            1,
            0,
            0,
            new Statistics.Locks(0, 0, 0, 0),
            0,
            0,
            80972,
            0,
            Collections.nCopies(16, 0L),
            Statistics.Latency.NONE,
            Statistics.Latency.NONE);

    @Test
    void humanLinesAreCtdbs() {
        List<String> lines = StatisticsCommands.human(S).lines().toList();
        assertThat(lines.get(0)).isEqualTo("CTDB version 1");
        assertThat(lines.get(2)).startsWith("Statistics collected since  : (000 00:00:09) ");
        assertThat(lines.subList(3, 24))
                .containsExactly(
                        " num_clients                        2",
                        " frozen                             0",
                        " recovering                         0",
                        " num_recoveries                     1",
                        " client_packets_sent              259",
                        " client_packets_recv              263",
                        " node_packets_sent                503",
                        " node_packets_recv                 54",
                        " keepalive_packets_sent             1",
                        " keepalive_packets_recv             1",
                        " node",
                        "     req_call                       0",
                        "     reply_call                     0",
                        "     req_dmaster                    0",
                        "     reply_dmaster                  0",
                        "     reply_error                    0",
                        "     req_message                    8",
                        "     req_control                  231",
                        "     reply_control                251",
                        "     req_tunnel                     0",
                        " client");
        assertThat(lines)
                .contains(
                        " pending_childwrite_calls             0",
                        " memory_used                    80972",
                        " hop_count_buckets: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
                        " locks_latency      MIN/AVG/MAX     0.000000/0.000000/0.000000 sec out of 0");
    }

    @Test
    void machineRowsHaveCtdbsColumnsAndATrailingSeparator() {
        List<String> rows = StatisticsCommands.machine(S, "|").lines().toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0))
                .startsWith("CTDB version|Current time of statistics|Statistics collected since|num_clients|frozen|")
                .endsWith("|min_childwrite_latency|avg_childwrite_latency|max_childwrite_latency|");
        assertThat(rows.get(0).split("\\|"))
                .hasSize(rows.get(1).split("\\|").length)
                .hasSize(61);
        assertThat(rows.get(1)).startsWith("1|9|0|2|0|0|1|259|263|503|54|1|1|");
    }

    @Test
    void hopBucketsGrowByPowersOfTwo() {
        assertThat(List.of(0, 1, 2, 3, 4, 1000, 1 << 20).stream().map(Statistics::hopBucket))
                .containsExactly(0, 1, 2, 2, 3, 10, 15);
    }
}

package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * `jctdb statistics` counts what really happened: after statisticsreset, controls sent by Debian's
 * ctdb tool through node 0's CTDB socket and record calls that migrate a record between the nodes
 * show up in node 0's counters, Debian's `ctdb statistics` reads the same counters (the STATISTICS
 * control in ctdb 4.17's struct layout), and its statisticsreset brings them back to zero.
 */
class StatisticsIT {
    @Test
    void countersFollowClientsAndMigrationsAndReset() throws Exception {
        TestEnvironment.require(CtdbTool.missing("ctdb"));
        try (LocalClusterHarness c = LocalClusterHarness.up(2)) {
            assertThat(c.jctdb(0, "statisticsreset").exitCode()).isZero();
            for (int i = 0; i < 5; i++) {
                assertThat(CtdbTool.ctdb(c.nodeDir(0), "getdbmap").exitCode()).isZero();
            }
            assertThat(CtdbTool.ctdb(c.nodeDir(0), "attach", "stats.tdb").exitCode())
                    .isZero();
            for (int i = 0; i < 3; i++) { // each write moves the record to the writing node
                int k = i % 2;
                Result w = c.jctdb(k, "writekey", "stats.tdb", "key", "value" + i);
                assertThat(w.exitCode()).as(w.stderr()).isZero();
            }
            Map<String, Long> s = stats(c.jctdb(0, "-X", "statistics").stdout());
            assertThat(s.get("client.req_control")).as("ctdb getdbmap, attach").isGreaterThanOrEqualTo(10);
            assertThat(s.get("client_packets_recv")).isGreaterThanOrEqualTo(s.get("client.req_control"));
            assertThat(s.get("client_packets_sent")).isGreaterThan(0);
            assertThat(s.get("node_packets_recv")).isGreaterThan(0);
            assertThat(s.get("node.req_dmaster") + s.get("node.reply_dmaster") + s.get("node.req_call"))
                    .as("the record migrated to and from node 0")
                    .isGreaterThan(0);
            assertThat(s.get("memory_used")).isGreaterThan(0);
            Result debian = CtdbTool.ctdb(c.nodeDir(0), "-X", "statistics");
            assertThat(debian.exitCode()).as(debian.stderr()).isZero();
            assertThat(debian.stdout().lines().findFirst())
                    .as("Debian's ctdb reads STATISTICS: the same counters")
                    .isEqualTo(c.jctdb(0, "-X", "statistics").stdout().lines().findFirst());
            Map<String, Long> d = stats(debian.stdout());
            for (String k : List.of("node.req_dmaster", "node.reply_dmaster", "total_calls", "num_recoveries")) {
                assertThat(d.get(k)).as("Debian's ctdb: " + k).isEqualTo(s.get(k));
            }
            assertThat(d.get("client.req_control")).isGreaterThan(s.get("client.req_control"));
            assertThat(d.get("memory_used")).isGreaterThan(0);
            assertThat(CtdbTool.ctdb(c.nodeDir(0), "statisticsreset").exitCode())
                    .as("Debian's ctdb resets through STATISTICS_RESET")
                    .isZero();
            Map<String, Long> after = stats(c.jctdb(0, "-X", "statistics").stdout());
            assertThat(after.get("client.req_control")).isLessThan(s.get("client.req_control"));
            assertThat(after.get("node.reply_dmaster")).isZero();
        }
    }

    private static Map<String, Long> stats(String machine) {
        List<String> rows = machine.lines().toList();
        assertThat(rows).hasSize(2);
        String[] names = rows.get(0).split("\\|");
        String[] values = rows.get(1).split("\\|");
        assertThat(values).hasSameSizeAs(names);
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 3; i < names.length; i++) {
            if (!values[i].contains(".")) {
                out.put(names[i], Long.parseLong(values[i]));
            }
        }
        return out;
    }
}

package org.jctdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: disable, stop, ban, enable, continue, unban and moveip return only once the takeover run
 * they cause has finished, as ctdb 4.17's do: the very next `ip`, on any node, shows the result. Three
 * real daemons on loopback; addresses on "lo" without an interface script (no root needed).
 */
class AdminWaitsForTakeoverIT {
    private static final List<String> IPS = List.of("198.18.204.1", "198.18.204.2", "198.18.204.3");

    @Test
    void flagCommandsReturnAfterTheirTakeoverRunAndTimeOutAsCtdbDoes() throws Exception {
        try (LocalClusterHarness c = LocalClusterHarness.up(3)) {
            for (int k = 0; k < 3; k++) {
                for (String ip : IPS) {
                    assertThat(c.jctdb(k, "addip", ip + "/24", "lo").exitCode()).isZero();
                }
            }
            awaitOnePerNode(c);
            for (String[] pair : new String[][] {{"disable", "enable"}, {"stop", "continue"}, {"ban", "unban"}}) {
                int h = 1;
                long t0 = System.nanoTime();
                Result off = pair[0].equals("ban") ? c.jctdb(h, "ban", "60") : c.jctdb(h, pair[0]);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(off.exitCode()).as(off.stderr()).isZero();
                // The very next ip, on every node, shows no address on h.
                for (int k = 0; k < 3; k++) {
                    assertThat(c.jctdb(k, "-X", "ip", "all").stdout())
                            .as("%s on node %d, then ip on node %d", pair[0], h, k)
                            .doesNotContain("|" + h + "|\n")
                            .doesNotContain("|-1|\n");
                }
                String plain = c.jctdb(h, "ip").stdout();
                assertThat(plain.lines().skip(1)).hasSize(3).noneMatch(l -> l.endsWith(" " + h));
                System.out.printf("%s returned after %d ms, its takeover run done%n", pair[0], ms);
                t0 = System.nanoTime();
                Result on = c.jctdb(h, pair[1]);
                ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(on.exitCode()).as(on.stderr()).isZero();
                for (int k = 0; k < 3; k++) {
                    assertThat(c.flag(k, h, "Disabled") + c.flag(k, h, "Stopped") + c.flag(k, h, "Banned"))
                            .isEqualTo("000");
                }
                System.out.printf("%s returned after %d ms%n", pair[1], ms);
                awaitOnePerNode(c);
            }

            // moveip: the next ip everywhere shows the address where it was asked to go.
            String ip = IPS.get(0);
            int to = (c.publicIps(0).get(ip) + 1) % 3;
            Result move = c.jctdb(2, "moveip", ip, String.valueOf(to));
            assertThat(move.exitCode()).as(move.stderr()).isZero();
            for (int k = 0; k < 3; k++) {
                assertThat(c.publicIps(k)).containsEntry(ip, to);
            }

            // A run that cannot be seen through everywhere (a node stopped by SIGSTOP, still connected):
            // ctdb asks again until its maximum run time, then says so and exits 1.
            int leader = Integer.parseInt(c.query(0, "leader").stdout().strip());
            int stopped = (leader + 1) % 3;
            int h = (leader + 2) % 3;
            LocalClusterHarness.signal(c.pid(stopped), "STOP");
            try {
                long t0 = System.nanoTime();
                Result r = c.jctdb(h, "-T", "4", "disable");
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(r.exitCode()).isEqualTo(1);
                assertThat(r.stderr()).isEqualTo("Maximum runtime exceeded - exiting\n");
                assertThat(ms).isBetween(3_000L, 6_000L);
                System.out.printf(
                        "disable with a stopped node: %s after %d ms%n",
                        r.stderr().strip(), ms);
            } finally {
                LocalClusterHarness.signal(c.pid(stopped), "CONT");
            }
            assertThat(c.flag(leader, h, "Disabled")).isEqualTo("1");
        }
    }

    /** Every address on exactly one node, one per node, the same in every node's view. */
    private static void awaitOnePerNode(LocalClusterHarness c) {
        await().atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Map<String, Integer> first = c.publicIps(0);
                    if (first.size() != 3
                            || first.containsValue(-1)
                            || first.values().stream().distinct().count() != 3) {
                        return false;
                    }
                    return first.equals(c.publicIps(1)) && first.equals(c.publicIps(2));
                });
    }
}

package org.jctdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.junit.jupiter.api.Test;

/**
 * The IP and node administration commands against three real daemons on loopback. Addresses
 * are added with addip on "lo"; no interface script is installed, so takeip and releaseip
 * change nothing on the host and no root is needed.
 */
class IpCommandsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static final String X = "198.18.77.101";
    static final String Y = "198.18.77.102";

    /** ip to node from `jctdb -X ip all` on node {@code k}. */
    static Map<String, Integer> where(LocalClusterHarness c, int k) throws Exception {
        return c.publicIps(k);
    }

    @Test
    void ipAndAdminCommands() throws Exception {
        try (LocalClusterHarness c = LocalClusterHarness.up(3)) {
            // No node lists an address yet: the nodes report every 5 s instead of every 250 ms
            // (JctdbIPIdleReportMs), and go back to 250 ms as soon as one lists an address.
            for (int k = 0; k < 3; k++) {
                int node = k;
                await().atMost(WAIT).until(() -> c.log(node).contains("no node lists a public address"));
            }
            for (int k = 0; k < 3; k++) {
                assertThat(c.jctdb(k, "addip", X + "/24", "lo").exitCode()).isZero();
                assertThat(c.jctdb(k, "addip", Y + "/24", "lo").exitCode()).isZero();
            }
            Result dup = c.jctdb(0, "addip", X + "/24", "lo");
            assertThat(dup.exitCode()).isEqualTo(1);
            assertThat(dup.stderr()).contains("Node already knows about IP " + X);

            await().atMost(WAIT).until(() -> {
                Map<String, Integer> w = where(c, 0);
                return w.size() == 2
                        && w.get(X) >= 0
                        && w.get(Y) >= 0
                        && !w.get(X).equals(w.get(Y));
            });
            int xNode = where(c, 0).get(X);
            for (int k = 0; k < 3; k++) {
                int node = k;
                await().atMost(WAIT)
                        .until(() -> c.log(node)
                                .contains("a node lists public addresses: reporting to the leader every 250 ms again"));
            }

            Result ip = c.jctdb(xNode, "ip");
            assertThat(ip.stdout())
                    .startsWith("Public IPs on node " + xNode + "\n")
                    .contains(X + " " + xNode + "\n");
            assertThat(c.jctdb(xNode, "-X", "ip").stdout())
                    .startsWith("|Public IP|Node|\n")
                    .contains("|" + X + "|" + xNode + "|\n");
            assertThat(c.jctdb(xNode, "ip", "-v").stdout())
                    .contains(X + " node[" + xNode + "] active[lo] available[lo] configured[lo]\n");
            assertThat(c.jctdb(xNode, "-X", "ip", "-v").stdout())
                    .startsWith("|Public IP|Node|ActiveInterfaces|AvailableInterfaces|ConfiguredInterfaces|\n")
                    .contains("|" + X + "|" + xNode + "|lo|lo|lo|\n");
            assertThat(c.jctdb(xNode, "ipinfo", X).stdout())
                    .isEqualTo("Public IP[" + X + "] info on node " + xNode + "\nIP:" + X + "\nCurrentNode:" + xNode
                            + "\nNumInterfaces:1\nInterface[1]: Name:lo Link:up References:1 (active)\n");
            assertThat(c.jctdb(xNode, "ifaces").stdout())
                    .isEqualTo("Interfaces on node " + xNode + "\nname:lo link:up references:1\n");
            assertThat(c.jctdb(xNode, "-X", "ifaces").stdout()).isEqualTo("|Name|LinkStatus|References|\n|lo|1|1|\n");
            assertThat(c.jctdb(xNode, "--json", "ip").stdout()).contains("\"ip\" : \"" + X + "\"");
            Result unknown = c.jctdb(0, "ipinfo", "198.18.77.99");
            assertThat(unknown.exitCode()).isEqualTo(1);

            // disable moves the address away; enable lets it back in
            assertThat(c.jctdb(xNode, "disable").exitCode()).isZero();
            assertThat(c.jctdb(xNode, "disable").stderr()).contains("Node " + xNode + " is already disabled");
            await().atMost(WAIT).until(() -> {
                int at = where(c, 0).getOrDefault(X, -1);
                return at != xNode && at >= 0;
            });
            assertThat(c.flag(0, xNode, "Disabled")).isEqualTo("1");
            assertThat(c.jctdb(xNode, "enable").exitCode()).isZero();

            // moveip puts it on the node asked for
            int target = (xNode + 1) % 3;
            await().atMost(WAIT)
                    .until(() -> c.jctdb(0, "moveip", X, String.valueOf(target)).exitCode() == 0);
            assertThat(where(c, 0).get(X)).isEqualTo(target);
            assertThat(c.jctdb(0, "ipreallocate").exitCode()).isZero();

            // ban: no addresses while banned
            assertThat(c.jctdb(target, "ban", "60").exitCode()).isZero();
            await().atMost(WAIT).until(() -> {
                int at = where(c, 0).getOrDefault(X, -1);
                return at != target && at >= 0;
            });
            assertThat(c.flag(0, target, "Banned")).isEqualTo("1");
            assertThat(c.jctdb(target, "unban").exitCode()).isZero();
            await().atMost(WAIT).until(() -> "0".equals(c.flag(0, target, "Banned")));

            // stop / continue
            assertThat(c.jctdb(2, "stop").exitCode()).isZero();
            await().atMost(WAIT).until(() -> "1".equals(c.flag(0, 2, "Stopped")));
            assertThat(c.jctdb(2, "continue").exitCode()).isZero();
            await().atMost(WAIT).until(() -> "0".equals(c.flag(0, 2, "Stopped")));

            // delip everywhere: the address disappears from the cluster
            for (int k = 0; k < 3; k++) {
                assertThat(c.jctdb(k, "delip", Y).exitCode()).isZero();
            }
            // One snapshot per poll: between two calls the address may disappear.
            await().atMost(WAIT).until(() -> where(c, 0).getOrDefault(Y, -1) == -1);
            assertThat(c.jctdb(0, "delip", Y).stderr()).contains("does not know about IP " + Y);
        }
    }
}

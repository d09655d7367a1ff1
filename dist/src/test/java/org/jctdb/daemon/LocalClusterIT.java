package org.jctdb.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Three real daemons on loopback, driven through local-cluster and jctdb. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterIT {
    private static LocalClusterHarness cluster;

    @BeforeAll
    static void up() throws Exception {
        // Small keepalive tunables so a paused node is noticed quickly: 1 s x 2.
        cluster = LocalClusterHarness.up(3, "KeepaliveInterval=1", "KeepaliveLimit=2");
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * The build dumps the daemon's class-data-sharing archive (dist/jctdbd-cds, as root) and bin/jctdbd
     * maps it; the JVM ignores an archive that does not match silently, which only shows as memory.
     */
    @Test
    @Order(0)
    void everyDaemonMapsTheDaemonArchive() throws Exception {
        TestEnvironment.require(
                "root".equals(System.getProperty("user.name")), "the build dumps the daemon's archive as root only");
        Path archive = LocalClusterHarness.home().resolve("target/jctdbd.jsa");
        assertThat(archive)
                .as("dumped at package time (dist/target/jctdbd-cds.log says why not)")
                .exists();
        for (int k = 0; k < 3; k++) {
            assertThat(Files.readString(Path.of("/proc/" + cluster.pid(k) + "/maps")))
                    .as("node %d's mappings", k)
                    .contains(archive.toRealPath().toString());
        }
    }

    @Test
    @Order(1)
    void statusLooksLikeCtdbs() throws Exception {
        Result status = cluster.jctdb(1, "status");
        assertThat(status.exitCode()).isZero();
        assertThat(status.stdout())
                .startsWith("Number of nodes:3\npnn:0 " + String.format("%-16s", cluster.address(0)) + " OK\n")
                .contains("pnn:1 " + String.format("%-16s", cluster.address(1)) + " OK (THIS NODE)\n");
        Result x = cluster.jctdb(0, "-X", "status");
        assertThat(x.stdout())
                .isEqualTo(
                        "|Node|IP|Disconnected|Unknown|Banned|Disabled|Unhealthy|Stopped|Inactive|PartiallyOnline|ThisNode|\n"
                                + "|0|" + cluster.address(0) + "|0|0|0|0|0|0|0|0|Y|\n"
                                + "|1|" + cluster.address(1) + "|0|0|0|0|0|0|0|0|N|\n"
                                + "|2|" + cluster.address(2) + "|0|0|0|0|0|0|0|0|N|\n");
        assertThat(cluster.jctdb(2, "pnn").stdout()).isEqualTo("2\n");
        assertThat(cluster.jctdb(0, "-n", "2", "pnn").stdout()).isEqualTo("2\n");
        assertThat(cluster.jctdb(0, "-n", "all", "pnn").stdout()).isEqualTo("0\n1\n2\n");
        assertThat(cluster.jctdb(0, "getvar", "KeepaliveInterval").stdout())
                .isEqualTo("KeepaliveInterval          = 1\n");
        assertThat(cluster.jctdb(0, "listnodes").stdout())
                .isEqualTo(cluster.address(0) + "\n" + cluster.address(1) + "\n" + cluster.address(2) + "\n");
        assertThat(cluster.jctdb(0, "getreclock").stdout().strip()).endsWith("shared/.ctdb/cluster.lock");
        assertThat(cluster.jctdb(0, "getpid").stdout().strip()).isEqualTo(String.valueOf(cluster.pid(0)));
        Result bad = cluster.jctdb(0, "getvar", "NoSuchThing");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stdout()).isEqualTo("No such tunable NoSuchThing\n");
    }

    @Test
    @Order(2)
    void killNineIsSeenWithinOneSecondAndRestartRejoins() throws Exception {
        long pid = cluster.pid(2);
        long start = System.nanoTime();
        LocalClusterHarness.signal(pid, "KILL");
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> "1".equals(cluster.flag(0, 2, "Disconnected"))
                        && "1".equals(cluster.flag(1, 2, "Disconnected")));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(ms).isLessThan(1000);
        Result nodestatus = cluster.jctdb(0, "nodestatus", "2");
        assertThat(nodestatus.exitCode()).isEqualTo(0x03); // DISCONNECTED and UNHEALTHY, as ctdb 4.17 exits
        assertThat(nodestatus.stdout()).contains("DISCONNECTED|UNHEALTHY|INACTIVE");
        Result restart = cluster.startNode(2);
        assertThat(restart.exitCode()).as(restart.stderr()).isZero();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> "0".equals(cluster.flag(0, 2, "Disconnected"))
                        && "0".equals(cluster.flag(2, 0, "Disconnected")));
    }

    @Test
    @Order(3)
    void pausedNodeIsDisconnectedWithinKeepaliveBoundAndComesBack() throws Exception {
        long pid = cluster.pid(1);
        long start = System.nanoTime();
        LocalClusterHarness.signal(pid, "STOP");
        try {
            // KeepaliveInterval x (KeepaliveLimit + 1) = 3 s.
            await().atMost(Duration.ofSeconds(3))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> "1".equals(cluster.flag(0, 1, "Disconnected"))
                            && "1".equals(cluster.flag(2, 1, "Disconnected")));
            // Silence is counted from the last frame heard, which was at most one interval before the pause.
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(900);
        } finally {
            LocalClusterHarness.signal(pid, "CONT");
        }
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> "0".equals(cluster.flag(0, 1, "Disconnected"))
                        && "0".equals(cluster.flag(2, 1, "Disconnected")));
    }

    @Test
    @Order(4)
    void garbageOversizedAndStrangersAreDroppedAndNothingElseBreaks() throws Exception {
        InetAddress node0 = InetAddress.getByName(cluster.address(0));
        // A peer at a node's address that sends garbage, then one that announces a 2 GiB frame.
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(cluster.address(2)), 0));
            s.connect(new InetSocketAddress(node0, cluster.port), 2000);
            byte[] junk = "this is not json".getBytes(StandardCharsets.UTF_8);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(junk.length);
            out.write(junk);
            out.flush();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(cluster.address(1)), 0));
            s.connect(new InetSocketAddress(node0, cluster.port), 2000);
            new DataOutputStream(s.getOutputStream()).writeInt(Integer.MAX_VALUE);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(cluster.address(9)), 0));
            s.connect(new InetSocketAddress(node0, cluster.port), 2000);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(cluster.log(0))
                        // Before the cluster key is proved nothing is decoded: garbage is "data before authenticating".
                        .contains("refused connection from " + cluster.address(2) + ": sent data before authenticating")
                        .contains("refused connection from " + cluster.address(1) + ": sent an oversized frame")
                        .contains("refused connection from " + cluster.address(9)));
        for (int k = 0; k < 3; k++) {
            assertThat(cluster.jctdb(k, "-X", "status").stdout()).doesNotContain("|1|0|0|0|0|0|1|");
        }
    }

    @Test
    @Order(5)
    void noDaemonAndBadConfigGiveClearErrors() throws Exception {
        Path empty = Files.createTempDirectory("jctdb-none");
        Result none = LocalClusterHarness.run(empty, "status");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.stderr())
                .isEqualTo("Failed to connect to JCTDB daemon (" + empty.resolve("run/jctdbd.socket") + ")\n");
        Files.writeString(empty.resolve("nodes"), "127.0.0.1\n");
        Files.writeString(empty.resolve("ctdb.conf"), "[cluster]\n\tleader timeout = never\n");
        Result bad = LocalClusterHarness.exec(
                empty, LocalClusterHarness.home().resolve("bin/jctdbd").toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).contains(empty.resolve("ctdb.conf") + ":2: \"leader timeout\" must be a whole number");
        Result validate = LocalClusterHarness.run(empty, "config", "validate");
        assertThat(validate.exitCode()).isEqualTo(1);
        assertThat(validate.stderr()).contains("ctdb.conf:2:");
    }

    @Test
    @Order(6)
    void shutdownStopsTheDaemon() throws Exception {
        long pid = cluster.pid(2);
        assertThat(cluster.jctdb(0, "-n", "2", "shutdown").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).isEmpty());
        await().atMost(Duration.ofSeconds(2)).until(() -> "1".equals(cluster.flag(0, 2, "Disconnected")));
    }
}

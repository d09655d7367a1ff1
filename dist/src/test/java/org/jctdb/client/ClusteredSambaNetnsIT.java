package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jctdb.lab.AddressWatch;
import org.jctdb.lab.NetnsCluster;
import org.jctdb.testing.FailoverScenario;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Clustered Samba on real network stacks (root): three jctdbd nodes in the lab's network namespaces
 * (with three public addresses), each running Debian's smbd with clustering = yes on its node, listening
 * on every interface of its namespace and exporting one shared directory; the clients (python3-impacket,
 * smbtorture) run in the client's namespace. A deny-write open through node 0 blocks a write open through
 * node 1 until it closes; smbtorture's smb2.deny.deny2 and smb2.lock pass with --unclist naming nodes 0
 * and 1; a client reading a file through node 0's public address reconnects through the same address
 * after node 0's jctdbd and smbd are killed with kill -9 (the address moves to another node) and reads
 * the file unchanged, and a write open then succeeds: the dead node's deny-write open blocks nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusteredSambaNetnsIT {
    private static NetnsCluster cluster;
    private static AddressWatch watch;
    private static SambaNodes samba;

    @BeforeAll
    static void up() throws Exception {
        TestEnvironment.require(SambaNodes.missing());
        TestEnvironment.require(CtdbTool.missing("smbtorture", "ss"));
        TestEnvironment.require(NetnsCluster.unavailableReason());
        cluster = NetnsCluster.create(3, 3, Map.of());
        watch = AddressWatch.start(cluster.nodeNamespaces(), Set.copyOf(cluster.publicIps()));
        cluster.startAll();
        assertThat(new FailoverScenario(cluster, watch, null).waitSettled(60_000))
                .as("every public address hosted once: %s", watch.now())
                .isTrue();
        samba = new SambaNodes(cluster.dir.resolve("samba"), 445, cluster.clientNs());
        for (int k = 0; k < cluster.nodes; k++) {
            samba.startInNamespace(k, cluster.nodeNs(k), CtdbTool.socket(cluster.nodeDir(k)));
        }
    }

    @AfterAll
    static void down() throws Exception {
        if (samba != null) {
            samba.close();
        }
        if (watch != null) {
            watch.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aDenyWriteOpenOnNode0BlocksAWriteOpenOnNode1UntilItCloses() throws Exception {
        Files.writeString(samba.share().resolve("deny.txt"), "shared file\n");
        try (SambaNodes.Holder h = samba.hold(cluster.nodeAddress(0), "deny.txt")) {
            assertThat(samba.tryWrite(cluster.nodeAddress(1), "deny.txt")).isEqualTo("SHARING_VIOLATION");
            assertThat(samba.tryWrite(cluster.nodeAddress(2), "deny.txt")).isEqualTo("SHARING_VIOLATION");
        }
        assertThat(samba.tryWrite(cluster.nodeAddress(1), "deny.txt")).isEqualTo("OK");
    }

    @Test
    @Order(2)
    void smbtortureDenyAndLockAcrossTwoNodes() throws Exception {
        List<String> uncs = List.of("//" + cluster.nodeAddress(0) + "/share", "//" + cluster.nodeAddress(1) + "/share");
        for (String test : List.of("smb2.deny.deny2", "smb2.lock")) {
            long t0 = System.nanoTime();
            Result r = samba.smbtorture(uncs, test, 300);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.printf("smbtorture %s on JCTDB in namespaces: exit %d in %d ms%n", test, r.exitCode(), ms);
            assertThat(r.exitCode())
                    .as("smbtorture %s:%n%s%n%s", test, r.stdout(), r.stderr())
                    .isZero();
            assertThat(r.stdout()).contains("success: ").doesNotContain("failure: ");
        }
    }

    @Test
    @Order(3)
    void aClientOfNode0sPublicAddressReadsItsFileAgainAfterNode0IsKilled() throws Exception {
        String ns0 = cluster.nodeNs(0);
        String address = watch.now().entrySet().stream()
                .filter(e -> e.getValue().equals(Set.of(ns0)))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new AssertionError("node 0 hosts no public address: " + watch.now()));
        String content = "kept across the failover of " + address + "\n";
        Files.writeString(samba.share().resolve("kept.txt"), content);
        String hex = HexFormat.of().formatHex(content.getBytes(StandardCharsets.UTF_8));
        try (SambaNodes.Follower f = samba.follow(address, "kept.txt")) {
            assertThat(f.firstRead()).isEqualTo(hex);
            cluster.signal(0, "KILL");
            samba.kill(0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!movedOff(address, ns0)) {
                assertThat(System.nanoTime())
                        .as("%s moved off node 0 within 30 s: %s", address, watch.now())
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
            String[] again = f.reconnect();
            System.out.printf("reconnected to %s after %s attempts; now on %s%n", address, again[1], watch.now());
            assertThat(again[0]).isEqualTo(hex);
            assertThat(f.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(f.process().exitValue()).isZero();
        }
        // Neither the dead node's deny-write open nor the follower's closed one blocks a writer now.
        assertThat(samba.tryWrite(address, "kept.txt")).isEqualTo("OK");
        assertThat(samba.tryWrite(cluster.nodeAddress(1), "kept.txt")).isEqualTo("OK");
        assertThat(Files.readString(samba.share().resolve("kept.txt"))).isEqualTo(content);
    }

    private static boolean movedOff(String address, String ns0) {
        Set<String> where = watch.now().getOrDefault(address, Set.of());
        return where.size() == 1 && !where.contains(ns0);
    }
}

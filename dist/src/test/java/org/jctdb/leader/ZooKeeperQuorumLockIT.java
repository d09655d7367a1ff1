package org.jctdb.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jctdb.lab.LocalLockServer;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The cluster lock on a three-member ZooKeeper (session 10 s, the default: with the 5 s of
 * `jctdb local-cluster up --cluster-lock zookeeper` the leader stepped down once in CI, the quorum taking
 * longer than the 2 s left of its lease to elect a new leader under load): kill -9 of the member that leads the ZooKeeper quorum (the
 * worst single loss: the other two must elect a new quorum leader while every session lives on)
 * changes neither the cluster's leader, nor its generation, nor the holder of the lock node.
 */
class ZooKeeperQuorumLockIT {
    private static final Pattern PORT = Pattern.compile("zookeeper:([0-9.:,]+)/");

    @Test
    void losingTheQuorumLeaderKeepsTheLockLeaderAndGeneration() throws Exception {
        TestEnvironment.require(LocalLockServer.missing(LocalLockServer.Kind.ZOOKEEPER));
        long start = System.nanoTime();
        Path zkDir = Files.createTempDirectory("jctdb-zk3-");
        LocalLockServer zk = LocalLockServer.start(LocalLockServer.Kind.ZOOKEEPER, zkDir, "127.0.0.1", 3, 60_000);
        try (LocalClusterHarness c = LocalClusterHarness.up(
                        3, List.of("--cluster-lock", zk.clusterLock(LeasedLockStorageIT.LEASE_SECONDS)));
                LeasedLockLeaderIT.Service s = new LeasedLockLeaderIT.Service(c, LocalLockServer.Kind.ZOOKEEPER)) {
            Set<Integer> all = Set.of(0, 1, 2);
            LeasedLockStorageIT.Settled settled = LeasedLockStorageIT.settled(c, s, all);
            int leader = settled.leader();
            long generation = settled.generation();
            long holder = settled.holder();

            String conf = Files.readString(c.nodeDir(0).resolve("ctdb.conf"));
            Matcher m = PORT.matcher(conf);
            assertThat(m.find()).as("cluster lock in %s", conf).isTrue();
            String[] endpoints = m.group(1).split(",");
            assertThat(endpoints).hasSize(3);
            int quorumLeader = -1;
            for (int i = 0; i < 3; i++) {
                if (mode(endpoints[i]).equals("leader")) {
                    quorumLeader = i;
                }
            }
            assertThat(quorumLeader).as("one member leads the ZooKeeper quorum").isNotNegative();
            System.out.printf(
                    "lock taken %d ms into the test; kill -9 of ZooKeeper member %d (quorum leader, pid %s)%n",
                    (System.nanoTime() - start) / 1_000_000, quorumLeader, zk.pid(quorumLeader));
            LocalLockServer.signal(zk.pid(quorumLeader), "KILL");

            // Longer than the session: the others elect a new quorum leader and every session survives.
            LeasedLockStorageIT.unchangedFor(
                    c, s, all, leader, generation, holder, Duration.ofSeconds(LeasedLockStorageIT.LEASE_SECONDS + 1));
            int survivor = (quorumLeader + 1) % 3;
            assertThat(mode(endpoints[survivor])).isIn("leader", "follower");
            assertThat(c.log(leader)).doesNotContain("stepping down");
            System.out.printf(
                    "ZooKeeper member %d killed: leader %d and generation %d unchanged at every poll for 11 s, the lock"
                            + " node's holder at every poll ZooKeeper answered (%d ms into the test)%n",
                    quorumLeader, leader, generation, (System.nanoTime() - start) / 1_000_000);
        } finally {
            LocalLockServer.stop(zkDir);
        }
    }

    /** A member's {@code srvr} mode (leader, follower, standalone), or "" when it does not serve. */
    private static String mode(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        try (Socket sock = new Socket()) {
            sock.connect(
                    new InetSocketAddress(
                            endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1))),
                    1000);
            sock.setSoTimeout(2000);
            OutputStream out = sock.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = sock.getInputStream();
            Matcher m = Pattern.compile("Mode: (\\w+)").matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return m.find() ? m.group(1) : "";
        } catch (Exception e) {
            return "";
        }
    }
}

package org.jctdb.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.jctdb.lab.LocalLockServer;
import org.jctdb.lock.LockSpec;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Leaders of a real 3-node cluster with the cluster lock on a real etcd / ZooKeeper server that
 * `jctdb local-cluster up --cluster-lock etcd|zookeeper` starts (lease 5 s). Who holds the lock is
 * read from the service, not from the daemons.
 */
public class LeasedLockLeaderIT {
    private static final Pattern HOLDER = Pattern.compile("jctdbd pid (\\d+) on ");

    /** Reads the holder's daemon PID from the service. */
    public static final class Service implements AutoCloseable {
        final LocalClusterHarness c;
        final LockSpec spec;
        final Path dir;
        private Client etcd;
        private CuratorFramework zk;

        public Service(LocalClusterHarness c, LocalLockServer.Kind kind) throws Exception {
            this.c = c;
            String conf = Files.readString(c.nodeDir(0).resolve("ctdb.conf"));
            Matcher m = Pattern.compile("cluster lock = (\\S+)").matcher(conf);
            assertThat(m.find()).isTrue();
            spec = LockSpec.parse(m.group(1)).orElseThrow();
            dir = c.dir.resolve(kind.word);
            if (spec instanceof LockSpec.Etcd e) {
                etcd = Client.builder()
                        .endpoints("http://" + e.endpoints().get(0))
                        .build();
            } else {
                zk = CuratorFrameworkFactory.newClient(
                        ((LockSpec.ZooKeeper) spec).connectString(), 10_000, 3_000, new RetryNTimes(1, 100));
                zk.start();
            }
        }

        public long serverPid() throws Exception {
            return Long.parseLong(Files.readString(dir.resolve("server.pid")).strip());
        }

        /** The holder's daemon PID, 0 for none, -1 when the service does not answer. */
        public long holderPid() {
            try {
                String data;
                if (etcd != null) {
                    GetResponse r = etcd.getKVClient()
                            .get(ByteSequence.from(((LockSpec.Etcd) spec).key(), StandardCharsets.UTF_8))
                            .get(2, TimeUnit.SECONDS);
                    if (r.getKvs().isEmpty()) {
                        return 0;
                    }
                    data = r.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8);
                } else {
                    String path = ((LockSpec.ZooKeeper) spec).path();
                    if (zk.checkExists().forPath(path) == null) {
                        return 0;
                    }
                    List<String> kids = zk.getChildren().forPath(path);
                    if (kids.isEmpty()) {
                        return 0;
                    }
                    String first = kids.stream()
                            .min(Comparator.comparing(k -> k.substring(k.length() - 10)))
                            .orElseThrow();
                    data = new String(zk.getData().forPath(path + "/" + first), StandardCharsets.UTF_8);
                }
                Matcher m = HOLDER.matcher(data);
                return m.find() ? Long.parseLong(m.group(1)) : -1;
            } catch (Exception e) {
                return -1;
            }
        }

        /** The node every live node names as leader, if that node's daemon holds the lock in the service; else -1. */
        public int leaderHoldingLock(Set<Integer> alive) throws Exception {
            int leader = LeaderIT.agreedLeader(c, alive);
            if (leader < 0) {
                return -1;
            }
            return holderPid() == c.pid(leader) ? leader : -1;
        }

        @Override
        public void close() {
            if (etcd != null) {
                etcd.close();
            }
            if (zk != null) {
                zk.close();
            }
        }
    }

    private static LocalClusterHarness up(LocalLockServer.Kind kind) throws Exception {
        TestEnvironment.require(LocalLockServer.missing(kind));
        return LocalClusterHarness.up(3, List.of("--cluster-lock", kind.word));
    }

    static long generation(LocalClusterHarness c, int pnn) {
        try {
            for (String line : c.query(pnn, "status").stdout().split("\n")) {
                if (line.startsWith("Generation:") && !line.endsWith("INVALID")) {
                    return Long.parseLong(line.substring("Generation:".length()));
                }
            }
        } catch (Exception e) {
            // not answering
        }
        return -1;
    }

    @ParameterizedTest
    @EnumSource(LocalLockServer.Kind.class)
    void oneHolderAtATimeAndAKilledLeaderIsReplacedWithinLeasePlusElection(LocalLockServer.Kind kind) throws Exception {
        try (LocalClusterHarness c = up(kind);
                Service s = new Service(c, kind)) {
            Set<Integer> alive = new TreeSet<>(Set.of(0, 1, 2));
            await().atMost(Duration.ofSeconds(30)).until(() -> s.leaderHoldingLock(alive) >= 0);
            int first = s.leaderHoldingLock(alive);
            long gen = generation(c, first);
            assertThat(Generation.tokenOf(gen))
                    .as("generation %d carries the fencing token", gen)
                    .isPositive();
            // one holder at a time: for 3 s, no node but the holder believes it leads
            for (int i = 0; i < 30; i++) {
                assertThat(s.leaderHoldingLock(alive)).isEqualTo(first);
                Thread.sleep(100);
            }
            LocalClusterHarness.signal(c.pid(first), "KILL");
            long t0 = System.nanoTime();
            alive.remove(first);
            // lease (5 s) + election (contention retries every 1-1.5 s) + 3 s of slack for this shared machine
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        int l = s.leaderHoldingLock(alive);
                        return l >= 0 && l != first;
                    });
            System.out.printf(
                    "%s: leader failover after kill -9: %d ms%n", kind.word, (System.nanoTime() - t0) / 1_000_000);
            int second = s.leaderHoldingLock(alive);
            // status shows the generation once the new leader's recovery (databases included) has applied it
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(Generation.tokenOf(generation(c, second)))
                            .isGreaterThan(Generation.tokenOf(gen)));
        }
    }

    @ParameterizedTest
    @EnumSource(LocalLockServer.Kind.class)
    void aLeaderPausedPastItsLeaseIsReplacedAndOnResumeStepsDownAndIsRefusedByEveryNode(LocalLockServer.Kind kind)
            throws Exception {
        try (LocalClusterHarness c = up(kind);
                Service s = new Service(c, kind)) {
            Set<Integer> all = Set.of(0, 1, 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> s.leaderHoldingLock(all) >= 0);
            int old = s.leaderHoldingLock(all);
            long oldGen = generation(c, old);
            Set<Integer> others = new TreeSet<>(all);
            others.remove(old);
            LocalClusterHarness.signal(c.pid(old), "STOP");
            try {
                await().atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            int l = s.leaderHoldingLock(others);
                            return l >= 0 && l != old;
                        });
                Thread.sleep(1_000);
            } finally {
                LocalClusterHarness.signal(c.pid(old), "CONT");
            }
            int now = s.leaderHoldingLock(others);
            // its recovery completes once the resumed node answers (it was still connected)
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> Generation.tokenOf(generation(c, now)) > Generation.tokenOf(oldGen));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(c.log(old)).contains("cluster lock lease not confirmed"));
            for (int k : others) {
                await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThat(c.log(k))
                                .containsPattern("refusing \\w+ from node " + old + ": generation " + oldGen
                                        + " is older than"));
            }
            // and the cluster stays with the new leader, the old one following it
            for (int i = 0; i < 20; i++) {
                assertThat(LeaderIT.agreedLeader(c, all)).isIn(now, -1);
                Thread.sleep(100);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> s.leaderHoldingLock(all) == now);
        }
    }

    @ParameterizedTest
    @EnumSource(LocalLockServer.Kind.class)
    void thePausedServiceMakesTheLeaderStepDownWithinTheLeaseAndALeaderReturnsAfterTheResume(LocalLockServer.Kind kind)
            throws Exception {
        try (LocalClusterHarness c = up(kind);
                Service s = new Service(c, kind)) {
            Set<Integer> all = Set.of(0, 1, 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> s.leaderHoldingLock(all) >= 0);
            int old = s.leaderHoldingLock(all);
            long server = s.serverPid();
            LocalLockServer.signal(server, "STOP");
            long t0 = System.nanoTime();
            try {
                await().atMost(Duration.ofSeconds(6))
                        .pollInterval(Duration.ofMillis(100))
                        .untilAsserted(() -> assertThat(c.log(old)).containsPattern("stepping down as leader"));
                System.out.printf(
                        "%s: leader stepped down %d ms after the service was paused%n",
                        kind.word, (System.nanoTime() - t0) / 1_000_000);
                // What a user sees on the old leader, through bin/jctdb: which lock, since when, what was done.
                LocalClusterHarness.Result status = c.jctdb(old, "status");
                assertThat(status.exitCode()).isZero();
                assertThat(status.stdout())
                        .containsPattern(
                                "Cluster lock " + Pattern.quote(kind.word + ":") + "\\S+: lost \\(LOST\\) since"
                                        + " \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\(\\d+s\\): this node stepped down as leader of"
                                        + " generation \\d+; until a node takes the lock there is no leader, so every node"
                                        + " releases its public addresses");
                LocalClusterHarness.Result health = c.jctdb(old, "health");
                assertThat(health.stdout())
                        .contains("Cluster lock " + kind.word + ":")
                        .contains("stepped down");
                JsonNode lock = new ObjectMapper()
                        .readTree(c.jctdb(old, "--json", "health").stdout())
                        .path("cluster_lock");
                assertThat(lock.path("ok").asBoolean(true)).isFalse();
                assertThat(lock.path("state").asText()).isEqualTo("LOST");
                assertThat(lock.path("since").asText()).isNotEmpty();
                assertThat(c.log(old)).contains("cluster lock lost").contains("public addresses are released");
                Thread.sleep(3_000);
                for (int k : all) {
                    assertThat(c.query(k, "leader").stdout().strip())
                            .as("node %d: nobody leads without the service", k)
                            .isNotEqualTo(String.valueOf(k));
                }
            } finally {
                LocalLockServer.signal(server, "CONT");
            }
            long t1 = System.nanoTime();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> s.leaderHoldingLock(all) >= 0);
            System.out.printf(
                    "%s: a leader again %d ms after the service resumed%n",
                    kind.word, (System.nanoTime() - t1) / 1_000_000);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(c.jctdb(old, "status").stdout())
                            .as("the trouble line goes once a node holds the lock again")
                            .doesNotContain("Cluster lock "));
        }
    }
}

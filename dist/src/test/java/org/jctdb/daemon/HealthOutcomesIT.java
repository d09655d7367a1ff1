package org.jctdb.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jctdb.common.Ticker;
import org.jctdb.lab.ClusterFs;
import org.jctdb.lock.ProcLocks;
import org.jctdb.os.ProcInfo;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.jctdb.testing.ProcTree;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The outcomes of the seed scenario, end to end with default timing: three daemons, the
 * cluster lock on the clusterfs FUSE mount (one mount, per-node freezing inside the FUSE
 * daemon: bindfs cannot hold a shared fcntl lock, see ../shared/README.md), six public
 * addresses (bookkeeping on "lo", no interface script). Each test freezes, watches, thaws
 * and waits for the cluster to be whole again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthOutcomesIT {
    private static final int NODES = 3;
    private static final Duration BOUND = Duration.ofSeconds(10);
    /**
     * How long outcome 1's hang lasts: 45 s is 30 probe intervals, long enough to show that
     * nothing piles up; {@code -Djctdb.hangSeconds=120} gives the field report's two minutes.
     */
    private static final int HANG_SECONDS = Integer.getInteger("jctdb.hangSeconds", 45);
    /** How long outcomes 2 and 3 watch the cluster while the storage hangs. */
    private static final int WATCH_MILLIS = 20_000;

    private static LocalClusterHarness c;
    private static long lockInode;

    @BeforeAll
    static void up() throws Exception {
        TestEnvironment.require(ClusterFs.unavailableReason());
        c = LocalClusterHarness.up(NODES, List.of("--cluster-fs"));
        for (int k = 0; k < NODES; k++) {
            addAddresses(k);
        }
        lockInode = (Long) Files.getAttribute(c.dir.resolve("cfs/.ctdb/cluster.lock"), "unix:ino");
        awaitWhole();
    }

    /** addip is not kept across a restart, as in CTDB: a restarted node gets them again. */
    private static void addAddresses(int k) throws Exception {
        for (int i = 1; i <= 6; i++) {
            Result r = c.jctdb(k, "addip", "198.18.99." + i + "/24", "lo");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
        }
    }

    @AfterAll
    static void down() throws Exception {
        if (c != null) {
            c.jctdb(0, "local-cluster", "thaw", "all", "--dir", c.dir.toString());
            c.close();
        }
    }

    /** Every node OK in everyone's view, one leader, every address hosted, on every node. */
    private static void awaitWhole() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    for (int seenBy = 0; seenBy < NODES; seenBy++) {
                        for (int of = 0; of < NODES; of++) {
                            if (!"0".equals(c.flag(seenBy, of, "Unhealthy"))
                                    || !"0".equals(c.flag(seenBy, of, "Disconnected"))) {
                                return false;
                            }
                        }
                    }
                    Map<String, Integer> ips = c.publicIps(leader(0));
                    return ips.size() == 6 && new HashSet<>(ips.values()).equals(Set.of(0, 1, 2));
                });
    }

    private static int leader(int seenBy) throws Exception {
        return Integer.parseInt(c.query(seenBy, "leader").stdout().strip());
    }

    private static void freeze(String which) throws Exception {
        Result r = c.jctdb(0, "local-cluster", "freeze", which, "--dir", c.dir.toString());
        assertThat(r.exitCode()).as("%s%s", r.stdout(), r.stderr()).isZero();
    }

    private static void thaw(String which) throws Exception {
        c.jctdb(0, "local-cluster", "thaw", which, "--dir", c.dir.toString());
    }

    private static List<Long> pids() throws Exception {
        List<Long> pids = new ArrayList<>();
        for (int k = 0; k < NODES; k++) {
            pids.add(c.pid(k));
        }
        return pids;
    }

    private static List<ProcInfo> stuckBelow(long daemon) {
        return ProcTree.stuckBelow(daemon);
    }

    /** Outcome 1: a non-leader's storage hangs (HANG_SECONDS). */
    @Test
    @Order(1)
    void aNonLeadersHangMakesItUnhealthyMovesItsAddressesAndNothingPilesUp() throws Exception {
        int leader = leader(0);
        int victim = (leader + 1) % NODES;
        List<Long> pids = pids();
        long t0 = Ticker.SYSTEM.nowMillis();
        freeze(String.valueOf(victim));
        try {
            await().atMost(BOUND)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> "1".equals(c.flag(leader, victim, "Unhealthy")));
            long unhealthyAfter = Ticker.SYSTEM.nowMillis() - t0;
            assertThat(unhealthyAfter).isLessThan(10_000);
            await().atMost(BOUND)
                    .until(() -> !c.publicIps(leader).containsValue(victim)
                            && !c.publicIps(leader).containsValue(-1));
            int mostStuck = 0;
            while (Ticker.SYSTEM.nowMillis() - t0 < HANG_SECONDS * 1000L) {
                List<ProcInfo> stuck = stuckBelow(pids.get(victim));
                mostStuck = Math.max(mostStuck, stuck.size());
                assertThat(stuck)
                        .as("processes of node %d stuck in the frozen filesystem", victim)
                        .hasSizeLessThanOrEqualTo(1);
                assertThat(leader(leader)).as("the leader").isEqualTo(leader);
                assertThat(c.flag(leader, leader, "Unhealthy"))
                        .as("the leader's health")
                        .isEqualTo("0");
                assertThat(c.publicIps(leader))
                        .as("addresses while node %d hangs", victim)
                        .doesNotContainValue(victim)
                        .doesNotContainValue(-1);
                TimeUnit.MILLISECONDS.sleep(500);
            }
            assertThat(mostStuck).as("the one stat probe stuck in the kernel").isEqualTo(1);
            String status = c.jctdb(leader, "status").stdout();
            Matcher hung = Pattern.compile("Cluster filesystem: HUNG for (\\d+)s on .*\\(node " + victim + "\\)")
                    .matcher(status);
            assertThat(hung.find()).as("status says what hangs: %s", status).isTrue();
            // Hung since the first unanswered probe, a few seconds after the freeze began.
            assertThat(Integer.parseInt(hung.group(1))).isBetween(HANG_SECONDS - 12, HANG_SECONDS + 5);
        } finally {
            thaw(String.valueOf(victim));
        }
        long thawed = Ticker.SYSTEM.nowMillis();
        await().atMost(BOUND)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> "0".equals(c.flag(leader, victim, "Unhealthy")));
        assertThat(Ticker.SYSTEM.nowMillis() - thawed).isLessThan(10_000);
        await().atMost(Duration.ofSeconds(20)).until(() -> c.publicIps(leader).containsValue(victim));
        assertThat(pids()).as("no daemon restarted").isEqualTo(pids);
        assertThat(c.log(victim)).contains("UNHEALTHY (cluster filesystem").doesNotContain("shutting down");
        awaitWhole();
    }

    /** Outcome 2: the leader's storage hangs; one leader throughout, the others keep serving. */
    @Test
    @Order(2)
    void theLeadersHangKeepsOneLeaderAndTheOthersServing() throws Exception {
        int leader = leader(0);
        List<Long> pids = pids();
        Set<Long> holders = ProcLocks.writeLockHolders(lockInode);
        assertThat(holders).hasSize(1);
        List<Integer> others = new ArrayList<>();
        for (int k = 0; k < NODES; k++) {
            if (k != leader) {
                others.add(k);
            }
        }
        int witness = others.get(0);
        long t0 = Ticker.SYSTEM.nowMillis();
        freeze(String.valueOf(leader));
        try {
            await().atMost(BOUND)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> "1".equals(c.flag(witness, leader, "Unhealthy")));
            assertThat(Ticker.SYSTEM.nowMillis() - t0).isLessThan(10_000);
            await().atMost(BOUND)
                    .until(() -> !c.publicIps(witness).containsValue(leader)
                            && !c.publicIps(witness).containsValue(-1));
            while (Ticker.SYSTEM.nowMillis() - t0 < WATCH_MILLIS) {
                for (int k = 0; k < NODES; k++) {
                    assertThat(leader(k)).as("leader as node %d sees it", k).isEqualTo(leader);
                }
                assertThat(ProcLocks.writeLockHolders(lockInode))
                        .as("lock holders")
                        .isEqualTo(holders);
                for (int k : others) {
                    assertThat(c.flag(witness, k, "Unhealthy"))
                            .as("node %d serving", k)
                            .isEqualTo("0");
                }
                assertThat(new HashSet<>(c.publicIps(witness).values()))
                        .as("addresses on the healthy nodes")
                        .isEqualTo(new HashSet<>(others));
                // One stuck probe per resource: the health probe, and the lock helper's own check.
                assertThat(stuckBelow(pids.get(leader))).hasSizeLessThanOrEqualTo(2);
                TimeUnit.MILLISECONDS.sleep(500);
            }
        } finally {
            thaw(String.valueOf(leader));
        }
        await().atMost(BOUND)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> "0".equals(c.flag(witness, leader, "Unhealthy")));
        assertThat(pids()).isEqualTo(pids);
        awaitWhole();
        assertThat(leader(0)).isEqualTo(leader);
    }

    /** Outcome 3: the storage hangs everywhere: all UNHEALTHY, addresses stay, nothing else happens. */
    @Test
    @Order(3)
    void aHangEverywhereLeavesAddressesAloneAndSaysSo() throws Exception {
        int leader = leader(0);
        List<Long> pids = pids();
        Map<String, Integer> before = c.publicIps(leader);
        String generation = generation(leader);
        long t0 = Ticker.SYSTEM.nowMillis();
        freeze("all");
        try {
            await().atMost(BOUND).pollInterval(Duration.ofMillis(100)).until(() -> {
                for (int k = 0; k < NODES; k++) {
                    if (!"1".equals(c.flag(leader, k, "Unhealthy"))) {
                        return false;
                    }
                }
                return true;
            });
            assertThat(Ticker.SYSTEM.nowMillis() - t0).isLessThan(10_000);
            while (Ticker.SYSTEM.nowMillis() - t0 < WATCH_MILLIS) {
                for (int k = 0; k < NODES; k++) {
                    assertThat(c.publicIps(k))
                            .as("addresses as node %d sees them", k)
                            .isEqualTo(before);
                    assertThat(leader(k)).isEqualTo(leader);
                    assertThat(c.flag(leader, k, "Banned")).isEqualTo("0");
                }
                assertThat(generation(leader)).as("no new election or recovery").isEqualTo(generation);
                TimeUnit.MILLISECONDS.sleep(500);
            }
            for (int k = 0; k < NODES; k++) {
                assertThat(c.jctdb(k, "status").stdout())
                        .as("status on node %d", k)
                        .containsPattern("Cluster filesystem: unresponsive \\(HUNG\\) on all nodes since "
                                + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\(\\d+s\\)");
            }
        } finally {
            thaw("all");
        }
        long thawed = Ticker.SYSTEM.nowMillis();
        await().atMost(BOUND).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (int k = 0; k < NODES; k++) {
                if (!"0".equals(c.flag(leader, k, "Unhealthy"))) {
                    return false;
                }
            }
            return true;
        });
        assertThat(Ticker.SYSTEM.nowMillis() - thawed).isLessThan(10_000);
        assertThat(pids()).isEqualTo(pids);
        assertThat(c.publicIps(leader)).isEqualTo(before);
        for (int k = 0; k < NODES; k++) {
            assertThat(c.log(k)).doesNotContain("shutting down");
        }
    }

    /**
     * Outcomes 5 and 4 on the real frozen mount, with the shutdown action on one node: a hang
     * that ends a few seconds before the threshold never shuts it down, not even later; one that
     * lasts has the daemon gone within the threshold plus 5 s while the filesystem stays frozen.
     */
    @Test
    @Order(4)
    void theShutdownActionFiresOnlyForAHangThatOutlastsItsThreshold() throws Exception {
        int victim = (leader(0) + 2) % NODES;
        int threshold = 15;
        Files.writeString(
                c.nodeDir(victim).resolve("ctdb.conf"),
                "[health]\n\thung storage action = shutdown\n" + "\thung storage timeout = " + threshold + "\n",
                StandardOpenOption.APPEND);
        long old = c.pid(victim);
        assertThat(c.jctdb(victim, "shutdown").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(15)).until(() -> ProcessHandle.of(old).isEmpty());
        assertThat(c.startNode(victim).exitCode()).isZero();
        addAddresses(victim);
        awaitWhole();
        long pid = c.pid(victim);

        long t0 = Ticker.SYSTEM.nowMillis();
        freeze(String.valueOf(victim));
        try {
            await().atMost(BOUND).until(() -> "1".equals(c.flag(victim, victim, "Unhealthy")));
            TimeUnit.MILLISECONDS.sleep(Math.max(0, t0 + (threshold - 4) * 1000L - Ticker.SYSTEM.nowMillis()));
        } finally {
            thaw(String.valueOf(victim));
        }
        TimeUnit.MILLISECONDS.sleep(Math.max(0, t0 + (threshold + 8) * 1000L - Ticker.SYSTEM.nowMillis()));
        assertThat(ProcessHandle.of(pid))
                .as("storage came back before the threshold: no shutdown, ever")
                .isPresent();
        assertThat(c.log(victim)).doesNotContain("hung storage action: shutdown");

        awaitWhole();
        long before = Ticker.SYSTEM.nowMillis();
        freeze(String.valueOf(victim));
        // Frozen for sure from here (the freeze command itself takes a few seconds under load).
        long frozen = Ticker.SYSTEM.nowMillis();
        try {
            await().atMost(Duration.ofSeconds(threshold + 10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> ProcessHandle.of(pid).isEmpty());
            long now = Ticker.SYSTEM.nowMillis();
            assertThat(now - before).as("not before the threshold").isGreaterThanOrEqualTo(threshold * 1000L);
            // The threshold counts from the first unanswered probe, which starts within one probe interval.
            assertThat(now - frozen)
                    .as("gone within the threshold + 5 s")
                    .isLessThanOrEqualTo((threshold + 5) * 1000L + 1500);
            assertThat(c.jctdb(leader(0 == victim ? 1 : 0), "status").stdout())
                    .as("the others carry on")
                    .contains("Recovery mode:NORMAL (0)");
        } finally {
            thaw(String.valueOf(victim));
        }
        assertThat(c.log(victim)).contains("hung storage action: shutdown, because cluster filesystem");
        assertThat(c.startNode(victim).exitCode()).isZero();
        addAddresses(victim);
        awaitWhole();
    }

    private static String generation(int k) throws Exception {
        return c.query(k, "status")
                .stdout()
                .lines()
                .filter(l -> l.startsWith("Generation:"))
                .findFirst()
                .orElse("");
    }
}

package org.jctdb.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jctdb.lab.ClusterFs;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.Procs;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The leader's cluster filesystem hangs (the freezable FUSE fixture, frozen for that node only):
 * the cluster keeps exactly one leader, the lock stays held, and nothing of ours is stuck but
 * the one re-check of the lock file.
 */
class LeaderFrozenStorageIT {
    @BeforeAll
    static void needsFuse() {
        TestEnvironment.require(ClusterFs.unavailableReason());
    }

    @Test
    void freezingTheLeadersStorageLeavesOneLeaderAndOneHungRecheck() throws Exception {
        try (LocalClusterHarness c = LocalClusterHarness.up(3, List.of("--cluster-fs"))) {
            Path lock = c.dir.resolve("cfs/.ctdb/cluster.lock");
            Set<Integer> alive = Set.of(0, 1, 2);
            await().atMost(Duration.ofSeconds(20)).until(() -> LeaderIT.leaderHoldingLock(c, lock, alive) >= 0);
            int leader = LeaderIT.leaderHoldingLock(c, lock, alive);
            long holder = LeaderIT.lockHolders(lock).get(0);
            assertThat(c.jctdb(leader, "local-cluster", "freeze", String.valueOf(leader), "--dir", c.dir.toString())
                            .exitCode())
                    .isZero();
            try {
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(c.log(leader)).contains("cluster lock UNRESPONSIVE"));
                long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (System.nanoTime() < end) {
                    assertThat(LeaderIT.agreedLeader(c, alive)).isEqualTo(leader);
                    // One per resource: the lock helper's re-check of the lock file, and the storage
                    // health probe of its directory; never a second of either.
                    java.util.List<String> stuck = stuckUnder(c.pid(leader));
                    assertThat(stuck)
                            .as("processes of node %d blocked in FUSE", leader)
                            .hasSizeLessThanOrEqualTo(2);
                    assertThat(stuck.stream()
                                    .filter(cl -> cl.contains("jctdb_mutex_fcntl_helper"))
                                    .count())
                            .as("lock re-checks stuck: %s", stuck)
                            .isLessThanOrEqualTo(1);
                    assertThat(stuck.stream().filter(cl -> cl.contains("stat")).count())
                            .as("storage probes stuck: %s", stuck)
                            .isLessThanOrEqualTo(1);
                    Thread.sleep(500);
                }
                // The lock never changed hands: the same helper process still holds it.
                assertThat(ProcessHandle.of(holder).map(ProcessHandle::isAlive)).contains(true);
            } finally {
                c.jctdb(leader, "local-cluster", "thaw", String.valueOf(leader), "--dir", c.dir.toString());
            }
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(c.log(leader)).contains("cluster lock RESPONSIVE_AGAIN"));
            assertThat(LeaderIT.leaderHoldingLock(c, lock, alive)).isEqualTo(leader);
        }
    }

    /** Command lines of the daemon's descendants that wait on the frozen FUSE mount right now. */
    private static java.util.List<String> stuckUnder(long daemonPid) {
        return ProcessHandle.of(daemonPid)
                .map(h -> h.descendants()
                        .filter(d -> Procs.blockedInFuse(d.pid()))
                        .map(d -> cmdline(d.pid()))
                        .toList())
                .orElse(java.util.List.of());
    }

    /** Read from /proc directly: the JDK gives no command line for a process stuck in the kernel. */
    private static String cmdline(long pid) {
        try {
            return new String(
                            java.nio.file.Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")),
                            java.nio.charset.StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (java.io.IOException e) {
            return "";
        }
    }
}

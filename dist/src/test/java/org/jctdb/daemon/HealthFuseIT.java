package org.jctdb.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jctdb.common.Ticker;
import org.jctdb.health.HealthMonitor;
import org.jctdb.lab.ClusterFs;
import org.jctdb.os.ProcFs;
import org.jctdb.os.ProcInfo;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The storage probe against a really hung filesystem: the cluster lock on the clusterfs FUSE
 * mount, node 1's requests frozen inside the FUSE daemon. The built-in probe's helper then sits in
 * state D, survives SIGKILL, and must stay the only probe until the freeze ends.
 */
class HealthFuseIT {
    @Test
    void aFrozenClusterFilesystemMakesOnlyThatNodeUnhealthyWithOneUnkillableProbe() throws Exception {
        TestEnvironment.require(ClusterFs.unavailableReason());
        try (LocalClusterHarness c = LocalClusterHarness.up(2, List.of("--cluster-fs"))) {
            long pid = c.pid(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> "0".equals(c.flag(0, 1, "Unhealthy")));
            long t0 = Ticker.SYSTEM.nowMillis();
            Result freeze = c.jctdb(1, "local-cluster", "freeze", "1", "--dir", c.dir.toString());
            assertThat(freeze.exitCode())
                    .as("%s%s", freeze.stdout(), freeze.stderr())
                    .isZero();
            try {
                await().atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> "1".equals(c.flag(0, 1, "Unhealthy")));
                assertThat(Ticker.SYSTEM.nowMillis() - t0).isLessThan(10_000);
                assertThat(c.jctdb(1, "status").stdout())
                        .containsPattern("Cluster filesystem: HUNG for \\d+s on " + c.dir.resolve("cfs/.ctdb")
                                + " \\(node 1\\)");
                Set<Integer> seen = new HashSet<>();
                for (int i = 0; i < 30; i++) { // three probe intervals
                    List<ProcInfo> stats = probes(pid);
                    assertThat(stats).as("probe processes of node 1").hasSizeLessThanOrEqualTo(1);
                    stats.forEach(p -> seen.add(p.pid()));
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                assertThat(seen).as("the one stuck probe, never replaced").hasSize(1);
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> c.jctdb(1, "health").stdout().contains("unkillable:"));
                String health = c.jctdb(1, "health").stdout();
                assertThat(health)
                        .contains("UNHEALTHY")
                        .containsPattern("HUNG .* 1 +1  " + c.dir.resolve("cfs/.ctdb"))
                        .containsPattern("unkillable: pid " + seen.iterator().next() + " \\("
                                + HealthMonitor.PROBE_HELPER + "\\) state D");
                assertThat(c.flag(0, 0, "Unhealthy"))
                        .as("node 0's storage is not frozen")
                        .isEqualTo("0");
            } finally {
                c.jctdb(1, "local-cluster", "thaw", "1", "--dir", c.dir.toString());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> "0".equals(c.flag(0, 1, "Unhealthy")));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> probes(pid).isEmpty() || probes(pid).stream().noneMatch(p -> p.state() == 'D'));
            assertThat(c.jctdb(1, "status").stdout()).doesNotContain("Cluster filesystem: HUNG");
        }
    }

    /** The daemon's probe helpers (setsid execs the helper, so the daemon is the parent). */
    private static List<ProcInfo> probes(long daemonPid) {
        return ProcFs.system().all().stream()
                .filter(p -> p.alive() && p.ppid() == daemonPid && p.comm().equals(HealthMonitor.PROBE_HELPER))
                .toList();
    }
}

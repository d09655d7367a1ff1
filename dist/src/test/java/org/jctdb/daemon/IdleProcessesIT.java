package org.jctdb.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jctdb.health.HealthMonitor;
import org.jctdb.os.ProcFs;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * An idle node starts no process: over 20 s of a settled two-node cluster, with the cluster lock
 * on a path (so the storage probe runs every 1.5 s), no process of either node's tree calls
 * exec(). Counted from the kernel's trace events by bench/lib/proctree.py (root), the same count
 * bench/compare reports; the probe must be answering meanwhile, so a switched-off probe cannot pass.
 */
class IdleProcessesIT {
    @Test
    void anIdleNodeStartsNoProcessWhileItsStorageProbeAnswers() throws Exception {
        try (LocalClusterHarness c = LocalClusterHarness.up(2)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "0".equals(c.flag(0, 1, "Unhealthy")) && "0".equals(c.flag(1, 0, "Unhealthy")));
            TimeUnit.SECONDS.sleep(3); // start-up work (first events, connections) settles
            List<String> cmd = new ArrayList<>(List.of(
                    "python3",
                    LocalClusterHarness.home().resolve("bench/lib/proctree.py").toString(),
                    "idle",
                    "20"));
            for (int k = 0; k < 2; k++) {
                cmd.add(String.valueOf(c.pid(k)));
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            List<String> lines = out.lines().toList();
            assertThat(lines).as(out).hasSize(2);
            TestEnvironment.require(
                    lines.stream().noneMatch(l -> l.endsWith(" -1")),
                    "the kernel's trace events (tracefs, root) are needed to count exec() calls");
            for (int k = 0; k < 2; k++) {
                String health = c.jctdb(k, "health").stdout();
                assertThat(health).as("node %d answers its probe", k).containsPattern("(?m)^(OK|SLOW) ");
                long pid = c.pid(k);
                assertThat(ProcFs.system().all())
                        .as("node %d's one probe helper", k)
                        .filteredOn(
                                x -> x.alive() && x.ppid() == pid && x.comm().equals(HealthMonitor.PROBE_HELPER))
                        .hasSize(1);
                assertThat(lines.get(k).split(" ")[2])
                        .as("exec() calls of node %d's tree in 20 s idle (cpu_ms rss_kb execs: %s)", k, lines.get(k))
                        .isEqualTo("0");
            }
        }
    }
}

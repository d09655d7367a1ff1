package org.jctdb.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jctdb.common.Ticker;
import org.jctdb.os.ProcFs;
import org.jctdb.os.ProcInfo;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.junit.jupiter.api.Test;

/**
 * The storage probe under real daemons with default timing. Node 1's probe command is a script
 * that hangs (ignoring SIGTERM) while a flag file exists: a hung cluster filesystem as far as the
 * daemon can tell, without FUSE. HealthFuseIT freezes a real FUSE mount.
 */
class HealthIT {
    private static final String PROBE = "hangprobe.sh";
    private static final long HUNG_TIMEOUT_S = 12;

    @Test
    void aHungProbeMakesTheNodeUnhealthyWithinTenSecondsHealsAndLaterShutsItDown() throws Exception {
        try (LocalClusterHarness c = LocalClusterHarness.up(2)) {
            Path flag = c.dir.resolve("hang");
            Path script = c.dir.resolve(PROBE);
            Files.writeString(
                    script,
                    "#!/bin/sh\ntrap '' TERM\nwhile [ -e " + flag + " ]; do sleep 0.1; done\n"
                            + "exec /usr/bin/stat -c %i -- \"$1\" >/dev/null\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(
                    c.nodeDir(1).resolve("ctdb.conf"),
                    "[health]\n\tprobe command = " + script
                            + "\n\thung storage action = shutdown\n\thung storage timeout = " + HUNG_TIMEOUT_S + "\n",
                    StandardOpenOption.APPEND);
            long oldPid = c.pid(1);
            assertThat(c.jctdb(1, "shutdown").exitCode()).isZero();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ProcessHandle.of(oldPid).isEmpty());
            Result start = c.startNode(1);
            assertThat(start.exitCode())
                    .as("%s%s", start.stdout(), start.stderr())
                    .isZero();
            long pid = c.pid(1);
            // Healthy as node 0 sees it and as node 1 sees itself (its first recovery done): only then
            // does a hang below turn a healthy node UNHEALTHY. Unknown too: a reconnected node is
            // UNKNOWN until it reports its flags.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "0".equals(c.flag(0, 1, "Unhealthy"))
                            && "0".equals(c.flag(0, 1, "Disconnected"))
                            && "0".equals(c.flag(0, 1, "Unknown"))
                            && "0".equals(c.flag(1, 1, "Unhealthy"))
                            && c.query(1, "status").stdout().contains("Recovery mode:NORMAL (0)"));
            Result health = c.jctdb(1, "health");
            assertThat(health.stdout())
                    .contains("Storage health of node 1: HEALTHY")
                    .containsPattern("OK .*" + c.dir.resolve("shared/.ctdb") + " \\(cluster lock\\)");
            // A probe may be SLOW on a loaded machine (a fork and exec over RecLockLatencyMs); never HUNG here.
            assertThat(c.jctdb(1, "status").stdout())
                    .doesNotContain("Cluster filesystem: HUNG", "Cluster filesystem: FAILED");

            // A hang, ended before the hung storage timeout: UNHEALTHY within 10 s, healthy after, no shutdown.
            long t0 = Ticker.SYSTEM.nowMillis();
            Files.writeString(flag, "");
            try {
                await().atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> "1".equals(c.flag(0, 1, "Unhealthy")));
                long unhealthyAfter = Ticker.SYSTEM.nowMillis() - t0;
                assertThat(unhealthyAfter).isLessThan(10_000);
                Result status = c.jctdb(1, "status");
                assertThat(status.stdout())
                        .contains("UNHEALTHY (THIS NODE)")
                        .containsPattern("\nCluster filesystem: HUNG for \\d+s on " + c.dir.resolve("shared/.ctdb")
                                + " \\(node 1\\)\n");
                assertThat(status.stdout().indexOf("Leader:"))
                        .isLessThan(status.stdout().indexOf("Cluster filesystem"));
                // Through the control socket from this JVM: the same command, without a JVM start each.
                assertThat(c.query(1, "health", "-X").stdout()).containsPattern("\\|1\\|HUNG\\|\\d+\\|");
                assertThat(c.query(1, "health", "--json").stdout()).contains("\"state\" : \"HUNG\"");
                Set<Integer> seen = new HashSet<>();
                for (int i = 0; i < 15; i++) {
                    List<ProcInfo> probes = probes();
                    assertThat(probes).as("hung probes alive at once").hasSizeLessThanOrEqualTo(1);
                    probes.forEach(p -> seen.add(p.pid()));
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                assertThat(seen).isNotEmpty();
                assertThat(Ticker.SYSTEM.nowMillis() - t0)
                        .as("released before the hung storage timeout")
                        .isLessThan(HUNG_TIMEOUT_S * 1000 - 1000);
            } finally {
                Files.deleteIfExists(flag);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> "0".equals(c.flag(0, 1, "Unhealthy")));
            assertThat(c.jctdb(1, "status").stdout()).doesNotContain("Cluster filesystem: HUNG");
            // The hang was seen within one interval of t0; a stale action would come at most a tick later.
            long quiet = t0 + (HUNG_TIMEOUT_S + 3) * 1000 - Ticker.SYSTEM.nowMillis();
            if (quiet > 0) {
                TimeUnit.MILLISECONDS.sleep(quiet); // past when a stale action would have run
            }
            assertThat(ProcessHandle.of(pid))
                    .as("storage came back in time: no shutdown")
                    .isPresent();

            // A hang that lasts: the node shuts itself down within the timeout plus 5 s.
            long t1 = Ticker.SYSTEM.nowMillis();
            Files.writeString(flag, "");
            try {
                await().atMost(Duration.ofSeconds(HUNG_TIMEOUT_S + 5))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> ProcessHandle.of(pid).isEmpty());
                long after = Ticker.SYSTEM.nowMillis() - t1;
                assertThat(after).isBetween(HUNG_TIMEOUT_S * 1000, (HUNG_TIMEOUT_S + 5) * 1000);
                assertThat(c.log(1))
                        .contains("hung storage action: shutdown, because cluster filesystem "
                                + c.dir.resolve("shared/.ctdb") + " has been hung for");
                assertThat(c.log(1)).contains("is now UNHEALTHY (cluster filesystem");
            } finally {
                Files.deleteIfExists(flag);
            }
            assertThat(c.flag(0, 0, "Unhealthy"))
                    .as("node 0 probes its own storage and is fine")
                    .isEqualTo("0");
        }
    }

    private static List<ProcInfo> probes() {
        return ProcFs.system().all().stream()
                .filter(p -> p.alive() && p.comm().equals(PROBE))
                .toList();
    }
}

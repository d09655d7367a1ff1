package org.jctdb.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.jctdb.lab.ClusterFs;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A monitor script that blocks on its node's frozen cluster filesystem: it is timed out, its
 * stuck process is reported, it is never started a second time while that process lives, the
 * node is UNHEALTHY, and all of it heals after the thaw.
 */
class EventFuseIT {
    @BeforeAll
    static void needsFuse() {
        TestEnvironment.require(ClusterFs.unavailableReason());
    }

    @Test
    void aScriptStuckOnFrozenStorageIsReportedAndNeverDuplicated() throws Exception {
        try (LocalClusterHarness c =
                LocalClusterHarness.up(2, List.of("--cluster-fs"), "MonitorInterval=1", "EventScriptTimeout=3")) {
            Path script = c.nodeDir(1).resolve("events/legacy/60.cfs.script");
            Files.writeString(
                    script,
                    "#!/bin/sh\n# reads the cluster filesystem, as the seed's 01.reclock did\n" + "stat "
                            + c.dir.resolve("cfs/.ctdb") + " >/dev/null\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> c.jctdb(1, "scriptstatus").stdout().matches("(?s).*60\\.cfs\\s+OK.*"));

            assertThat(c.jctdb(0, "local-cluster", "freeze", "1", "--dir", c.dir.toString())
                            .exitCode())
                    .isZero();
            try {
                await().atMost(Duration.ofSeconds(15)).until(() -> "1".equals(c.flag(0, 1, "Unhealthy")));
                await().atMost(Duration.ofSeconds(15))
                        .until(() ->
                                c.jctdb(1, "scriptstatus").stdout().matches("(?s).*60\\.cfs\\s+(TIMEDOUT|HUNG).*"));
                long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                long most = 0;
                while (System.nanoTime() < end) {
                    most = Math.max(most, instances(c.pid(1)));
                    Thread.sleep(200);
                }
                assertThat(most).as("runs of 60.cfs alive at once").isEqualTo(1);
                assertThat(c.jctdb(1, "scriptstatus").stdout()).containsPattern("UNKILLABLE|HUNG");
            } finally {
                c.jctdb(0, "local-cluster", "thaw", "1", "--dir", c.dir.toString());
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> "0".equals(c.flag(0, 1, "Unhealthy")));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> instances(c.pid(1)) == 0
                            || c.jctdb(1, "scriptstatus").stdout().matches("(?s).*60\\.cfs\\s+OK.*"));
        }
    }

    /**
     * Processes that belong to a run of 60.cfs: its shell or its stat (which, once the shell is
     * killed, no longer descends from the daemon). Read from /proc/PID/cmdline directly: the
     * JDK's ProcessHandle.info() gives no command line for a process stuck in the kernel.
     */
    private static long instances(long daemonPid) throws java.io.IOException {
        long n = 0;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d :
                    dirs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String cl;
                try {
                    cl = new String(Files.readAllBytes(d.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                } catch (java.io.IOException e) {
                    continue; // gone meanwhile
                }
                // the script's shell, or its own stat (not the health probe's `stat -c %i -- DIR`)
                if (cl.contains("60.cfs.script") || (cl.startsWith("stat /") && cl.contains("cfs/.ctdb"))) {
                    n++;
                }
            }
        }
        return n;
    }
}

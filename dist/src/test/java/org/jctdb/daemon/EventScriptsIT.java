package org.jctdb.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.junit.jupiter.api.Test;

/** Event scripts under real daemons: the monitor result sets health, and every node sees it. */
class EventScriptsIT {
    @Test
    void failingMonitorMakesTheNodeUnhealthyEverywhereAndRecoveryHealsIt() throws Exception {
        try (LocalClusterHarness c = LocalClusterHarness.up(2, "MonitorInterval=1")) {
            Path flag = c.dir.resolve("fail-monitor");
            Path script = c.nodeDir(1).resolve("events/legacy/50.probe.script");
            Files.writeString(
                    script,
                    "#!/bin/sh\n# the generation and the command reach scripts\n"
                            + "echo \"pnn=$($CTDB pnn) event=$1\"\n"
                            + "if [ -e " + flag + " ]; then echo 'service is down'; exit 1; fi\nexit 0\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            Result list = c.jctdb(1, "event", "script", "list", "legacy");
            assertThat(list.stdout()).contains("* 50.probe");

            Files.writeString(flag, "");
            await().atMost(Duration.ofSeconds(10)).until(() -> "1".equals(c.flag(0, 1, "Unhealthy")));
            Result nodestatus = c.jctdb(1, "nodestatus");
            assertThat(nodestatus.exitCode()).isEqualTo(2);
            assertThat(nodestatus.stdout()).contains("UNHEALTHY (THIS NODE)");
            Result scriptstatus = c.jctdb(1, "scriptstatus");
            assertThat(scriptstatus.stdout())
                    .containsPattern("50\\.probe\\s+ERROR\\s+\\d+\\.\\d{3} ")
                    .contains("  OUTPUT: pnn=1 event=monitor")
                    .contains("service is down");

            Files.delete(flag);
            await().atMost(Duration.ofSeconds(10)).until(() -> "0".equals(c.flag(0, 1, "Unhealthy")));
            assertThat(c.jctdb(1, "scriptstatus").stdout()).containsPattern("50\\.probe\\s+OK\\s+");

            Result disable = c.jctdb(1, "event", "script", "disable", "legacy", "50.probe");
            assertThat(disable.exitCode()).isZero();
            assertThat(Files.isExecutable(script)).isFalse();
        }
    }
}

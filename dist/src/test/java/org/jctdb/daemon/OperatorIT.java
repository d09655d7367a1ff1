package org.jctdb.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.junit.jupiter.api.Test;

/**
 * What operators and their tools do to a running daemon: logrotate (both styles) with SIGHUP,
 * SIGTERM, a stale PID file, idle and oversized clients on the control socket, a paused daemon
 * with `-t`.
 */
class OperatorIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void sighupReopensTheLogForLogrotateCreateAndCopytruncateStyles() throws Exception {
        try (LocalClusterHarness c = LocalClusterHarness.up(1)) {
            Path log = c.nodeDir(0).resolve("log.jctdb");
            long pid = c.pid(0);
            // create: mv, then HUP; new lines go to a new file of the old name.
            Files.move(log, c.nodeDir(0).resolve("log.jctdb.1"));
            LocalClusterHarness.signal(pid, "HUP");
            await().atMost(WAIT)
                    .until(() -> Files.exists(log) && Files.readString(log).contains("SIGHUP: reopened"));
            assertThat(c.jctdb(0, "setvar", "MonitorInterval", "16").exitCode()).isZero();
            await().atMost(WAIT).until(() -> Files.readString(log).contains("tunable MonitorInterval set to 16"));
            assertThat(Files.readString(c.nodeDir(0).resolve("log.jctdb.1"))).doesNotContain("SIGHUP");
            assertThat(ProcessHandle.of(pid)).isPresent();
            // copytruncate: copy, truncate in place; lines continue at the start of the same file.
            Files.copy(log, c.nodeDir(0).resolve("log.jctdb.2"));
            try (var ch = java.nio.channels.FileChannel.open(log, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            assertThat(c.jctdb(0, "setvar", "MonitorInterval", "17").exitCode()).isZero();
            await().atMost(WAIT).until(() -> Files.readString(log).contains("tunable MonitorInterval set to 17"));
            assertThat(Files.readString(log)).doesNotStartWith("\0"); // appended at the new end, no hole
        }
    }

    @Test
    void sigtermReleasesAndRemovesPidFileAndSocketAndAStalePidFileIsReplaced() throws Exception {
        try (LocalClusterHarness c = LocalClusterHarness.up(1)) {
            long pid = c.pid(0);
            LocalClusterHarness.signal(pid, "TERM");
            await().atMost(WAIT).until(() -> ProcessHandle.of(pid).isEmpty());
            assertThat(c.log(0)).contains("shutting down: SIGTERM").contains("stopped");
            assertThat(c.nodeDir(0).resolve("run/jctdbd.pid")).doesNotExist();
            assertThat(c.nodeDir(0).resolve("run/jctdbd.socket")).doesNotExist();
            // A crash leaves both behind: the next start replaces them and says so.
            Files.writeString(c.nodeDir(0).resolve("run/jctdbd.pid"), "999999999\n");
            Result start = c.startNode(0);
            assertThat(start.exitCode()).as("%s", start).isZero();
            assertThat(c.log(0)).contains("jctdbd.pid of process 999999999, which no longer runs");
        }
    }

    @Test
    void theControlSocketSurvivesIdleOversizedAndPausedCases() throws Exception {
        try (LocalClusterHarness c = LocalClusterHarness.up(1)) {
            Path socket = c.nodeDir(0).resolve("run/jctdbd.socket");
            List<SocketChannel> idle = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                idle.add(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
            }
            long t0 = System.nanoTime();
            Result status = c.jctdb(0, "status");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(status.exitCode()).as("%s", status).isZero();
            assertThat(ms).isLessThan(2000);
            for (SocketChannel ch : idle) {
                ch.close();
            }

            long rssBefore = rssKb(c.pid(0));
            String big = "x".repeat(100_000);
            for (int i = 0; i < 20; i++) {
                Result r = c.jctdb(0, "pnn", big, big, big, big, big);
                assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
                assertThat(r.stderr()).contains("the daemon refused the request: request larger than 262144 bytes");
            }
            assertThat(c.jctdb(0, "pnn").stdout()).isEqualTo("0\n");
            assertThat(rssKb(c.pid(0)) - rssBefore).isLessThan(16 * 1024);
            assertThat(c.log(0)).doesNotContain("OutOfMemoryError");

            long pid = c.pid(0);
            LocalClusterHarness.signal(pid, "STOP");
            try {
                t0 = System.nanoTime();
                Result paused = c.jctdb(0, "-t", "2", "pnn");
                ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(paused.exitCode()).isEqualTo(1);
                assertThat(paused.stderr()).contains("timed out");
                assertThat(ms).isBetween(1900L, 3500L);
            } finally {
                LocalClusterHarness.signal(pid, "CONT");
            }
        }
    }

    @Test
    void setvarConfigValidateAndStartUpRefuseTheSameTunablesInTheSameWords() throws Exception {
        try (LocalClusterHarness c = LocalClusterHarness.up(1)) {
            for (String[] t :
                    new String[][] {{"KeepaliveInterval", "0"}, {"EventScriptTimeout", "0"}, {"JctdbIPLease", "0"}}) {
                Result set = c.jctdb(0, "setvar", t[0], t[1]);
                assertThat(set.exitCode()).as("%s", set).isEqualTo(1);
                String rule =
                        set.stderr().substring(set.stderr().indexOf(": ") + 2).strip();
                assertThat(rule).startsWith(t[0] + "=" + t[1] + " must be");
                assertThat(c.jctdb(0, "getvar", t[0]).stdout()).doesNotContain("= 0\n");
                Path file = c.nodeDir(0).resolve("ctdb.tunables");
                String saved = Files.readString(file);
                Files.writeString(file, t[0] + "=" + t[1] + "\n");
                Result validate = c.jctdb(0, "config", "validate");
                assertThat(validate.exitCode()).isEqualTo(1);
                assertThat(validate.stderr()).contains(rule);
                Files.writeString(file, saved);
            }
        }
    }

    private static long rssKb(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst()
                .orElseThrow();
    }
}

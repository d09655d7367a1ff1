package org.jctdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command as a new user meets it, through bin/jctdb: every help option answers with a usage
 * and exit code 0, a mistyped command gets ctdb's "Unknown command" with or without a daemon, and
 * `local-cluster` reports its steps in order and its `down` stops a node restarted by hand.
 */
class CliHelpIT {
    @TempDir
    Path noDaemon;

    @Test
    void everyHelpOptionPrintsTheUsageOfItsCommand() throws Exception {
        Map<String, String[]> cases = Map.of(
                "Usage: jctdb [-h] [COMMAND]", new String[] {"--help"},
                "Commands answered by the local daemon:", new String[] {"-h"},
                "Usage: jctdb local-cluster [-h] [COMMAND]", new String[] {"local-cluster", "--help"},
                "Usage: jctdb config [-h] [COMMAND]", new String[] {"config", "-?"},
                "Usage: jctdb status ", new String[] {"status", "--help"},
                "Usage: jctdb getvar ", new String[] {"help", "getvar"},
                "Usage: jctdb lab run ", new String[] {"lab", "run", "-h"});
        for (var c : cases.entrySet()) {
            Result r = LocalClusterHarness.run(noDaemon, c.getValue());
            assertThat(r.exitCode())
                    .as("%s: %s", String.join(" ", c.getValue()), r.stderr())
                    .isZero();
            assertThat(r.stdout()).as(String.join(" ", c.getValue())).contains(c.getKey());
        }
        Result up = LocalClusterHarness.run(noDaemon, "local-cluster", "up", "--help");
        assertThat(up.exitCode()).isZero();
        assertThat(up.stdout())
                .contains(
                        "--dir=DIR",
                        "--base-address=IP",
                        "--port=",
                        "--nodes=",
                        "--tunable=",
                        "--no-lock",
                        "--timeout=");
    }

    @Test
    void aMistypedCommandIsUnknownWithoutADaemon() throws Exception {
        for (String fast : new String[] {"", "1"}) {
            Result r = LocalClusterHarness.exec(
                    noDaemon,
                    "env",
                    "JCTDB_NO_FAST=" + fast,
                    LocalClusterHarness.home().resolve("bin/jctdb").toString(),
                    "statsu");
            assertThat(r.exitCode()).as("JCTDB_NO_FAST=%s", fast).isEqualTo(1);
            assertThat(r.stderr())
                    .as("JCTDB_NO_FAST=%s", fast)
                    .isEqualTo("Unknown command 'statsu'\nDid you mean 'status'?\n");
            assertThat(r.stdout()).isEmpty();
        }
    }

    /**
     * listnodes reads the nodes file without a daemon (bash completion of node numbers needs it), and
     * prints what Debian's ctdb 4.17 prints for the same file: deleted nodes left out, PNNs kept.
     */
    @Test
    void listnodesWithoutADaemonAnswersFromTheNodesFileAsCtdbDoes() throws Exception {
        Files.writeString(noDaemon.resolve("nodes"), "127.0.0.1\n#127.0.0.2\n127.0.0.3\n");
        Files.writeString(noDaemon.resolve("ctdb.conf"), "");
        for (String fast : new String[] {"", "1"}) {
            for (String[] args : new String[][] {
                {"listnodes"},
                {"-X", "listnodes"},
                {"-Y", "listnodes"},
                {"-x", ":", "listnodes"},
                {"-Y", "-x", ":", "listnodes"},
                {"-n", "1", "listnodes"}
            }) {
                List<String> cmd = new ArrayList<>(List.of(
                        "JCTDB_NO_FAST=" + fast,
                        LocalClusterHarness.home().resolve("bin/jctdb").toString()));
                cmd.addAll(List.of(args));
                Result ours = LocalClusterHarness.exec(noDaemon, "env", cmd.toArray(new String[0]));
                Result ctdb = LocalClusterHarness.exec(noDaemon, "ctdb", args);
                String what = "JCTDB_NO_FAST=" + fast + " " + String.join(" ", args);
                assertThat(ours.exitCode()).as(what).isEqualTo(ctdb.exitCode());
                assertThat(ours.stdout()).as(what).isEqualTo(ctdb.stdout());
                assertThat(ours.stderr().strip())
                        .as(what)
                        .isEqualTo(ctdb.stderr().strip());
            }
        }
        assertThat(LocalClusterHarness.exec(noDaemon, "ctdb", "-X", "listnodes").stdout())
                .isEqualTo("|0|127.0.0.1|\n|2|127.0.0.3|\n");
    }

    @Test
    void withADaemonTooAndDownStopsANodeRestartedByHand() throws Exception {
        try (LocalClusterHarness h = LocalClusterHarness.up(2, "MonitorInterval=1")) {
            // Each step is reported once, in order: connecting, then health; never "0 of 2" after "All 2".
            String up = h.upOutput;
            assertThat(up).contains("All 2 nodes connected after", "All 2 nodes OK after");
            assertThat(up.indexOf("All 2 nodes connected")).isLessThan(up.indexOf("All 2 nodes OK"));
            assertThat(up.substring(up.indexOf("All 2 nodes connected"))).doesNotContain("to connect");
            for (String fast : new String[] {"", "1"}) {
                Result r = LocalClusterHarness.exec(
                        h.nodeDir(0),
                        "env",
                        "JCTDB_NO_FAST=" + fast,
                        LocalClusterHarness.home().resolve("bin/jctdb").toString(),
                        "-X",
                        "statsu");
                assertThat(r.exitCode()).as("JCTDB_NO_FAST=%s", fast).isEqualTo(1);
                assertThat(r.stderr()).isEqualTo("Unknown command 'statsu'\nDid you mean 'status'?\n");
            }
            long first = h.pid(1);
            LocalClusterHarness.signal(first, "TERM");
            ProcessHandle.of(first)
                    .ifPresent(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join());
            assertThat(h.startNode(1).exitCode()).as("node 1 restarted by hand").isZero();
            long restarted = h.pid(1);
            long node0 = h.pid(0);
            Result down = LocalClusterHarness.run(null, "local-cluster", "down", "--dir", h.dir.toString());
            assertThat(down.stdout()).contains("Stopped 2 daemon(s)");
            for (long pid : new long[] {node0, restarted}) {
                ProcessHandle.of(pid)
                        .ifPresent(
                                p -> p.onExit().orTimeout(15, TimeUnit.SECONDS).join());
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                        .as("daemon %d after down", pid)
                        .isFalse();
            }
        }
    }
}

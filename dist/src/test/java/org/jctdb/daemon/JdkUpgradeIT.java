package org.jctdb.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JDK package upgrade under a running daemon: the daemon runs from a copy of the JDK, then the
 * copy's lib/jspawnhelper is replaced by one that fails (as a new helper fails for an old JVM).
 * With bin/jctdbd's launch mechanism, probes and event scripts keep starting; with the JDK's
 * default mechanism every start through the JDK fails (the storage probe's helper; event scripts
 * start through glibc's posix_spawn and keep running), the node keeps its verdict and the log says why.
 */
class JdkUpgradeIT {
    @TempDir
    Path tmp;

    @Test
    void processesKeepStartingAfterTheSpawnHelperIsReplaced() throws Exception {
        try (Node n = Node.start(tmp, null)) {
            n.breakSpawnHelper();
            long before = n.stamps();
            await().atMost(Duration.ofSeconds(20)).until(() -> n.stamps() >= before + 3);
            // Probes still start: their answers still count, both ways.
            Files.delete(n.probed);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> n.jctdb("health").stdout().contains("FAILED"));
            Files.createDirectory(n.probed);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> n.status().contains("OK (THIS NODE)")
                            && !n.jctdb("health").stdout().contains("FAILED"));
            // With MonitorInterval=1 the daemon's own monitor may start while this one runs, and a new
            // event cancels a running monitor (CTDB's rule: exit 125, "got cancelled"); that one was
            // spawned too, so only a cancel is tried again.
            Result run = n.jctdb("event", "run", "10", "legacy", "monitor");
            for (int i = 0; i < 5 && run.exitCode() == 125 && run.stdout().contains("got cancelled"); i++) {
                run = n.jctdb("event", "run", "10", "legacy", "monitor");
            }
            assertThat(run.exitCode()).as("%s", run).isZero();
            assertThat(n.log()).doesNotContain("spawn helper");
        }
    }

    @Test
    void withTheDefaultLaunchMechanismTheNodeKeepsItsVerdictAndSaysWhy() throws Exception {
        try (Node n = Node.start(tmp, "POSIX_SPAWN")) {
            n.breakSpawnHelper();
            // The probe helpers are long-lived: end them, so the monitor must start new ones through the JDK.
            ProcessHandle.of(n.pid())
                    .orElseThrow()
                    .children()
                    .filter(c -> c.info().command().orElse("").endsWith("jctdb_probe"))
                    .forEach(ProcessHandle::destroyForcibly);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> n.log().contains("the JDK under this daemon was replaced"));
            Thread.sleep(6000); // longer than HealthProbeFailCount x HealthProbeIntervalMs and two monitor intervals
            assertThat(n.status()).contains("OK (THIS NODE)").doesNotContain("UNHEALTHY");
            assertThat(n.log()).contains("restart jctdb on this node");
        }
    }

    /** A one-node cluster whose daemon runs from its own copy of the JDK. */
    static final class Node implements AutoCloseable {
        final Path jdk;
        final Path dir;
        final Path probed;
        final List<String> env = new ArrayList<>();

        private Node(Path jdk, Path dir) {
            this.jdk = jdk;
            this.dir = dir;
            this.probed = dir.resolve("probed");
        }

        static Node start(Path tmp, String mechanism) throws IOException, InterruptedException {
            Path jdk = tmp.resolve("jdk");
            Path real = Path.of(System.getProperty("java.home")).toRealPath();
            // Hard links make the copy instant; replacing a name in it leaves the real JDK alone.
            if (sh("cp", "-al", real.toString(), jdk.toString()) != 0) {
                assertThat(sh("cp", "-a", real.toString(), jdk.toString())).isZero();
            }
            Node n = new Node(jdk, tmp.resolve("cluster"));
            ThreadLocalRandom r = ThreadLocalRandom.current();
            String base = "127." + r.nextInt(1, 250) + "." + r.nextInt(1, 250) + ".1";
            n.env.add("JAVA_HOME=" + jdk);
            if (mechanism != null) {
                n.env.add("JCTDB_LAUNCH_MECHANISM=" + mechanism);
            }
            Path script = n.dir.resolve("node.0/events/legacy/00.stamp.script");
            Files.createDirectories(script.getParent());
            Files.writeString(script, "#!/bin/sh\n[ \"$1\" = monitor ] && date +%s >> \"$CTDB_BASE/stamps\"\nexit 0\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            Result up = n.run(
                    null,
                    "local-cluster",
                    "up",
                    "--dir",
                    n.dir.toString(),
                    "--nodes",
                    "1",
                    "--base-address",
                    base,
                    "--port",
                    String.valueOf(r.nextInt(20000, 40000)),
                    "--tunable",
                    "MonitorInterval=1");
            assertThat(up.exitCode()).as("%s", up).isZero();
            // Again with a storage path of the test's own to probe ([health] extra paths).
            long first = n.pid();
            n.jctdb("shutdown");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ProcessHandle.of(first).isEmpty());
            Files.createDirectories(n.probed);
            Path conf = n.dir.resolve("node.0/ctdb.conf");
            Files.writeString(conf, Files.readString(conf) + "[health]\n\textra paths = " + n.probed + "\n");
            Result start = n.runProgram(
                    n.dir.resolve("node.0"),
                    LocalClusterHarness.home().resolve("bin/jctdbd").toString());
            assertThat(start.exitCode()).as("%s", start).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> n.status().contains("OK (THIS NODE)"));
            long pid = n.pid();
            assertThat(Path.of("/proc/" + pid + "/exe").toRealPath().startsWith(jdk))
                    .isTrue();
            return n;
        }

        /** What a package upgrade does to the running JVM's helper: a new file under the old name. */
        void breakSpawnHelper() throws IOException {
            Path helper = jdk.resolve("lib/jspawnhelper");
            Files.move(helper, jdk.resolve("lib/jspawnhelper.dpkg-old"));
            Files.writeString(helper, "#!/bin/sh\nexit 1\n");
            Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        long stamps() throws IOException {
            Path f = dir.resolve("node.0/stamps");
            return Files.exists(f) ? Files.readAllLines(f).size() : 0;
        }

        long pid() throws IOException {
            return Long.parseLong(
                    Files.readString(dir.resolve("node.0/run/jctdbd.pid")).strip());
        }

        String status() throws IOException, InterruptedException {
            return jctdb("status").stdout();
        }

        String log() throws IOException {
            Path f = dir.resolve("node.0/log.jctdb");
            return Files.exists(f) ? Files.readString(f) : "";
        }

        Result jctdb(String... args) throws IOException, InterruptedException {
            return runProgram(
                    dir.resolve("node.0"),
                    LocalClusterHarness.home().resolve("bin/jctdb").toString(),
                    args);
        }

        Result run(Path base, String... args) throws IOException, InterruptedException {
            return runProgram(
                    base, LocalClusterHarness.home().resolve("bin/jctdb").toString(), args);
        }

        Result runProgram(Path base, String program, String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            cmd.add("env");
            cmd.add(base == null ? "-u" : "CTDB_BASE=" + base);
            if (base == null) {
                cmd.add("CTDB_BASE");
            }
            cmd.addAll(env);
            cmd.add(program);
            cmd.addAll(List.of(args));
            return LocalClusterHarness.exec(
                    null, cmd.get(0), cmd.subList(1, cmd.size()).toArray(new String[0]));
        }

        @Override
        public void close() throws Exception {
            try {
                ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroy);
            } catch (IOException e) {
                // not running
            }
            run(null, "local-cluster", "down", "--dir", dir.toString());
        }

        private static int sh(String... cmd) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            p.waitFor(60, TimeUnit.SECONDS);
            return p.exitValue();
        }
    }
}

package org.jctdb.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package as an administrator meets it: built by dist/deb/build-deb, installed into
 * this machine with dpkg, a one-node cluster run from the installed paths only, then removed
 * and purged without leaving files (logs aside). Needs root and dpkg-deb; always purges the
 * package at the end, also on failure.
 */
class DebPackageIT {
    @TempDir
    Path dir;

    @Test
    void buildsInstallsRunsAndRemovesCleanly() throws Exception {
        TestEnvironment.require("root".equals(System.getProperty("user.name")), "installing a package needs root");
        TestEnvironment.require(onPath("dpkg-deb") && onPath("dpkg"), "dpkg-deb is not installed");
        Result built = run(
                "bash", LocalClusterHarness.home().resolve("dist/deb/build-deb").toString(), dir.toString());
        assertThat(built.exitCode()).as("build-deb: %s", built.stderr()).isZero();
        String deb = built.stdout().strip();
        assertThat(Path.of(deb)).exists();
        if (onPath("lintian")) {
            Result lintian = run("lintian", "--tag-display-limit", "0", deb);
            assertThat(lintian.stdout().lines().filter(l -> l.startsWith("E: ")))
                    .as("lintian errors")
                    .isEmpty();
        }
        run("dpkg", "-P", "jctdb"); // a leftover of an earlier, interrupted run
        Result installed = run("dpkg", "-i", deb);
        try {
            assertThat(installed.exitCode())
                    .as("dpkg -i: %s", installed.stderr())
                    .isZero();
            List<String> files = run("dpkg", "-L", "jctdb").stdout().lines().toList();
            assertThat(files)
                    .contains(
                            "/usr/bin/jctdb",
                            "/usr/sbin/jctdbd",
                            "/usr/libexec/jctdb/jctdb-fast",
                            "/usr/libexec/jctdb/jctdb_mutex_fcntl_helper",
                            "/usr/libexec/jctdb/jctdb_lock_wait",
                            "/usr/libexec/jctdb/jctdb_gratarp",
                            "/etc/jctdb/ctdb.conf",
                            "/lib/systemd/system/jctdb.service",
                            "/etc/logrotate.d/jctdb",
                            "/usr/share/man/man1/jctdb.1.gz",
                            "/usr/share/man/man8/jctdbd.8.gz",
                            "/usr/share/man/man5/jctdb.conf.5.gz",
                            "/usr/share/doc/jctdb/metrics.md",
                            "/usr/share/bash-completion/completions/jctdb")
                    .anyMatch(f -> f.matches("/usr/share/jctdb/lib/jctdb-daemon-.*\\.jar"))
                    .noneMatch(f -> f.contains("target"));
            // The daemon's archive, from the class list the build's training wrote (as root, as here).
            assertThat(files).contains("/usr/share/jctdb/jctdbd.classlist");
            assertThat(Path.of("/var/cache/jctdb/jctdbd.jsa"))
                    .as("dumped by postinst")
                    .exists();
            if (onPath("systemd-analyze")) {
                Result verify = run("systemd-analyze", "verify", "/lib/systemd/system/jctdb.service");
                assertThat(verify.exitCode())
                        .as("systemd-analyze verify: %s", verify.stderr())
                        .isZero();
            }
            assertThat(run("man", "-w", "jctdb").stdout().strip()).isEqualTo("/usr/share/man/man1/jctdb.1.gz");
            aNodeRunsFromTheInstalledPaths();
            Result removed = run("dpkg", "-r", "jctdb");
            assertThat(removed.exitCode()).as("dpkg -r: %s", removed.stderr()).isZero();
            for (String f : files) {
                if (!f.startsWith("/etc/") && !Files.isDirectory(Path.of(f))) {
                    assertThat(Path.of(f)).as("after dpkg -r").doesNotExist();
                }
            }
            assertThat(Path.of("/var/cache/jctdb/jctdb-cli.jsa")).doesNotExist();
            assertThat(Path.of("/var/cache/jctdb/jctdbd.jsa")).doesNotExist();
        } finally {
            Result purged = run("dpkg", "-P", "jctdb");
            assertThat(purged.exitCode()).as("dpkg -P: %s", purged.stderr()).isZero();
        }
        for (String d :
                List.of("/etc/jctdb", "/var/lib/jctdb", "/var/cache/jctdb", "/usr/share/jctdb", "/usr/libexec/jctdb")) {
            assertThat(Path.of(d)).as("after dpkg -P").doesNotExist();
        }
        assertThat(run("dpkg", "-s", "jctdb").exitCode())
                .as("dpkg -s after purge")
                .isNotZero();
    }

    /** jctdbd --interactive with a one-node configuration, queried with the installed jctdb. */
    private void aNodeRunsFromTheInstalledPaths() throws Exception {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String address = "127." + r.nextInt(1, 250) + "." + r.nextInt(1, 250) + ".1";
        Path base = Files.createDirectories(dir.resolve("node"));
        Files.createDirectories(base.resolve("events/legacy"));
        Files.writeString(base.resolve("nodes"), address + "\n");
        Files.writeString(base.resolve("public_addresses"), "");
        Files.writeString(
                base.resolve("ctdb.conf"),
                "[cluster]\n\tnode address = " + address + "\n\tport = " + r.nextInt(20000, 40000)
                        + "\n\tauthentication = none\n");
        ProcessBuilder pb = new ProcessBuilder("/usr/sbin/jctdbd", "--interactive")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("jctdbd.out").toFile());
        pb.environment().put("CTDB_BASE", base.toString());
        pb.environment().remove("CTDB_SOCKET");
        Process daemon = pb.start();
        try {
            Result status = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && daemon.isAlive()) {
                status = LocalClusterHarness.exec(base, "/usr/bin/jctdb", "status");
                if (status.exitCode() == 0 && status.stdout().contains("OK (THIS NODE)")) {
                    break;
                }
                Thread.sleep(300);
            }
            assertThat(status)
                    .as("jctdbd output: %s", Files.readString(dir.resolve("jctdbd.out")))
                    .isNotNull();
            assertThat(status.stdout()).contains("Number of nodes:1", "pnn:0 " + address, "OK (THIS NODE)");
            assertThat(Files.readString(Path.of("/proc/" + daemon.pid() + "/maps")))
                    .as("the installed daemon maps the archive postinst dumped")
                    .contains("/var/cache/jctdb/jctdbd.jsa");
            // The command's Java path too, with the class-data-sharing archive postinst made.
            Result java = LocalClusterHarness.exec(
                    base, "env", "JCTDB_NO_FAST=1", "JCTDB_CLI_JVM_OPTS=-Xshare:on", "/usr/bin/jctdb", "pnn");
            assertThat(java.exitCode()).as("Java path: %s", java.stderr()).isZero();
            assertThat(java.stdout().strip()).isEqualTo("0");
            // Completion: command words, and node numbers after -n from the running daemon.
            String complete = "source /usr/share/bash-completion/completions/jctdb; COMP_WORDS=(jctdb %s); "
                    + "COMP_CWORD=%d; _jctdb_with_nodes jctdb; echo \"${COMPREPLY[*]}\"";
            assertThat(LocalClusterHarness.exec(base, "bash", "-c", complete.formatted("statu", 1))
                            .stdout())
                    .contains("status");
            assertThat(LocalClusterHarness.exec(base, "bash", "-c", complete.formatted("-n ''", 2))
                            .stdout()
                            .strip())
                    .isEqualTo("all 0");
            assertThat(LocalClusterHarness.exec(base, "/usr/bin/jctdb", "shutdown")
                            .exitCode())
                    .isZero();
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS))
                    .as("daemon stopped")
                    .isTrue();
        } finally {
            daemon.destroyForcibly();
        }
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    private static Result run(String... cmd) throws IOException, InterruptedException {
        List<String> rest = new ArrayList<>(List.of(cmd).subList(1, cmd.length));
        return LocalClusterHarness.exec(null, cmd[0], rest.toArray(new String[0]));
    }
}

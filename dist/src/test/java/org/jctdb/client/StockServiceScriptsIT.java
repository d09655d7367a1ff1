package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.jctdb.config.Installation;
import org.jctdb.lab.Commands;
import org.jctdb.lab.NetnsCluster;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Debian's stock 49.winbind and 50.samba, unchanged, manage smbd and winbindd on a JCTDB node
 * (root): the node runs in its own network, mount and PID namespace (so the scripts' `killall
 * smbd` reaches only this node's smbd), `service smbd|winbind` finds this test's init scripts and
 * testparm this test's smb.conf through `ip netns exec`'s /etc/netns overlay, and /run/samba
 * (where wbinfo finds winbindd) is the node's own. startup starts
 * both; monitor checks smbd's ports with `$CTDB checktcpport` and winbindd with `wbinfo -p`; the
 * node goes UNHEALTHY when smbd (or winbindd) is killed, stays so while it is down, and is OK
 * again once it runs; shutdown stops both.
 */
class StockServiceScriptsIT {
    private static final Path STOCK = Path.of("/usr/share/ctdb/events/legacy");
    private static final String MONITOR_INTERVAL = "MonitorInterval";

    @Test
    void sambaAndWinbindRunUnderTheStockScripts() throws Exception {
        TestEnvironment.require(NetnsCluster.unavailableReason());
        TestEnvironment.require(CtdbTool.missing("smbd", "winbindd", "wbinfo", "testparm", "unshare", "nsenter"));
        TestEnvironment.require(Files.isDirectory(STOCK), "Debian's ctdb package is not installed");
        try (NetnsCluster c = NetnsCluster.create(
                "jsvc", Files.createTempDirectory("jctdb-svc-"), null, 1, 1, Map.of(MONITOR_INTERVAL, 1L))) {
            Path overlay = Path.of("/etc/netns", c.nodeNs(0));
            Process daemon = null;
            try {
                Path own = c.dir.resolve("samba");
                install(c, own, overlay);
                daemon = startInPidNamespace(c);
                long jctdbd = jctdbdPid(daemon);
                assertThat(waitStatus(c, "OK", 90_000))
                        .as("node OK after startup: %s\n%s\n%s", status(c), c.log(0), out(c))
                        .isTrue();
                assertThat(inNode(jctdbd, "pidof", "smbd").exitCode())
                        .as("startup started smbd")
                        .isZero();
                assertThat(inNode(jctdbd, "pidof", "winbindd").exitCode())
                        .as("startup started winbindd")
                        .isZero();

                // smbd dies: the next monitor finds port 445 free.
                inNode(jctdbd, "killall", "-9", "smbd");
                assertThat(waitStatus(c, "UNHEALTHY", 20_000))
                        .as("UNHEALTHY without smbd\n%s", c.log(0))
                        .isTrue();
                assertThat(stays(c, "UNHEALTHY", 5_000))
                        .as("stays UNHEALTHY while smbd is down")
                        .isTrue();
                assertThat(c.jctdb(0, "scriptstatus").output())
                        .contains("50.samba")
                        .containsPattern("ERROR|FAIL");
                inNode(jctdbd, "/etc/init.d/smbd", "start").requireOk();
                assertThat(waitStatus(c, "OK", 20_000))
                        .as("OK once smbd runs again\n%s", c.log(0))
                        .isTrue();

                // winbindd dies: wbinfo -p fails.
                inNode(jctdbd, "killall", "-9", "winbindd");
                assertThat(waitStatus(c, "UNHEALTHY", 20_000))
                        .as("UNHEALTHY without winbindd")
                        .isTrue();
                inNode(jctdbd, "/etc/init.d/winbind", "start").requireOk();
                assertThat(waitStatus(c, "OK", 20_000))
                        .as("OK once winbindd runs again\n%s", c.log(0))
                        .isTrue();

                // shutdown runs the shutdown event: both services stop.
                Path pids = c.dir.resolve("samba/pid");
                Files.deleteIfExists(pids.resolve("smbd.pid.stops")); // startup stops before it starts
                Files.deleteIfExists(pids.resolve("winbindd.pid.stops"));
                c.jctdb(0, "shutdown");
                assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(pids.resolve("smbd.pid.stops"))
                        .as("shutdown stopped smbd")
                        .exists();
                assertThat(pids.resolve("winbindd.pid.stops"))
                        .as("shutdown stopped winbindd")
                        .exists();
            } finally {
                if (daemon != null) {
                    Commands.killTree(daemon);
                }
                deleteTree(overlay);
            }
        }
    }

    /** The stock scripts, CTDB's functions, smb.conf and init scripts for this node. */
    private static void install(NetnsCluster c, Path own, Path overlay) throws IOException {
        Path node = c.nodeDir(0);
        Files.copy(Path.of("/etc/ctdb/functions"), node.resolve("functions"));
        for (String s : List.of("49.winbind", "50.samba")) {
            Files.createSymbolicLink(node.resolve("events/legacy/" + s + ".script"), STOCK.resolve(s + ".script"));
        }
        Path share = Files.createDirectories(own.resolve("share"));
        String conf = SambaNodes.smbConf(own, share, "JCTDBSVC", NetnsCluster.IFACE, 445, null);
        Files.createDirectories(overlay.resolve("samba"));
        Files.writeString(overlay.resolve("samba/smb.conf"), conf);
        Path initd = Files.createDirectories(overlay.resolve("init.d"));
        initScript(initd.resolve("smbd"), "/usr/sbin/smbd", own.resolve("pid/smbd.pid"));
        initScript(initd.resolve("winbind"), "/usr/sbin/winbindd", own.resolve("pid/winbindd.pid"));
    }

    private static void initScript(Path path, String program, Path pidFile) throws IOException {
        Files.writeString(
                path,
                String.join(
                        "\n",
                        "#!/bin/sh",
                        "# StockServiceScriptsIT's service: " + program,
                        "case \"$1\" in",
                        "start) " + program + " -D -s /etc/samba/smb.conf ;;",
                        "stop)",
                        "    echo stop >> " + pidFile + ".stops",
                        "    [ -f " + pidFile + " ] || exit 0",
                        "    kill \"$(cat " + pidFile + ")\" 2>/dev/null",
                        "    i=0; while [ $i -lt 50 ] && kill -0 \"$(cat " + pidFile
                                + ")\" 2>/dev/null; do sleep 0.1; i=$((i+1)); done",
                        "    rm -f " + pidFile + " ;;",
                        "*) echo \"usage: $0 start|stop\"; exit 1 ;;",
                        "esac",
                        ""),
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** jctdbd in the foreground in the node's network namespace and a new PID namespace with its own /proc. */
    private static Process startInPidNamespace(NetnsCluster c) throws IOException {
        Path home = Installation.current().home();
        return new ProcessBuilder(
                        "ip",
                        "netns",
                        "exec",
                        c.nodeNs(0),
                        "unshare",
                        "--pid",
                        "--fork",
                        "--mount-proc",
                        "sh",
                        "-c",
                        // winbindd's socket lives at the fixed /run/samba/winbindd: one of this node's own.
                        "mount -t tmpfs jctdb-it /run/samba && exec env CTDB_BASE=\"$0\" \"$1\" --interactive",
                        c.nodeDir(0).toString(),
                        home.resolve("bin/jctdbd").toString())
                .redirectErrorStream(true)
                .redirectOutput(c.nodeDir(0).resolve("jctdbd.out").toFile())
                .start();
    }

    /** The host's pid of jctdbd: the JVM under unshare. */
    private static long jctdbdPid(Process unshare) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            Optional<ProcessHandle> java = unshare.toHandle()
                    .descendants()
                    .filter(h -> h.info().command().orElse("").endsWith("java"))
                    .findFirst();
            if (java.isPresent()) {
                return java.get().pid();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new IllegalStateException("no jctdbd JVM under " + unshare.pid());
    }

    /** Runs a command in the node's mount and PID namespaces (its /proc, its /etc overlay). */
    private static Commands.Result inNode(long jctdbd, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", String.valueOf(jctdbd), "-n", "-m", "-p", "--"));
        cmd.addAll(List.of(command));
        return Commands.run(java.time.Duration.ofSeconds(30), cmd);
    }

    private static String out(NetnsCluster c) {
        try {
            return Files.readString(c.nodeDir(0).resolve("jctdbd.out"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String status(NetnsCluster c) {
        try {
            String out = c.query(0, "status").stdout();
            for (String line : out.split("\n")) {
                if (line.contains("pnn:0")) {
                    return line.contains("UNHEALTHY") ? "UNHEALTHY" : line.contains(" OK") ? "OK" : line;
                }
            }
            return "";
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean waitStatus(NetnsCluster c, String want, long limitMillis) {
        long until = System.nanoTime() + limitMillis * 1_000_000;
        while (System.nanoTime() < until) {
            if (status(c).equals(want)) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        return false;
    }

    private static boolean stays(NetnsCluster c, String want, long millis) {
        long until = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < until) {
            if (!status(c).equals(want)) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        return true;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}

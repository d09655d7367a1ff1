package org.jctdb.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.jctdb.lab.NetnsCluster;
import org.jctdb.lab.TcpSessionProbe;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Debian's stock 60.nfs, unchanged, through its monitor path on a JCTDB node in a network
 * namespace (root), with an NFS callout and a service check written by this test instead of
 * the kernel NFS server: the callout's startup and monitor operations run; update_tickles files
 * a client's connection to port 2049 of the public address with `jctdb addtickle` (the node's
 * own kernel scan is off, JctdbTickleScanMs=0) and removes it with `deltickle` once closed; and
 * the check's failcount rules hold: UNHEALTHY at the 2nd failure (unhealthy_after=2), a restart
 * through the callout at the 3rd (restart_every=3), OK once the check passes again.
 */
class StockNfsScriptIT {
    private static final Path STOCK = Path.of("/usr/share/ctdb/events/legacy/60.nfs.script");

    @Test
    void nfsMonitorRunsWithATestCallout() throws Exception {
        TestEnvironment.require(NetnsCluster.unavailableReason());
        TestEnvironment.require(Files.isRegularFile(STOCK), "Debian's ctdb package is not installed");
        try (NetnsCluster c = NetnsCluster.create(
                "jnfs",
                Files.createTempDirectory("jctdb-nfs-"),
                null,
                1,
                1,
                Map.of("MonitorInterval", 1L, "JctdbTickleScanMs", 0L))) {
            Path node = c.nodeDir(0);
            Path flag = c.dir.resolve("testsvc.up");
            Path calls = c.dir.resolve("callout.log");
            install(node, c.dir, flag, calls);
            Files.createFile(flag);
            c.startAll();
            assertThat(waitFor(() -> status(c).equals("OK"), 60_000))
                    .as("OK: %s\n%s", status(c), c.log(0))
                    .isTrue();
            assertThat(Files.readString(calls))
                    .contains("startup")
                    .contains("monitor-pre")
                    .contains("monitor-post");

            // update_tickles: a client of port 2049 on the public address is filed with addtickle.
            String ip = c.publicIps().get(0);
            Process server = TcpSessionProbe.echoServer(c.nodeNs(0), 2049);
            try {
                String clientEnd;
                try (TcpSessionProbe client = TcpSessionProbe.start(c.clientNs(), ip, 2049, 0)) {
                    TcpSessionProbe.Event connected = null;
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (connected == null && System.nanoTime() < until) {
                        connected = client.first("connected", 0).orElse(null);
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                    }
                    assertThat(connected).as("client connected").isNotNull();
                    String[] end = connected.detail().split(":");
                    clientEnd = "|" + end[0] + "|" + end[1] + "|" + ip + "|2049|";
                    assertThat(waitFor(() -> tickles(c, ip).contains(clientEnd), 20_000))
                            .as("60.nfs filed the connection: %s\n%s", tickles(c, ip), c.log(0))
                            .isTrue();
                }
                assertThat(waitFor(() -> !tickles(c, ip).contains(clientEnd), 20_000))
                        .as("60.nfs removed the closed connection: %s", tickles(c, ip))
                        .isTrue();
            } finally {
                server.destroyForcibly();
            }

            // The service check fails: unhealthy at the 2nd failure, restarted at the 3rd.
            Files.delete(flag);
            assertThat(waitFor(() -> status(c).equals("UNHEALTHY"), 20_000))
                    .as("UNHEALTHY after unhealthy_after failures\n%s", c.log(0))
                    .isTrue();
            assertThat(waitFor(() -> status(c).equals("OK"), 20_000))
                    .as("OK after the restart at restart_every\n%s", c.log(0))
                    .isTrue();
            String log = Files.readString(calls);
            assertThat(log).contains("stop testsvc").contains("start testsvc");
            assertThat(c.log(0)).contains("monitoring service \"testsvc\" failed");
        }
    }

    private static void install(Path node, Path dir, Path flag, Path calls) throws IOException {
        Files.copy(Path.of("/etc/ctdb/functions"), node.resolve("functions"));
        Files.createSymbolicLink(node.resolve("events/legacy/60.nfs.script"), STOCK);
        Path share = Files.createDirectories(dir.resolve("export"));
        Path callout = dir.resolve("nfs-callout");
        Files.writeString(
                callout,
                String.join(
                        "\n",
                        "#!/bin/sh",
                        "# StockNfsScriptIT's NFS callout: logs each operation; \"start testsvc\" brings the service back.",
                        "echo \"$*\" >> " + calls,
                        "case \"$1\" in",
                        "register) ;;",
                        "monitor-list-shares) echo " + share + " ;;",
                        "start) touch " + flag + " ;;",
                        "esac",
                        "exit 0",
                        ""));
        Files.setPosixFilePermissions(callout, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path checks = Files.createDirectories(dir.resolve("nfs-checks.d"));
        Files.writeString(
                checks.resolve("10.testsvc.check"),
                String.join(
                        "\n",
                        "# testsvc: up while the flag file exists",
                        "unhealthy_after=2",
                        "restart_every=3",
                        "service_check_cmd=\"test -e " + flag + "\"",
                        "service_stop_cmd=\"$CTDB_NFS_CALLOUT stop testsvc\"",
                        "service_start_cmd=\"$CTDB_NFS_CALLOUT start testsvc\"",
                        ""));
        Files.writeString(
                node.resolve("script.options"),
                "CTDB_NFS_CALLOUT=" + callout + "\nCTDB_NFS_CHECKS_DIR=" + checks + "\n");
    }

    private static String tickles(NetnsCluster c, String ip) {
        try {
            return c.query(0, "-X", "gettickles", ip, "2049").stdout();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String status(NetnsCluster c) {
        try {
            for (String line : c.query(0, "status").stdout().split("\n")) {
                if (line.startsWith("pnn:0")) {
                    return line.contains("UNHEALTHY") ? "UNHEALTHY" : line.contains(" OK") ? "OK" : line;
                }
            }
        } catch (IOException e) {
            return e.toString();
        }
        return "";
    }

    private static boolean waitFor(BooleanSupplier condition, long limitMillis) {
        long until = System.nanoTime() + limitMillis * 1_000_000;
        while (System.nanoTime() < until) {
            if (condition.getAsBoolean()) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        return false;
    }
}

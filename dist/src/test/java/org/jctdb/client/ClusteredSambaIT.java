package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian's smbd with clustering = yes on a one-node jctdbd: it starts (it refuses to without a
 * working CTDB), serves a file, lists the session through a traverse, and writes the registry
 * (a persistent database) through TRANS3_COMMIT.
 */
class ClusteredSambaIT {
    private static LocalClusterHarness cluster;
    private static Path samba;
    private static Path conf;
    private static int port;
    private static Process smbd;

    @BeforeAll
    static void up() throws Exception {
        TestEnvironment.require(CtdbTool.missing("smbd", "smbclient", "smbstatus", "net", "ctdb"));
        TestEnvironment.require("root".equals(System.getProperty("user.name")), "smbd needs root");
        cluster = LocalClusterHarness.up(1);
        samba = cluster.dir.resolve("samba");
        Files.createDirectories(samba.resolve("share"));
        port = ThreadLocalRandom.current().nextInt(20000, 40000);
        conf = samba.resolve("smb.conf");
        Files.writeString(
                conf,
                SambaNodes.smbConf(
                        samba, samba.resolve("share"), "jctdbit", "lo", port, CtdbTool.socket(cluster.nodeDir(0))));
        smbd = new ProcessBuilder(SambaNodes.smbdCommand(conf))
                .redirectErrorStream(true)
                .redirectOutput(samba.resolve("smbd.out").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!listening(port)) {
            assertThat(smbd.isAlive())
                    .as("smbd exited:\n%s", Files.readString(samba.resolve("smbd.out")))
                    .isTrue();
            assertThat(System.nanoTime()).as("smbd did not listen within 60 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @AfterAll
    static void down() throws Exception {
        if (smbd != null) {
            List<ProcessHandle> all = new ArrayList<>(smbd.descendants().toList());
            smbd.destroy();
            smbd.waitFor(10, TimeUnit.SECONDS);
            all.forEach(ProcessHandle::destroyForcibly);
            smbd.destroyForcibly();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Result smbclient(String commands) throws Exception {
        return CtdbTool.run(
                List.of(
                        CtdbTool.find("smbclient").orElseThrow().toString(),
                        "-p",
                        String.valueOf(port),
                        "-N",
                        "//127.0.0.1/share",
                        "-c",
                        commands),
                Map.of(),
                null,
                60);
    }

    @Test
    void aFilePutToTheShareComesBackUnchanged() throws Exception {
        byte[] content = new byte[200_000];
        new Random(14).nextBytes(content);
        Path local = cluster.dir.resolve("put.bin");
        Path back = cluster.dir.resolve("got.bin");
        Files.write(local, content);
        Result r = smbclient("put " + local + " it.bin; get it.bin " + back);
        assertThat(r.exitCode()).as("smbclient: %s %s", r.stdout(), r.stderr()).isZero();
        assertThat(Files.readAllBytes(back)).isEqualTo(content);
        assertThat(Files.readAllBytes(samba.resolve("share/it.bin"))).isEqualTo(content);
    }

    @Test
    void smbstatusListsAConnectedSession() throws Exception {
        // A client that stays connected while smbstatus traverses the session database.
        ProcessBuilder pb = new ProcessBuilder(
                CtdbTool.find("smbclient").orElseThrow().toString(),
                "-p",
                String.valueOf(port),
                "-N",
                "//127.0.0.1/share");
        Process client = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true)
                .start();
        try {
            String status = "";
            for (int i = 0; i < 50 && !status.contains("127.0.0.1 (ipv4:127.0.0.1:"); i++) {
                Thread.sleep(200);
                status = CtdbTool.run(
                                List.of(CtdbTool.find("smbstatus").orElseThrow().toString(), "-s", conf.toString()),
                                Map.of(),
                                null,
                                30)
                        .stdout();
            }
            assertThat(status).contains("127.0.0.1 (ipv4:127.0.0.1:").contains("SMB3_11");
            assertThat(status).containsPattern("share\\s+\\d+:\\d+\\s+127\\.0\\.0\\.1");
        } finally {
            client.getOutputStream().close();
            client.destroy();
            client.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static long seqnum() throws Exception {
        Result r = CtdbTool.ctdb(cluster.nodeDir(0), "getdbseqnum", "registry.tdb");
        return r.exitCode() == 0 ? Long.decode(r.stdout().strip()) : 0; // not attached yet: nothing written
    }

    @Test
    void netConfWritesTheRegistryThroughAPersistentTransaction() throws Exception {
        String net = CtdbTool.find("net").orElseThrow().toString();
        long before = seqnum();
        Result set = CtdbTool.run(
                List.of(net, "-s", conf.toString(), "conf", "setparm", "share", "comment", "on jctdb"),
                Map.of(),
                null,
                60);
        assertThat(set.exitCode())
                .as("net conf setparm: %s %s", set.stdout(), set.stderr())
                .isZero();
        Result get = CtdbTool.run(
                List.of(net, "-s", conf.toString(), "conf", "getparm", "share", "comment"), Map.of(), null, 60);
        assertThat(get.stdout().strip()).isEqualTo("on jctdb");
        // The registry is persistent: the write went through TRANS3_COMMIT and moved its sequence number.
        assertThat(seqnum()).isGreaterThan(before);
        assertThat(CtdbTool.ctdb(cluster.nodeDir(0), "getdbmap").stdout())
                .contains("name:registry.tdb")
                .contains("name:locking.tdb")
                .contains("name:smbXsrv_session_global.tdb");
    }

    /**
     * winbindd with clustering = yes refuses to run without a ctdbd (it exits at once, "clustering=yes
     * but ctdbd connect failed"): alive after its start-up and attached to its persistent databases
     * here means it runs on jctdbd.
     */
    @Test
    void winbinddStartsOnTheClusteredDatabases() throws Exception {
        TestEnvironment.require(CtdbTool.missing("winbindd"));
        Path sock = samba.resolve("wbsock");
        Files.createDirectories(sock);
        Path wbConf = samba.resolve("winbindd.conf");
        Files.writeString(
                wbConf,
                Files.readString(conf).replace("[global]\n", "[global]\n\twinbindd socket directory = " + sock + "\n"));
        Process wb = new ProcessBuilder(
                        CtdbTool.find("winbindd").orElseThrow().toString(),
                        "-s",
                        wbConf.toString(),
                        "-F",
                        "--debug-stdout",
                        "-d",
                        "1")
                .redirectErrorStream(true)
                .redirectOutput(samba.resolve("winbindd.out").toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!cluster.query(0, "getdbmap").stdout().contains("name:secrets.tdb")) {
                assertThat(System.nanoTime())
                        .as("winbindd attached no database within 30 s")
                        .isLessThan(deadline);
                Thread.sleep(200);
            }
            Thread.sleep(3000);
            assertThat(wb.isAlive())
                    .as("winbindd exited:\n%s", Files.readString(samba.resolve("winbindd.out")))
                    .isTrue();
            assertThat(Files.readString(samba.resolve("winbindd.out"))).doesNotContain("ctdbd connect failed");
        } finally {
            List<ProcessHandle> all = new ArrayList<>(wb.descendants().toList());
            wb.destroy();
            if (!wb.waitFor(10, TimeUnit.SECONDS)) {
                wb.destroyForcibly();
            }
            all.forEach(ProcessHandle::destroyForcibly);
        }
    }
}

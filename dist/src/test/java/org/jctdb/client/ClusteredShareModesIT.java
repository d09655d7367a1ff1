package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One share served from two nodes of a three-node jctdbd cluster by Debian's smbd with clustering = yes
 * (SMB2 clients from Debian's python3-impacket): a deny-write open through node 0 makes a write open
 * through node 1 fail with STATUS_SHARING_VIOLATION until node 0's client closes; with clustering = no
 * the same pair of opens succeeds (the test can fail); node 0 killed with kill -9 while its client holds
 * the file: the recovery runs, node 1 serves the file and `ctdb catdb locking.tdb` agrees on the survivors.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusteredShareModesIT {
    private static LocalClusterHarness cluster;
    private static SambaNodes samba;

    /** smbd's address on node {@code pnn}: the node's address with 100 added to its last byte. */
    private static String smbAddress(int pnn) {
        String[] b = cluster.address(pnn).split("\\.");
        return b[0] + "." + b[1] + "." + b[2] + "." + (Integer.parseInt(b[3]) + 100);
    }

    @BeforeAll
    static void up() throws Exception {
        TestEnvironment.require(SambaNodes.missing());
        cluster = LocalClusterHarness.up(3);
        samba = new SambaNodes(
                cluster.dir.resolve("samba"), ThreadLocalRandom.current().nextInt(20000, 40000));
        samba.start(0, smbAddress(0), CtdbTool.socket(cluster.nodeDir(0)));
        samba.start(1, smbAddress(1), CtdbTool.socket(cluster.nodeDir(1)));
    }

    @AfterAll
    static void down() throws Exception {
        if (samba != null) {
            samba.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime())
                    .as("waited %d s for %s", seconds, what)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    @Order(1)
    void aDenyWriteOpenOnNode0BlocksAWriteOpenOnNode1UntilItCloses() throws Exception {
        Files.writeString(samba.share().resolve("deny.txt"), "shared file\n");
        try (SambaNodes.Holder h = samba.hold(smbAddress(0), "deny.txt")) {
            assertThat(samba.tryWrite(smbAddress(1), "deny.txt")).isEqualTo("SHARING_VIOLATION");
            assertThat(samba.tryWrite(smbAddress(0), "deny.txt")).isEqualTo("SHARING_VIOLATION");
        }
        assertThat(samba.tryWrite(smbAddress(1), "deny.txt")).isEqualTo("OK");
    }

    @Test
    @Order(2)
    void withoutClusteringTheSecondOpenSucceeds() throws Exception {
        // Two more smbds on the same directory, each with its own locking.tdb: nothing tells one about the other.
        Path dir = cluster.dir.resolve("samba-unclustered");
        try (SambaNodes plain = new SambaNodes(dir, samba.port)) {
            Files.writeString(plain.share().resolve("plain.txt"), "not clustered\n");
            String a = smbAddress(0).replaceAll("\\.\\d+$", ".201");
            String b = smbAddress(0).replaceAll("\\.\\d+$", ".202");
            plain.start(0, a, null);
            plain.start(1, b, null);
            try (SambaNodes.Holder h = plain.hold(a, "plain.txt")) {
                assertThat(plain.tryWrite(a, "plain.txt")).isEqualTo("SHARING_VIOLATION");
                assertThat(plain.tryWrite(b, "plain.txt")).isEqualTo("OK");
            }
        }
    }

    private static String catdbWithoutRsn(int pnn, String db) throws Exception {
        Result r = CtdbTool.ctdb(cluster.nodeDir(pnn), "catdb", db);
        assertThat(r.exitCode())
                .as("catdb %s on node %d: %s", db, pnn, r.stderr())
                .isZero();
        // The recovery leader stores its own pushed copies with rsn + 1 (as CTDB's store does); the rest is equal.
        return r.stdout().replaceAll("(?m)^rsn: \\d+$", "rsn: -");
    }

    @Test
    @Order(3)
    void smbtortureDenyAndLockAcrossTwoNodes() throws Exception {
        TestEnvironment.require(CtdbTool.missing("smbtorture"));
        List<String> uncs = List.of("//" + smbAddress(0) + "/share", "//" + smbAddress(1) + "/share");
        for (String test : List.of("smb2.deny.deny2", "smb2.lock")) {
            long t0 = System.nanoTime();
            Result r = samba.smbtorture(uncs, test, 600);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            Files.writeString(cluster.dir.resolve(test + ".out"), r.stdout() + r.stderr());
            System.out.printf("smbtorture %s on JCTDB: exit %d in %d ms%n", test, r.exitCode(), ms);
            assertThat(r.exitCode())
                    .as("smbtorture %s:%n%s%n%s", test, r.stdout(), r.stderr())
                    .isZero();
        }
    }

    @Test
    @Order(4)
    void node0KilledWhileItsClientHoldsTheFileTheOthersRecoverAndServeIt() throws Exception {
        Files.writeString(samba.share().resolve("held.txt"), "held by node 0\n");
        SambaNodes.Holder h = samba.hold(smbAddress(0), "held.txt");
        assertThat(samba.tryWrite(smbAddress(1), "held.txt")).isEqualTo("SHARING_VIOLATION");
        int recoveriesBefore = count(cluster.log(1), "databases thawed in generation");
        LocalClusterHarness.signal(cluster.pid(0), "KILL");
        await("node 0's smbd to exit with its daemon", 30, () -> !samba.smbd(0).isAlive());
        h.process().destroyForcibly();
        await("a recovery without node 0", 30, () -> {
            try {
                return count(cluster.log(1), "databases thawed in generation") > recoveriesBefore
                        && count(cluster.log(2), "databases thawed in generation") > 0
                        && catdbWithoutRsn(1, "locking.tdb").equals(catdbWithoutRsn(2, "locking.tdb"));
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(catdbWithoutRsn(1, "locking.tdb")).isEqualTo(catdbWithoutRsn(2, "locking.tdb"));
        assertThat(samba.tryWrite(smbAddress(1), "held.txt")).isEqualTo("OK");
        assertThat(Files.readString(samba.share().resolve("held.txt"))).isEqualTo("held by node 0\n");

        // After node 1's smbd wrote locking.tdb again, the next recovery makes the survivors agree again.
        int before = count(cluster.log(2), "databases thawed in generation");
        cluster.jctdb(1, "recover");
        cluster.jctdb(2, "recover");
        await("another recovery", 30, () -> {
            try {
                return count(cluster.log(2), "databases thawed in generation") > before;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(catdbWithoutRsn(1, "locking.tdb")).isEqualTo(catdbWithoutRsn(2, "locking.tdb"));
        assertThat(catdbWithoutRsn(1, "g_lock.tdb")).isEqualTo(catdbWithoutRsn(2, "g_lock.tdb"));
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}

package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jctdb.client.ClusterTraverseIT.jok;
import static org.jctdb.client.ClusterTraverseIT.ok;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.jctdb.cli.ctdb.CtdbClient;
import org.jctdb.cli.ctdb.CtdbDatabases;
import org.jctdb.protocol.ctdb.ControlData;
import org.jctdb.protocol.ctdb.ControlOpcode;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyControl;
import org.jctdb.protocol.ctdb.CtdbWire;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sequence-number propagation and vacuuming on three jctdbd nodes, with Debian's `ctdb` and `tdbdump` as
 * clients: a write on one node moves the TDB change counter of the other nodes' files within the
 * SeqnumInterval (CTDB's UPDATE_SEQNUM), and records deleted with `ctdb deletekey` / `jctdb deletekey`
 * leave every node's file after the VacuumInterval (1 s here), while one written again meanwhile stays.
 */
class VolatileMaintenanceIT {
    private static LocalClusterHarness cluster;

    @BeforeAll
    static void up() throws Exception {
        TestEnvironment.require(CtdbTool.missing("ctdb", "tdbdump"));
        cluster = LocalClusterHarness.up(3, "VacuumInterval=1");
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void await(String what, int seconds, Callable<Boolean> condition) {
        Awaitility.await(what)
                .atMost(Duration.ofSeconds(seconds))
                .pollInterval(Duration.ofMillis(100))
                .until(condition);
    }

    /** libtdb's change counter: the header's sequence_number, a native-order u32 at offset 48. */
    private static long tdbSeqnum(Path file) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] b = new byte[4];
            f.seek(48);
            f.readFully(b);
            return java.nio.ByteBuffer.wrap(b).order(CtdbWire.ORDER).getInt() & 0xffffffffL;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path file(int pnn, String db) {
        return cluster.nodeDir(pnn).resolve("var/volatile/" + db + "." + pnn);
    }

    /** tdbdump's records of the file whose key starts with {@code prefix}. */
    private static long records(int pnn, String db, String prefix) {
        try {
            var r = CtdbTool.run(
                    List.of(
                            CtdbTool.find("tdbdump").orElseThrow().toString(),
                            file(pnn, db).toString()),
                    Map.of(),
                    null,
                    30);
            return r.stdout()
                    .lines()
                    .filter(l -> l.startsWith("key(") && l.contains("= \"" + prefix))
                    .count();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aWriteOnOneNodeMovesTheSequenceNumberOfEveryNode() throws Exception {
        Path n0 = cluster.nodeDir(0);
        ok(n0, "attach", "it_seq.tdb");
        for (int pnn = 0; pnn < 3; pnn++) {
            // what smbd does for locking.tdb and brlock.tdb: ENABLE_SEQNUM on its node
            try (CtdbClient c = CtdbClient.connect(CtdbTool.socket(cluster.nodeDir(pnn)), 10_000)) {
                int id = new CtdbDatabases(c).find("it_seq.tdb").orElseThrow().id();
                ReplyControl r =
                        c.control(CtdbWire.CURRENT_NODE, ControlOpcode.ENABLE_SEQNUM, 0, 0, ControlData.u32(id));
                assertThat(r.status()).isZero();
            }
        }
        // the first write migrates the record here (and may store on its lmaster); the second touches node 0 only
        ok(n0, "writekey", "it_seq.tdb", "k", "one");
        Thread.sleep(2500); // two SeqnumIntervals: every earlier change has been propagated
        long[] before = {
            tdbSeqnum(file(0, "it_seq.tdb")), tdbSeqnum(file(1, "it_seq.tdb")), tdbSeqnum(file(2, "it_seq.tdb"))
        };
        ok(n0, "writekey", "it_seq.tdb", "k", "two");
        assertThat(tdbSeqnum(file(0, "it_seq.tdb")))
                .as("the tool's own write moved node 0's counter")
                .isGreaterThan(before[0]);
        for (int pnn = 1; pnn < 3; pnn++) {
            int p = pnn;
            await("node " + pnn + "'s counter to move", 5, () -> tdbSeqnum(file(p, "it_seq.tdb")) > before[p]);
        }
    }

    @Test
    void deletedRecordsAreVacuumedFromEveryNodeButARewrittenOneStays() throws Exception {
        Path n0 = cluster.nodeDir(0);
        ok(n0, "attach", "it_vac.tdb");
        int n = 30;
        for (int i = 0; i < n; i++) {
            ok(n0, "writekey", "it_vac.tdb", "vac" + i, "value" + i);
        }
        assertThat(records(0, "it_vac.tdb", "vac")).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            if (i % 2 == 0) {
                ok(n0, "deletekey", "it_vac.tdb", "vac" + i); // Debian's tool: empties it, SCHEDULE_FOR_DELETION
            } else {
                jok(cluster, 0, "deletekey", "it_vac.tdb", "vac" + i);
            }
        }
        // written again on node 1 right after its deletion: the vacuum must leave it
        ok(cluster.nodeDir(1), "writekey", "it_vac.tdb", "vac7", "back");
        await("every node's file to lose the deleted records", 60, () -> {
            for (int pnn = 0; pnn < 3; pnn++) {
                // stale copies of vac7 (data master now node 1) may stay, as under CTDB: not empty, not theirs
                if (records(pnn, "it_vac.tdb", "vac") - records(pnn, "it_vac.tdb", "vac7") > 0) {
                    return false;
                }
            }
            return true;
        });
        String dump = ok(cluster.nodeDir(2), "catdb", "it_vac.tdb").stdout();
        assertThat(dump)
                .contains("key(4) = \"vac7\"")
                .contains("data(4) = \"back\"")
                .contains("Dumped 1 records");
        assertThat(records(1, "it_vac.tdb", "vac7")).isEqualTo(1);
        assertThat(cluster.log(0) + cluster.log(1) + cluster.log(2)).contains("emptied records deleted");
    }
}

package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian's `ctdb` tool (CTDB 4.17) against a one-node jctdbd through CTDB_SOCKET: the commands an
 * administrator of a Samba cluster uses, and tdbdump reading the same records from the files.
 */
class CtdbToolIT {
    private static LocalClusterHarness cluster;
    private static Path node;

    @BeforeAll
    static void up() throws Exception {
        TestEnvironment.require(CtdbTool.missing("ctdb", "tdbdump"));
        cluster = LocalClusterHarness.up(1);
        node = cluster.nodeDir(0);
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Result ok(String... args) throws Exception {
        Result r = CtdbTool.ctdb(node, args);
        assertThat(r.exitCode())
                .as("ctdb %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.stdout(), r.stderr())
                .isZero();
        return r;
    }

    private static String tdbdump(Path file) throws Exception {
        Result r = CtdbTool.run(
                List.of(CtdbTool.find("tdbdump").orElseThrow().toString(), file.toString()), Map.of(), null, 30);
        assertThat(r.exitCode()).as("tdbdump %s: %s", file, r.stderr()).isZero();
        return r.stdout();
    }

    @Test
    void statusPnnAndListnodes() throws Exception {
        assertThat(ok("pnn").stdout().strip()).isEqualTo("0");
        String status = ok("status").stdout();
        assertThat(status)
                .contains("Number of nodes:1")
                .contains("OK (THIS NODE)")
                .contains("Recovery mode:NORMAL (0)")
                .contains("Leader:0");
        assertThat(ok("listnodes").stdout().strip()).isEqualTo(cluster.address(0));
    }

    @Test
    void volatileDatabaseWriteReadCatdbAndTdbdump() throws Exception {
        ok("attach", "it_volatile.tdb");
        assertThat(ok("getdbmap").stdout())
                .contains("name:it_volatile.tdb path:" + node.resolve("var/volatile/it_volatile.tdb.0"));
        ok("writekey", "it_volatile.tdb", "vkey", "vvalue");
        assertThat(ok("readkey", "it_volatile.tdb", "vkey").stdout()).contains("Data: size:6 ptr:[vvalue]");
        String catdb = ok("catdb", "it_volatile.tdb").stdout();
        assertThat(catdb)
                .contains("key(4) = \"vkey\"")
                .contains("dmaster: 0")
                .contains("data(6) = \"vvalue\"")
                .contains("Dumped 1 records");
        String dump = tdbdump(node.resolve("var/volatile/it_volatile.tdb.0"));
        assertThat(dump).contains("key(4) = \"vkey\"").contains("vvalue");
    }

    @Test
    void persistentStoreFetchTransactionsAndSequenceNumber() throws Exception {
        ok("attach", "it_persistent.tdb", "persistent");
        assertThat(ok("getdbmap").stdout()).contains("name:it_persistent.tdb").contains("PERSISTENT");
        ok("pstore", "it_persistent.tdb", "pkey", "pvalue");
        assertThat(ok("pfetch", "it_persistent.tdb", "pkey").stdout().strip()).isEqualTo("pvalue");
        Result t = CtdbTool.ctdbWithInput(
                node, "\"tkey1\" \"tvalue1\"\n\"tkey2\" \"tvalue2\"\n", "ptrans", "it_persistent.tdb");
        assertThat(t.exitCode()).as("ptrans: %s %s", t.stdout(), t.stderr()).isZero();
        assertThat(ok("pfetch", "it_persistent.tdb", "tkey2").stdout().strip()).isEqualTo("tvalue2");
        assertThat(ok("getdbseqnum", "it_persistent.tdb").stdout().strip()).isEqualTo("0x2");
        String catdb = ok("catdb", "it_persistent.tdb").stdout();
        assertThat(catdb)
                .contains("key(23) = \"__db_sequence_number__\\00\"")
                .contains("data(6) = \"pvalue\"")
                .contains("data(7) = \"tvalue1\"")
                .contains("Dumped 4 records");
        String dump = tdbdump(node.resolve("var/persistent/it_persistent.tdb.0"));
        assertThat(dump)
                .contains("key(4) = \"pkey\"")
                .contains("pvalue")
                .contains("key(5) = \"tkey1\"")
                .contains("tvalue1")
                .contains("tvalue2")
                .contains("__db_sequence_number__");
    }

    @Test
    void otherCommandsTheToolOffers() throws Exception {
        assertThat(ok("getcapabilities").stdout()).contains("LEADER: YES").contains("LMASTER: YES");
        assertThat(ok("uptime").stdout()).contains("Ctdbd start time");
        assertThat(ok("getvar", "RecoverInterval").stdout()).contains("RecoverInterval");
        ok("ip");
        // a pid that is no client: CTDB's answer is "does not exist"
        Result r = CtdbTool.ctdb(node, "process-exists", "1");
        assertThat(r.stdout() + r.stderr()).contains("PID 1 does not exist");
        // a node that does not exist fails at once instead of hanging
        Result bad = CtdbTool.ctdb(node, "-n", "5", "getcapabilities");
        assertThat(bad.exitCode()).isNotZero();
        // the daemon is still there
        assertThat(ok("pnn").stdout().strip()).isEqualTo("0");
    }

    /** SET_TUNABLE on the CTDB socket: ctdb setvar works against jctdbd, with ctdbd's answers. */
    @Test
    void setvarThroughTheCtdbSocket() throws Exception {
        ok("setvar", "IPAllocAlgorithm", "1");
        String got = ok("getvar", "IPAllocAlgorithm").stdout();
        assertThat(got.replaceAll("\\s+", " ").strip()).isEqualTo("IPAllocAlgorithm = 1");
        assertThat(cluster.jctdb(0, "getvar", "IPAllocAlgorithm").stdout()).isEqualTo(got);
        // ctdb checks the name against LIST_TUNABLES, which lists no obsolete tunable (as ctdbd's).
        Result obsolete = CtdbTool.ctdb(node, "setvar", "DeterministicIPs", "1");
        assertThat(obsolete.exitCode()).isEqualTo(1);
        assertThat(obsolete.stdout()).contains("No such tunable DeterministicIPs");
        // The daemon's rules hold whichever tool sets the value: nothing changes.
        Result broken = CtdbTool.ctdb(node, "setvar", "IPAllocAlgorithm", "7");
        assertThat(broken.exitCode()).as(broken.stderr()).isNotZero();
        assertThat(ok("getvar", "IPAllocAlgorithm").stdout()).isEqualTo(got);
        assertThat(CtdbTool.ctdb(node, "setvar", "NoSuchTunable", "1").exitCode())
                .isNotZero();
        ok("setvar", "IPAllocAlgorithm", "2");
    }
}

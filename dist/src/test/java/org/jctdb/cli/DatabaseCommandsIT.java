package org.jctdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `jctdb` database commands against Debian's `ctdb` (CTDB 4.17) on the same jctdbd: the same
 * command line through bin/jctdb and through ctdb (CTDB_BASE = the node's directory, CTDB_SOCKET =
 * its CTDB client socket) must print the same standard output and exit with the same code. Commands
 * that change a database run once per tool on two databases that start alike, and the databases must
 * then read the same.
 */
class DatabaseCommandsIT {
    private static LocalClusterHarness cluster;
    private static Path node;

    @BeforeAll
    static void up() throws Exception {
        TestEnvironment.require(missingCtdb());
        cluster = LocalClusterHarness.up(1);
        node = cluster.nodeDir(0);
        // No vacuum pass: cattdb must still show a deleted record, and two dbstatistics reads must
        // agree; on a loaded machine a test can outlast VacuumInterval (10 s). jctdb sets it, as
        // the CTDB socket does not answer SET_TUNABLE.
        ok(jctdb(node, null, "setvar", "VacuumInterval", "0"), "setvar VacuumInterval 0");
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Optional<String> missingCtdb() {
        return Files.isExecutable(Path.of("/usr/bin/ctdb"))
                ? Optional.empty()
                : Optional.of("Debian's ctdb tool is not installed (apt-get install ctdb)");
    }

    /** Debian's ctdb against the node's CTDB client socket. */
    static Result ctdb(Path nodeDir, String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ctdb"));
        cmd.addAll(List.of(args));
        return exec(cmd, nodeDir, nodeDir.resolve("run/ctdbd.socket").toString(), stdin);
    }

    /** bin/jctdb with CTDB_BASE = the node (its own control socket, found from CTDB_BASE). */
    static Result jctdb(Path nodeDir, String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(
                List.of(LocalClusterHarness.home().resolve("bin/jctdb").toString()));
        cmd.addAll(List.of(args));
        return exec(cmd, nodeDir, null, stdin);
    }

    private static Result exec(List<String> cmd, Path base, String socket, String stdin)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("CTDB_SOCKET");
        pb.environment().put("CTDB_BASE", base.toString());
        if (socket != null) {
            pb.environment().put("CTDB_SOCKET", socket);
        }
        Path out = Files.createTempFile("dbcmd-out", ".txt");
        Path err = Files.createTempFile("dbcmd-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Path in = null;
        if (stdin != null) {
            in = Files.createTempFile("dbcmd-in", ".txt");
            Files.writeString(in, stdin);
            pb.redirectInput(in.toFile());
        } else {
            pb.redirectInput(Path.of("/dev/null").toFile());
        }
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd + " did not finish within 60 s");
        }
        Result r = new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        if (in != null) {
            Files.deleteIfExists(in);
        }
        return r;
    }

    /** Runs the same command with both tools and asserts the same stdout and exit code; jctdb's result. */
    private static Result same(String... args) throws Exception {
        return sameWithInput(null, args);
    }

    private static Result sameWithInput(String stdin, String... args) throws Exception {
        Result c = ctdb(node, stdin, args);
        Result j = jctdb(node, stdin, args);
        String what = String.join(" ", args);
        assertThat(j.stdout())
                .as("stdout of %s (ctdb stderr: %s; jctdb stderr: %s)", what, c.stderr(), j.stderr())
                .isEqualTo(c.stdout());
        assertThat(j.exitCode())
                .as("exit code of %s (ctdb stderr: %s; jctdb stderr: %s)", what, c.stderr(), j.stderr())
                .isEqualTo(c.exitCode());
        return j;
    }

    private static Result ok(Result r, String what) {
        assertThat(r.exitCode()).as("%s: %s %s", what, r.stdout(), r.stderr()).isZero();
        return r;
    }

    @Test
    void readCommandsPrintWhatCtdbPrints() throws Exception {
        ok(ctdb(node, null, "attach", "rd_volatile.tdb"), "attach");
        ok(ctdb(node, null, "attach", "rd_persistent.tdb", "persistent"), "attach");
        ok(ctdb(node, null, "attach", "rd_replicated.tdb", "replicated"), "attach");
        ok(ctdb(node, null, "writekey", "rd_volatile.tdb", "k1", "hello"), "writekey");
        ok(ctdb(node, null, "writekey", "rd_volatile.tdb", "0x6b32", "0x00ff41225c"), "writekey");
        ok(ctdb(node, null, "pstore", "rd_persistent.tdb", "pk", "pvalue"), "pstore");
        ok(ctdb(node, null, "deletekey", "rd_volatile.tdb", "k1"), "deletekey");

        assertThat(same("getdbmap").stdout()).contains("name:rd_persistent.tdb").contains("REPLICATED");
        assertThat(same("-X", "getdbmap").stdout()).startsWith("|ID|Name|Path|");
        same("-Y", "getdbmap");
        same("-X", "-x", ",", "getdbmap");
        for (String db : List.of("rd_volatile.tdb", "rd_persistent.tdb", "rd_replicated.tdb")) {
            same("getdbstatus", db);
            same("getdbseqnum", db);
            same("catdb", db);
            same("cattdb", db);
        }
        assertThat(same("catdb", "rd_volatile.tdb").stdout()).contains("data(5) = \"\\00\\FFA\\22\\5C\"");
        assertThat(same("cattdb", "rd_volatile.tdb").stdout())
                .contains("key(2) = \"k1\"")
                .contains("record(s)");
        String id = same("-X", "getdbmap")
                .stdout()
                .lines()
                .filter(l -> l.contains("|rd_persistent.tdb|"))
                .findFirst()
                .orElseThrow()
                .split("\\|")[1];
        same("getdbstatus", "0x" + id.substring(2).toLowerCase());
        same("readkey", "rd_volatile.tdb", "0x6b32");
        same("readkey", "rd_volatile.tdb", "k1");
        same("readkey", "rd_volatile.tdb", "never-written");
        same("pfetch", "rd_persistent.tdb", "pk");
        same("pfetch", "rd_persistent.tdb", "missing");
        assertThat(same("getdbseqnum", "rd_persistent.tdb").stdout()).isEqualTo("0x1\n");
    }

    @Test
    void refusalsExitAsCtdbDoes() throws Exception {
        ok(ctdb(node, null, "attach", "rf_volatile.tdb"), "attach");
        ok(ctdb(node, null, "attach", "rf_persistent.tdb", "persistent"), "attach");
        same("getdbstatus", "no_such.tdb");
        same("catdb", "no_such.tdb");
        same("getdbseqnum", "0x12345678");
        same("readkey", "rf_persistent.tdb", "k");
        same("readkey", "rf_volatile.tdb", "0x123");
        same("readkey", "rf_volatile.tdb", "0xzz");
        same("pfetch", "rf_volatile.tdb", "k");
        same("pstore", "rf_volatile.tdb", "k", "v");
        same("pdelete", "rf_volatile.tdb", "k");
        same("pstore", "rf_persistent.tdb", "k", "0x1");
        sameWithInput("\"a\" \"b\"\n", "ptrans", "rf_volatile.tdb");
    }

    /** A command that changes a database: ctdb on one, jctdb on a twin; same output, same contents after. */
    private static void twin(String ctdbDb, String jctdbDb, String stdin, String... args) throws Exception {
        List<String> c = new ArrayList<>(List.of(args));
        List<String> j = new ArrayList<>(List.of(args));
        c.set(1, ctdbDb);
        j.set(1, jctdbDb);
        Result rc = ctdb(node, stdin, c.toArray(new String[0]));
        Result rj = jctdb(node, stdin, j.toArray(new String[0]));
        assertThat(rj.stdout())
                .as("stdout of %s (%s / %s)", j, rc.stderr(), rj.stderr())
                .isEqualTo(rc.stdout());
        assertThat(rj.stderr()).as("stderr of %s", j).isEqualTo(rc.stderr());
        assertThat(rj.exitCode())
                .as("exit code of %s (%s / %s)", j, rc.stderr(), rj.stderr())
                .isEqualTo(rc.exitCode());
        assertThat(ok(jctdb(node, null, "catdb", jctdbDb), "catdb").stdout())
                .isEqualTo(ok(ctdb(node, null, "catdb", ctdbDb), "catdb").stdout());
        assertThat(ok(jctdb(node, null, "getdbseqnum", jctdbDb), "getdbseqnum").stdout())
                .isEqualTo(ok(ctdb(node, null, "getdbseqnum", ctdbDb), "getdbseqnum")
                        .stdout());
    }

    @Test
    void persistentWritesLeaveWhatCtdbsLeave() throws Exception {
        for (String db : List.of("wc_persistent.tdb", "wj_persistent.tdb")) {
            ok(ctdb(node, null, "attach", db, "persistent"), "attach");
        }
        twin("wc_persistent.tdb", "wj_persistent.tdb", null, "pstore", "DB", "k1", "v1");
        twin("wc_persistent.tdb", "wj_persistent.tdb", null, "pstore", "DB", "k1", "v1");
        twin("wc_persistent.tdb", "wj_persistent.tdb", null, "pstore", "DB", "0x6b32", "0x00ff");
        twin("wc_persistent.tdb", "wj_persistent.tdb", null, "pstore", "DB", "k3", "/etc/hostname");
        twin("wc_persistent.tdb", "wj_persistent.tdb", null, "pdelete", "DB", "k1");
        twin("wc_persistent.tdb", "wj_persistent.tdb", null, "pdelete", "DB", "never-there");
        twin(
                "wc_persistent.tdb",
                "wj_persistent.tdb",
                "\"a\" \"1\"\n\"b\" \"2\"\nbad line\n\"k3\" \"\"\n\"d\"\n\"0x6565\" \"x\"\n\"f\n\t \"g\"\t\"h\"\n",
                "ptrans",
                "DB");
        twin("wc_persistent.tdb", "wj_persistent.tdb", "", "ptrans", "DB");
        same("pfetch", "wc_persistent.tdb", "k3");
        assertThat(same("pfetch", "wc_persistent.tdb", "a").stdout()).isEqualTo("1\n");
    }

    @Test
    void volatileWritesLeaveWhatCtdbsLeave() throws Exception {
        for (String db : List.of("wc_volatile.tdb", "wj_volatile.tdb")) {
            ok(ctdb(node, null, "attach", db), "attach");
        }
        twin("wc_volatile.tdb", "wj_volatile.tdb", null, "writekey", "DB", "k1", "v1");
        twin("wc_volatile.tdb", "wj_volatile.tdb", null, "writekey", "DB", "k1", "v1"); // same value: no write
        twin("wc_volatile.tdb", "wj_volatile.tdb", null, "writekey", "DB", "k1", "v2");
        twin("wc_volatile.tdb", "wj_volatile.tdb", null, "writekey", "DB", "0x6b32", "0x00ff");
        twin("wc_volatile.tdb", "wj_volatile.tdb", null, "deletekey", "DB", "k1");
        twin("wc_volatile.tdb", "wj_volatile.tdb", null, "deletekey", "DB", "never-there");
        twin("wc_volatile.tdb", "wj_volatile.tdb", null, "writekey", "DB", "0xzz", "v");
        same("readkey", "wj_volatile.tdb", "0x6b32");
        same("readkey", "wj_volatile.tdb", "k1");
        ok(ctdb(node, null, "attach", "wk_persistent.tdb", "persistent"), "attach");
        same("writekey", "wk_persistent.tdb", "k", "v");
        same("deletekey", "wk_persistent.tdb", "k");
        same("writekey", "no_such.tdb", "k", "v");
    }

    @Test
    void backupsAreCtdbsFormatAndRestoreWithATransaction() throws Exception {
        ok(ctdb(node, null, "attach", "bk_persistent.tdb", "persistent"), "attach");
        ok(ctdb(node, null, "pstore", "bk_persistent.tdb", "a", "1"), "pstore");
        ok(ctdb(node, null, "pstore", "bk_persistent.tdb", "0x00", "0x0102"), "pstore");
        ok(ctdb(node, null, "pdelete", "bk_persistent.tdb", "a"), "pdelete");
        ok(ctdb(node, null, "pstore", "bk_persistent.tdb", "b", "2"), "pstore");
        Path dir = Files.createTempDirectory("dbcmd-backup");
        Path theirs = dir.resolve("ctdb.bak");
        Path ours = dir.resolve("jctdb.bak");
        Result c = ok(ctdb(node, null, "backupdb", "bk_persistent.tdb", theirs.toString()), "ctdb backupdb");
        Result j = ok(jctdb(node, null, "backupdb", "bk_persistent.tdb", ours.toString()), "jctdb backupdb");
        assertThat(j.stdout()).isEqualTo(c.stdout().replace(theirs.toString(), ours.toString()));
        // ctdb reads our file as its own: the same records, the same header but for the time stamp.
        String dumpTheirs = ok(ctdb(node, null, "dumpdbbackup", theirs.toString()), "dumpdbbackup")
                .stdout();
        String dumpOurs = ok(ctdb(node, null, "dumpdbbackup", ours.toString()), "dumpdbbackup")
                .stdout();
        assertThat(withoutFirstLine(dumpOurs))
                .isEqualTo(withoutFirstLine(dumpTheirs))
                .contains("Dumped 4 record(s)");
        assertThat(dumpOurs.lines().findFirst().orElseThrow())
                .startsWith("Dumping database bk_persistent.tdb from backup @ ");
        assertThat(same("dumpdbbackup", theirs.toString()).stdout()).isEqualTo(dumpTheirs);
        same("dumpdbbackup", ours.toString());
        same("dumpdbbackup", dir.resolve("missing.bak").toString());

        String before =
                ok(ctdb(node, null, "catdb", "bk_persistent.tdb"), "catdb").stdout();
        Result wipe = ok(jctdb(node, null, "wipedb", "bk_persistent.tdb"), "wipedb");
        assertThat(wipe.stdout()).isEmpty();
        assertThat(ok(ctdb(node, null, "catdb", "bk_persistent.tdb"), "catdb").stdout())
                .doesNotContain("key(1) = \"b\"")
                .contains("Dumped 1 records");
        // ctdb's own backup file restored by jctdb, into the same and into a new database.
        Result restored = ok(jctdb(node, null, "restoredb", theirs.toString()), "restoredb");
        assertThat(restored.stdout())
                .startsWith("Restoring database bk_persistent.tdb from backup @ ")
                .endsWith("Database bk_persistent.tdb restored\n");
        assertThat(values(ok(ctdb(node, null, "catdb", "bk_persistent.tdb"), "catdb")
                        .stdout()))
                .isEqualTo(values(before));
        ok(jctdb(node, null, "restoredb", ours.toString(), "bk_copy.tdb"), "restoredb into a new database");
        assertThat(same("getdbstatus", "bk_copy.tdb").stdout()).contains("PERSISTENT: yes");
        assertThat(same("pfetch", "bk_copy.tdb", "b").stdout()).isEqualTo("2\n");
        assertThat(same("pfetch", "bk_copy.tdb", "a").stdout()).isEqualTo("\n");
        Files.delete(theirs);
        Files.delete(ours);
        Files.delete(dir);
    }

    /**
     * dbstatistics reads GET_DB_STATISTICS in ctdb's layout (hop buckets, hot keys) and detach is
     * refused while clients may attach, then detaches through either tool.
     */
    @Test
    void dbstatisticsAndDetachAnswerAsCtdbDoes() throws Exception {
        try {
            ok(ctdb(node, null, "attach", "st_volatile.tdb"), "attach");
            ok(ctdb(node, null, "attach", "st_other.tdb"), "attach");
            ok(ctdb(node, null, "attach", "st_persistent.tdb", "persistent"), "attach");
            ok(ctdb(node, null, "writekey", "st_volatile.tdb", "k1", "v"), "writekey");
            String stats = same("dbstatistics", "st_volatile.tdb").stdout();
            assertThat(stats)
                    .startsWith("DB Statistics st_volatile.tdb\n")
                    .contains(" Num Hot Keys:     10\n")
                    .contains(" hop_count_buckets: ");
            same("dbstatistics", "no_such.tdb");
            same("detach", "st_volatile.tdb");
            ok(jctdb(node, null, "setvar", "AllowClientDBAttach", "0"), "setvar");
            same("detach", "st_persistent.tdb");
            ok(ctdb(node, null, "detach", "st_volatile.tdb"), "ctdb detach");
            ok(jctdb(node, null, "detach", "st_other.tdb"), "jctdb detach");
            assertThat(same("getdbmap").stdout())
                    .doesNotContain("st_volatile.tdb")
                    .doesNotContain("st_other.tdb")
                    .contains("st_persistent.tdb");
        } finally {
            ok(jctdb(node, null, "setvar", "AllowClientDBAttach", "1"), "setvar");
        }
    }

    /** Persistent commands on three nodes: a write through jctdb on one node reads the same on every node, through both tools. */
    @Test
    void persistentCommandsAgreeAcrossThreeNodes() throws Exception {
        try (LocalClusterHarness three = LocalClusterHarness.up(3)) {
            Path n0 = three.nodeDir(0);
            Path n1 = three.nodeDir(1);
            Path n2 = three.nodeDir(2);
            ok(jctdb(n0, null, "attach", "tn_persistent.tdb", "persistent"), "attach");
            ok(jctdb(n1, null, "pstore", "tn_persistent.tdb", "from1", "jctdb"), "jctdb pstore on node 1");
            // Not ctdb's pstore: it takes g_lock.tdb, a volatile database that jctdbd refuses while more
            // than one node is active (until volatile records migrate); jctdb's transaction needs none.
            ok(jctdb(n2, null, "pstore", "tn_persistent.tdb", "from2", "ctdb"), "jctdb pstore on node 2");
            ok(jctdb(n0, "\"t1\" \"v1\"\n\"from2\" \"\"\n", "ptrans", "tn_persistent.tdb"), "jctdb ptrans on node 0");
            for (Path n : List.of(n0, n1, n2)) {
                // ctdb's pfetch also starts a transaction (g_lock.tdb): compared on one node only, above.
                for (String[] args : List.of(
                        new String[] {"getdbseqnum", "tn_persistent.tdb"},
                        new String[] {"catdb", "tn_persistent.tdb"},
                        new String[] {"getdbstatus", "tn_persistent.tdb"})) {
                    Result c = ctdb(n, null, args);
                    Result j = jctdb(n, null, args);
                    assertThat(j.stdout()).as("%s on %s", List.of(args), n).isEqualTo(c.stdout());
                    assertThat(j.exitCode()).isEqualTo(c.exitCode());
                }
                assertThat(ok(jctdb(n, null, "pfetch", "tn_persistent.tdb", "from1"), "pfetch")
                                .stdout())
                        .isEqualTo("jctdb\n");
                assertThat(ok(jctdb(n, null, "pfetch", "tn_persistent.tdb", "from2"), "pfetch")
                                .stdout())
                        .isEqualTo("\n");
                assertThat(ok(jctdb(n, null, "pfetch", "tn_persistent.tdb", "t1"), "pfetch")
                                .stdout())
                        .isEqualTo("v1\n");
                assertThat(ok(jctdb(n, null, "getdbseqnum", "tn_persistent.tdb"), "seqnum")
                                .stdout())
                        .isEqualTo("0x3\n");
            }
        }
    }

    private static String withoutFirstLine(String s) {
        return s.substring(s.indexOf('\n') + 1);
    }

    /** catdb's keys and values without headers (a restore raises rsns). */
    private static List<String> values(String catdb) {
        List<String> out = new ArrayList<>();
        for (String block : catdb.split("\n\n")) {
            if (!block.contains("__db_sequence_number__")) {
                block.lines()
                        .filter(l -> l.startsWith("key(") || l.startsWith("data("))
                        .forEach(out::add);
            }
        }
        return out;
    }
}

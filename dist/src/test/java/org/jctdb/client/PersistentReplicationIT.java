package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Three jctdbd nodes: a persistent write through node 0 with Debian's ctdb tool is on nodes 1
 * and 2 when the tool returns; a node killed with kill -9 misses a write and gets it from the
 * database recovery that runs when it comes back; `ctdb catdb` then agrees on every node. The
 * tool's g_lock (a volatile database) is taken from nodes 0 and 1 in turn: its record migrates.
 */
class PersistentReplicationIT {

    private static Result ok(Path node, String... args) throws Exception {
        Result r = CtdbTool.ctdb(node, args);
        assertThat(r.exitCode())
                .as("ctdb %s on %s\nstdout: %s\nstderr: %s", String.join(" ", args), node, r.stdout(), r.stderr())
                .isZero();
        return r;
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

    private static String catdb(Path node, String db) {
        try {
            return CtdbTool.ctdb(node, "catdb", db).stdout();
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void persistentWritesReachEveryActiveNodeAndARestartedNodeCatchesUp() throws Exception {
        TestEnvironment.require(CtdbTool.missing("ctdb", "tdbdump"));
        try (LocalClusterHarness cluster = LocalClusterHarness.up(3)) {
            Path n0 = cluster.nodeDir(0);
            Path n1 = cluster.nodeDir(1);
            Path n2 = cluster.nodeDir(2);

            ok(n0, "attach", "it_repl.tdb", "persistent"); // attaches it on every active node
            ok(n0, "pstore", "it_repl.tdb", "key1", "value1");
            Result t = CtdbTool.ctdbWithInput(n0, "\"key2\" \"value2\"\n", "ptrans", "it_repl.tdb");
            assertThat(t.exitCode()).as("ptrans: %s %s", t.stdout(), t.stderr()).isZero();
            for (Path n : List.of(n1, n2)) {
                String dump = catdb(n, "it_repl.tdb");
                assertThat(dump)
                        .as("catdb on %s", n)
                        .contains("data(6) = \"value1\"")
                        .contains("data(6) = \"value2\"");
                assertThat(ok(n, "getdbseqnum", "it_repl.tdb").stdout().strip()).isEqualTo("0x2");
            }

            long pid2 = cluster.pid(2);
            LocalClusterHarness.signal(pid2, "KILL");
            await("node 0 to see node 2 gone", 30, () -> "1".equals(cluster.flag(0, 2, "Disconnected")));
            ok(n0, "pstore", "it_repl.tdb", "key3", "value3");
            ok(n1, "pstore", "it_repl.tdb", "key4", "value4"); // the g_lock record moves from node 0 to node 1
            assertThat(catdb(n1, "it_repl.tdb")).contains("data(6) = \"value3\"");
            assertThat(catdb(n0, "it_repl.tdb")).contains("data(6) = \"value4\"");

            assertThat(cluster.startNode(2).exitCode()).isZero();
            await("node 2 to catch up", 60, () -> catdb(n2, "it_repl.tdb").contains("data(6) = \"value4\""));
            assertThat(ok(n2, "getdbseqnum", "it_repl.tdb").stdout().strip()).isEqualTo("0x4");
            Result dump = CtdbTool.run(
                    List.of(
                            CtdbTool.find("tdbdump").orElseThrow().toString(),
                            n2.resolve("var/persistent/it_repl.tdb.2").toString()),
                    Map.of(),
                    null,
                    30);
            assertThat(dump.stdout())
                    .contains("value1")
                    .contains("value2")
                    .contains("value3")
                    .contains("value4");
            assertThat(cluster.log(2))
                    .contains("databases thawed in generation")
                    .contains("persistent databases carry lineage generation"); // kept across the kill -9
            assertThat(catdb(n2, "it_repl.tdb"))
                    .isEqualTo(catdb(n0, "it_repl.tdb"))
                    .isEqualTo(catdb(n1, "it_repl.tdb"));
        }
    }
}

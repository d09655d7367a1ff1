package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * and 2 when the tool returns; a node killed with kill -9 misses a write and catches up from the
 * highest sequence number when it comes back. Volatile databases are refused on a node that has
 * not been told clients use them on one node only.
 */
class PersistentReplicationIT {

    private static Result ok(Path node, String... args) throws Exception {
        Result r = CtdbTool.ctdb(node, args);
        assertThat(r.exitCode()).as("ctdb %s on %s\nstdout: %s\nstderr: %s", String.join(" ", args), node, r.stdout(),
                r.stderr()).isZero();
        return r;
    }

    private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %d s for %s", seconds, what).isLessThan(deadline);
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
            // pstore and ptrans take a g_lock (a volatile database): node 0's clients are the only writers here.
            Path conf0 = cluster.nodeDir(0).resolve("ctdb.conf");
            Files.writeString(conf0, "[database]\n\tjctdb single node volatile = yes\n", StandardOpenOption.APPEND);
            long old0 = cluster.pid(0);
            cluster.query(0, "shutdown");
            await("node 0 to stop", 30, () -> ProcessHandle.of(old0).map(p -> !p.isAlive()).orElse(true));
            assertThat(cluster.startNode(0).exitCode()).isZero();
            await("node 0 to see nodes 1 and 2", 60,
                    () -> "0".equals(cluster.flag(0, 1, "Disconnected")) && "0".equals(cluster.flag(0, 2, "Disconnected"))
                            && "0".equals(cluster.flag(1, 0, "Disconnected")) && "0".equals(cluster.flag(2, 0, "Disconnected")));

            Path n0 = cluster.nodeDir(0);
            Path n1 = cluster.nodeDir(1);
            Path n2 = cluster.nodeDir(2);

            // Rule: without the setting, a volatile database is refused while three nodes are active.
            Result refused = CtdbTool.ctdb(n1, "attach", "it_volatile.tdb");
            assertThat(refused.exitCode()).isNotZero();
            assertThat(cluster.log(1)).contains("it_volatile.tdb").contains("does not migrate records");

            ok(n0, "attach", "it_repl.tdb", "persistent"); // attaches it on every active node
            ok(n0, "pstore", "it_repl.tdb", "key1", "value1");
            Result t = CtdbTool.ctdbWithInput(n0, "\"key2\" \"value2\"\n", "ptrans", "it_repl.tdb");
            assertThat(t.exitCode()).as("ptrans: %s %s", t.stdout(), t.stderr()).isZero();
            for (Path n : List.of(n1, n2)) {
                String dump = catdb(n, "it_repl.tdb");
                assertThat(dump).as("catdb on %s", n).contains("data(6) = \"value1\"").contains("data(6) = \"value2\"");
                assertThat(ok(n, "getdbseqnum", "it_repl.tdb").stdout().strip()).isEqualTo("0x2");
            }

            long pid2 = cluster.pid(2);
            LocalClusterHarness.signal(pid2, "KILL");
            await("node 0 to see node 2 gone", 30, () -> "1".equals(cluster.flag(0, 2, "Disconnected")));
            ok(n0, "pstore", "it_repl.tdb", "key3", "value3");
            assertThat(catdb(n1, "it_repl.tdb")).contains("data(6) = \"value3\"");

            assertThat(cluster.startNode(2).exitCode()).isZero();
            await("node 2 to catch up", 60, () -> catdb(n2, "it_repl.tdb").contains("data(6) = \"value3\""));
            assertThat(ok(n2, "getdbseqnum", "it_repl.tdb").stdout().strip()).isEqualTo("0x3");
            Result dump = CtdbTool.run(List.of(CtdbTool.find("tdbdump").orElseThrow().toString(),
                    n2.resolve("var/persistent/it_repl.tdb.2").toString()), Map.of(), null, 30);
            assertThat(dump.stdout()).contains("value1").contains("value2").contains("value3");
            assertThat(cluster.log(2)).contains("caught up");
        }
    }
}

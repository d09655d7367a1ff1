package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Cluster-wide traverse on three jctdbd nodes: records of a volatile database written through Debian's
 * `ctdb writekey` on different nodes migrate there (each writer becomes the record's data master, the
 * earlier writer keeps a stale copy); `ctdb catdb` and `jctdb catdb` on any node list every record once,
 * with the value its data master holds, while `cattdb` shows the node's own file, stale copies included.
 */
class ClusterTraverseIT {

    static Result ok(Path node, String... args) throws Exception {
        Result r = CtdbTool.ctdb(node, args);
        assertThat(r.exitCode())
                .as("ctdb %s on %s\nstdout: %s\nstderr: %s", String.join(" ", args), node, r.stdout(), r.stderr())
                .isZero();
        return r;
    }

    static Result jok(LocalClusterHarness cluster, int pnn, String... args) throws Exception {
        Result r = cluster.jctdb(pnn, args);
        assertThat(r.exitCode())
                .as("jctdb %s on node %d\nstdout: %s\nstderr: %s", String.join(" ", args), pnn, r.stdout(), r.stderr())
                .isZero();
        return r;
    }

    /** catdb's record blocks, sorted (nodes answer in any order), and the "Dumped" line last. */
    static List<String> blocks(String catdb) {
        return Arrays.stream(catdb.split("\n\n")).map(String::strip).sorted().toList();
    }

    @Test
    void catdbOnAnyNodeListsTheRecordsEveryDataMasterHolds() throws Exception {
        TestEnvironment.require(CtdbTool.missing("ctdb"));
        try (LocalClusterHarness cluster = LocalClusterHarness.up(3)) {
            Path[] n = {cluster.nodeDir(0), cluster.nodeDir(1), cluster.nodeDir(2)};
            ok(n[0], "attach", "it_trav.tdb");
            for (int i = 0; i < 9; i++) {
                ok(n[i % 3], "writekey", "it_trav.tdb", "key" + i, "from" + (i % 3));
            }
            // key0 moves from node 0 to node 1 and key1 from node 1 to node 2: the old copies stay behind
            ok(n[1], "writekey", "it_trav.tdb", "key0", "moved-to-1");
            ok(n[2], "writekey", "it_trav.tdb", "key1", "moved-to-2");

            for (int pnn = 0; pnn < 3; pnn++) {
                String dump = ok(n[pnn], "catdb", "it_trav.tdb").stdout();
                assertThat(dump).as("ctdb catdb on node %d", pnn).contains("Dumped 9 records");
                for (int i = 2; i < 9; i++) {
                    assertThat(dump)
                            .contains("key(4) = \"key" + i + "\"\ndmaster: " + (i % 3) + "\n")
                            .contains("data(5) = \"from" + (i % 3) + "\"");
                }
                assertThat(dump)
                        .contains("key(4) = \"key0\"\ndmaster: 1\n")
                        .contains("data(10) = \"moved-to-1\"")
                        .contains("key(4) = \"key1\"\ndmaster: 2\n")
                        .contains("data(10) = \"moved-to-2\"")
                        .doesNotContain("data(5) = \"from0\"\n\nkey(4) = \"key0\"");
                assertThat(dump.split("key\\(4\\) = \"key0\"", -1)).hasSize(2); // listed once
                assertThat(blocks(jok(cluster, pnn, "catdb", "it_trav.tdb").stdout()))
                        .as("jctdb catdb on node %d", pnn)
                        .isEqualTo(blocks(dump));
            }
            // cattdb is the node's own file: node 0 still holds its stale copy of key0 (dmaster 1)
            String own = ok(n[0], "cattdb", "it_trav.tdb").stdout();
            assertThat(own).contains("key(4) = \"key0\"");
            assertThat(blocks(jok(cluster, 0, "cattdb", "it_trav.tdb").stdout()))
                    .isEqualTo(blocks(own));
        }
    }
}

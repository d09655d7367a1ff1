package org.jctdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.junit.jupiter.api.Test;

/**
 * reloadnodes through the command on a real loopback cluster, as an administrator uses it:
 * refusals (changed address, differing files, deleting a connected node), deleting a node that
 * was shut down, and adding a node at the end that then joins.
 */
class ReloadNodesIT {
    private static final Duration WAIT = Duration.ofSeconds(40);

    private static void writeNodes(LocalClusterHarness c, String text, int... on) throws Exception {
        for (int k : on) {
            Files.writeString(c.nodeDir(k).resolve("nodes"), text);
        }
    }

    @Test
    void nodesAreDeletedAndAddedAsInCtdb() throws Exception {
        try (LocalClusterHarness c = LocalClusterHarness.up(3)) {
            String a0 = c.address(0);
            String a1 = c.address(1);
            String a2 = c.address(2);
            String a3 = c.address(3);
            String original = a0 + "\n" + a1 + "\n" + a2 + "\n";

            Result same = c.jctdb(0, "reloadnodes");
            assertThat(same.exitCode()).isZero();
            assertThat(same.stderr()).isEqualTo("No change in nodes file, skipping unnecessary reload\n");

            writeNodes(c, a0 + "\n" + a1 + "\n" + c.address(7) + "\n", 0, 1, 2);
            Result moved = c.jctdb(0, "reloadnodes");
            assertThat(moved.exitCode()).isEqualTo(1);
            assertThat(moved.stderr())
                    .isEqualTo("Node 2 has changed IP address (was " + a2 + ", now " + c.address(7)
                            + ")\nERROR: Nodes will not be reloaded due to previous error\n");

            writeNodes(c, original, 0, 2);
            writeNodes(c, original + a3 + "\n", 1);
            Result differs = c.jctdb(0, "reloadnodes");
            assertThat(differs.exitCode()).isEqualTo(1);
            assertThat(differs.stderr()).isEqualTo("ERROR: Nodes file on node 1 differs from current node (0)\n");

            String deleted = a0 + "\n" + a1 + "\n#" + a2 + "\n";
            writeNodes(c, deleted, 0, 1, 2);
            Result connected = c.jctdb(0, "reloadnodes");
            assertThat(connected.exitCode()).isEqualTo(1);
            assertThat(connected.stdout()).isEqualTo("Node 2 is DELETED\n");
            assertThat(connected.stderr()).contains("ERROR: Node 2 is still connected\n");

            assertThat(c.jctdb(2, "shutdown").exitCode()).isZero();
            await().atMost(WAIT)
                    .until(() -> "1".equals(c.flag(0, 2, "Disconnected")) && "1".equals(c.flag(1, 2, "Disconnected")));
            Result delete = c.jctdb(0, "reloadnodes");
            assertThat(delete.exitCode()).as("%s", delete).isZero();
            assertThat(delete.stdout()).isEqualTo("Node 2 is DELETED\n");
            for (int k = 0; k < 2; k++) {
                assertThat(c.jctdb(k, "status").stdout()).contains("Number of nodes:3 (including 1 deleted nodes)");
                assertThat(c.jctdb(k, "listnodes").stdout()).isEqualTo(a0 + "\n" + a1 + "\n");
            }

            // A fourth node at the end: announced, then it starts and joins the two running nodes.
            String added = deleted + a3 + "\n";
            writeNodes(c, added, 0, 1);
            Path n3 = c.nodeDir(3);
            Files.createDirectories(n3.resolve("events/legacy"));
            Files.writeString(
                    n3.resolve("ctdb.conf"),
                    Files.readString(c.nodeDir(0).resolve("ctdb.conf"))
                            .replace(c.nodeDir(0).toString(), n3.toString())
                            .replace("node address = " + a0, "node address = " + a3));
            Files.writeString(n3.resolve("nodes"), added);
            for (String f : new String[] {"ctdb.tunables", "public_addresses"}) {
                Files.copy(c.nodeDir(0).resolve(f), n3.resolve(f));
            }
            // The cluster key, private as on every node.
            Files.copy(
                    c.nodeDir(0).resolve("cluster.key"),
                    n3.resolve("cluster.key"),
                    java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            Result add = c.jctdb(0, "reloadnodes");
            assertThat(add.exitCode()).as("%s", add).isZero();
            assertThat(add.stdout()).isEqualTo("Node 3 is NEW\n");
            assertThat(c.flag(1, 3, "Disconnected")).isEqualTo("1");
            try {
                assertThat(c.startNode(3).exitCode()).isZero();
                await().atMost(WAIT)
                        .until(() -> "0".equals(c.flag(0, 3, "Disconnected"))
                                && "0".equals(c.flag(1, 3, "Disconnected"))
                                && "0".equals(c.flag(3, 0, "Disconnected")));
                assertThat(c.jctdb(3, "listnodes").stdout()).isEqualTo(a0 + "\n" + a1 + "\n" + a3 + "\n");
                assertThat(c.flag(0, 1, "Disconnected"))
                        .as("the reload kept the existing connection")
                        .isEqualTo("0");
            } finally {
                c.jctdb(3, "shutdown");
            }
        }
    }
}

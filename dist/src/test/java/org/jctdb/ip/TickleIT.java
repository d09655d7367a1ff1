package org.jctdb.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.jctdb.lab.AddressWatch;
import org.jctdb.lab.NetnsCluster;
import org.jctdb.testing.TestEnvironment;
import org.jctdb.testing.TickleScenario;
import org.junit.jupiter.api.Test;

/**
 * Tickle ACKs on real network stacks (root): 3 nodes and a client in network namespaces. A
 * client holding an idle TCP connection to a public address whose node is killed with kill -9
 * is reset by the new host within 2 s of the address moving (usually 10 ms), because the dead
 * node had shared
 * the connection (found in its kernel's socket table) with the others. With tickle ACKs off
 * the idle client notices nothing.
 */
class TickleIT {

    @Test
    void anIdleClientOfAKilledNodeIsResetByTheNewHost() throws Exception {
        TestEnvironment.require(NetnsCluster.unavailableReason());
        TestEnvironment.require(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        try (NetnsCluster c = NetnsCluster.create(3, 3, Map.of());
                AddressWatch watch = AddressWatch.start(c.nodeNamespaces(), Set.copyOf(c.publicIps()))) {
            c.startAll();
            try (TickleScenario s = new TickleScenario(c, watch)) {
                assertThat(s.waitSettled(60_000)).as("settled: %s", watch.now()).isTrue();
                TickleScenario.Outcome on = s.killHostOfClient(0, 5_000);
                System.out.println("tickles on, idle client: " + on);
                assertThat(on.peerKnewIt())
                        .as("a peer listed the connection before the kill")
                        .isTrue();
                assertThat(on.failure())
                        .as("%s\n%s", on, c.log((on.victim() + 1) % 3))
                        .isEqualTo("ConnectionResetError");
                // Usually the first round answers (~10 ms); the second, 0.6 s later, when it was lost
                // (docs/design/ip-failover.md, "Tickles", Measured).
                assertThat(on.failedMillis()).as("%s", on).isBetween(0L, 2_000L);
                assertThat(s.heal(on, 60_000)).isTrue();

                for (int k = 0; k < c.nodes; k++) {
                    assertThat(c.jctdb(k, "setvar", "JctdbTickleAcks", "0").exitCode())
                            .isZero();
                }
                TickleScenario.Outcome off = s.killHostOfClient(0, 5_000);
                System.out.println("tickles off, idle client: " + off);
                assertThat(off.failedMillis())
                        .as("without tickles an idle client hears nothing: %s", off)
                        .isEqualTo(-1L);
            }
        }
    }
}

package org.jctdb.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.jctdb.lab.AddressWatch;
import org.jctdb.lab.NetnsCluster;
import org.jctdb.lab.ReachProbe;
import org.jctdb.testing.FailoverScenario;
import org.jctdb.testing.FailoverScenario.Fault;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * One node's link cut and healed again and again (root, network namespaces), the cut lasting a
 * little longer each time. After a heal TCP retries each direction of a connection on its own
 * backed-off timer, so the node's reports reach the leader before the leader's grants reach it:
 * every heal must end with the addresses hosted once, without a failed takeover run and without
 * banning the node (before the leader waited for a grant to get through, the failback take was
 * refused and two heals banned the node for 300 s).
 */
class LinkFlapIT {
    static final int ROUNDS = 4;

    @Test
    void aLinkCutAndHealedRepeatedlyNeverFailsARunOrBansItsNode() throws Exception {
        TestEnvironment.require(NetnsCluster.unavailableReason());
        try (NetnsCluster c = NetnsCluster.create(3, 3, Map.of())) {
            try (AddressWatch watch = AddressWatch.start(c.nodeNamespaces(), Set.copyOf(c.publicIps()))) {
                c.startAll();
                try (ReachProbe probe = ReachProbe.start(c.clientNs(), c.publicIps())) {
                    FailoverScenario s = new FailoverScenario(c, watch, probe);
                    assertThat(s.waitSettled(60_000))
                            .as("settled after start: %s", watch.now())
                            .isTrue();
                    for (int round = 0; round < ROUNDS; round++) {
                        FailoverScenario.Outcome o = s.run(Fault.LINK, 5_000);
                        assertThat(o.failoverMillis())
                                .as("round %d: node %d's addresses %s answer elsewhere", round, o.victim(), o.ips())
                                .isBetween(0L, 5_000L);
                        Thread.sleep(round * 1_500L); // 3-7.5 s cuts: retransmission timers back off further
                        long healed = System.nanoTime();
                        assertThat(s.heal(o, 40_000))
                                .as(
                                        "round %d: after the heal every address is hosted once: %s\n%s",
                                        round, watch.now(), IpFailoverIT.logs(c))
                                .isTrue();
                        System.out.printf(
                                "link of node %d cut for %d ms: settled %d ms after the heal (3 s of it the check)%n",
                                o.victim(),
                                o.failoverMillis() + round * 1_500L,
                                (System.nanoTime() - healed) / 1_000_000);
                    }
                    for (int k = 0; k < c.nodes; k++) {
                        assertThat(c.log(k))
                                .as("node %d's log", k)
                                .doesNotContain("banning node")
                                .doesNotContain("failed in TAKE")
                                .doesNotContain("no current grant");
                    }
                }
            }
        }
    }
}

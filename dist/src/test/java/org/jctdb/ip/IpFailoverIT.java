package org.jctdb.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.jctdb.lab.AddressWatch;
import org.jctdb.lab.NetnsCluster;
import org.jctdb.lab.ReachProbe;
import org.jctdb.testing.FailoverScenario;
import org.jctdb.testing.FailoverScenario.Fault;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Public IP failover on real network stacks (root): 3 nodes and a client in network
 * namespaces, default tunables. A killed node's addresses answer elsewhere within 2 s, a
 * paused or cut-off node's within 5 s, no address is ever configured on two nodes, and after
 * each fault heals every address is hosted exactly once. When the leader is paused or killed,
 * the other nodes keep their addresses all along, and the leader's move once a new leader leads.
 */
class IpFailoverIT {

    @Test
    void addressesFailOverWithoutEverBeingInTwoPlaces() throws Exception {
        TestEnvironment.require(NetnsCluster.unavailableReason());
        try (NetnsCluster c = NetnsCluster.create(3, 3, Map.of())) {
            try (AddressWatch watch = AddressWatch.start(c.nodeNamespaces(), java.util.Set.copyOf(c.publicIps()))) {
                long begin = System.nanoTime();
                c.startAll();
                try (ReachProbe probe = ReachProbe.start(c.clientNs(), c.publicIps())) {
                    FailoverScenario s = new FailoverScenario(c, watch, probe);
                    assertThat(s.waitSettled(60_000))
                            .as("all addresses hosted once after start: %s\n%s", watch.now(), c.log(0))
                            .isTrue();
                    check(s, Fault.KILL, 2_000, c, watch);
                    check(s, Fault.PAUSE, 5_000, c, watch);
                    check(s, Fault.LINK, 5_000, c, watch);
                    // The leader lost: the others keep their own addresses throughout; its own move
                    // after the election (when paused: its lock helper lets the lock go after the
                    // leader timeout + 2 s) and the new leader's wait (R + D + L + F), plus a run.
                    checkLeader(s, Fault.PAUSE, 20_000, c, watch);
                    checkLeader(s, Fault.KILL, 10_000, c, watch);
                    List<String> overlaps = watch.overlaps(begin, 100);
                    assertThat(overlaps)
                            .as("samples with an address on two nodes")
                            .isEmpty();
                    assertThat(watch.longestOverlapMillis(begin)).isZero();
                }
            }
        }
    }

    private static void check(FailoverScenario s, Fault fault, long limit, NetnsCluster c, AddressWatch watch)
            throws Exception {
        FailoverScenario.Outcome o = s.run(fault, limit);
        System.out.printf("%s of node %d (%s): failover %d ms%n", fault, o.victim(), o.ips(), o.failoverMillis());
        assertThat(o.failoverMillis())
                .as("%s of node %d: failover of %s; now %s\n%s", fault, o.victim(), o.ips(), watch.now(), logs(c))
                .isBetween(0L, limit);
        assertThat(s.heal(o, 40_000))
                .as("after healing %s every address is hosted once: %s", fault, watch.now())
                .isTrue();
    }

    private static void checkLeader(FailoverScenario s, Fault fault, long limit, NetnsCluster c, AddressWatch watch)
            throws Exception {
        FailoverScenario.LeaderOutcome lo = s.runOnLeader(fault, limit);
        FailoverScenario.Outcome o = lo.outcome();
        System.out.printf(
                "%s of the leader, node %d (%s): failover %d ms; the others kept %s, removed meanwhile: %s%n",
                fault, o.victim(), o.ips(), o.failoverMillis(), lo.kept(), lo.keptRemoved());
        assertThat(lo.kept())
                .as("addresses on the other nodes before the fault")
                .isNotEmpty();
        assertThat(lo.keptRemoved())
                .as(
                        "%s of the leader %d: the other nodes' addresses removed while it lasted\n%s",
                        fault, o.victim(), logs(c))
                .isEmpty();
        assertThat(o.failoverMillis())
                .as("%s of the leader %d: failover of %s; now %s\n%s", fault, o.victim(), o.ips(), watch.now(), logs(c))
                .isBetween(0L, limit);
        assertThat(s.heal(o, 40_000))
                .as("after healing %s of the leader every address is hosted once: %s", fault, watch.now())
                .isTrue();
    }

    /** The last 40 lines of every node's log. */
    static String logs(NetnsCluster c) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < c.nodes; k++) {
            b.append("---- log of node ")
                    .append(k)
                    .append(":\n")
                    .append(tail(c.log(k)))
                    .append('\n');
        }
        return b.toString();
    }

    private static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
    }
}

package org.jctdb.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jctdb.lab.AddressWatch;
import org.jctdb.lab.NetnsCluster;
import org.jctdb.lab.ReachProbe;
import org.jctdb.testing.FailoverScenario;
import org.jctdb.testing.FailoverScenario.Fault;

/**
 * Public IP failover of JCTDB on 3 nodes in network namespaces (root): for kill -9, SIGSTOP and
 * a cut link of a non-leader node, the time until its addresses answer the client from another
 * node (median and max over RUNS), and the longest time any address was on two nodes at once.
 *
 *     bench/run IpFailoverBench [runs]
 */
public final class IpFailoverBench {
    private IpFailoverBench() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        NetnsCluster.unavailableReason().ifPresent(r -> {
            System.err.println("cannot run: " + r);
            System.exit(2);
        });
        try (NetnsCluster c = NetnsCluster.create(3, 3, Map.of());
                AddressWatch watch = AddressWatch.start(c.nodeNamespaces(), Set.copyOf(c.publicIps()))) {
            long begin = System.nanoTime();
            System.err.println("begin at " + java.time.LocalTime.now());
            c.startAll();
            try (ReachProbe probe = ReachProbe.start(c.clientNs(), c.publicIps())) {
                FailoverScenario s = new FailoverScenario(c, watch, probe);
                if (!s.waitSettled(60_000)) {
                    throw new IllegalStateException("cluster did not settle: " + watch.now());
                }
                System.out.println("| fault | runs | median failover (s) | max failover (s) | missed |");
                System.out.println("|---|---|---|---|---|");
                for (Fault f : Fault.values()) {
                    List<Long> times = new ArrayList<>();
                    int missed = 0;
                    for (int i = 0; i < runs; i++) {
                        long at = (System.nanoTime() - begin) / 1_000_000;
                        FailoverScenario.Outcome o = s.run(f, 10_000);
                        System.err.printf(
                                "+%d ms: %s of node %d %s: %d ms%n", at, f, o.victim(), o.ips(), o.failoverMillis());
                        if (o.failoverMillis() < 0) {
                            missed++;
                        } else {
                            times.add(o.failoverMillis());
                        }
                        if (!s.heal(o, 60_000)) {
                            throw new IllegalStateException("did not heal after " + f + ": " + watch.now());
                        }
                    }
                    times.sort(null);
                    System.out.printf(
                            "| %s | %d | %.2f | %.2f | %d |%n",
                            label(f),
                            runs,
                            times.isEmpty() ? -1 : times.get(times.size() / 2) / 1000.0,
                            times.isEmpty() ? -1 : times.get(times.size() - 1) / 1000.0,
                            missed);
                }
                List<String> overlaps = watch.overlaps(begin, 100);
                System.out.printf(
                        "longest time an address was on two nodes: %d ms; samples (100 ms) with one: %d%n",
                        watch.longestOverlapMillis(begin), overlaps.size());
                overlaps.forEach(System.err::println);
                if (!overlaps.isEmpty()) {
                    for (AddressWatch.Change ch : watch.snapshot()) {
                        System.err.printf(
                                "  +%d ms %s %s %s%n",
                                (ch.nanos() - begin) / 1_000_000, ch.ns(), ch.ip(), ch.present() ? "added" : "deleted");
                    }
                    for (int k = 0; k < c.nodes; k++) {
                        System.err.println("---- node " + k + " (" + c.nodeNs(k) + ")");
                        c.log(k)
                                .lines()
                                .filter(l -> l.contains(" ip: ") || l.contains("takeover") || l.contains("leader:"))
                                .forEach(System.err::println);
                    }
                }
            }
        }
    }

    private static String label(Fault f) {
        return switch (f) {
            case KILL -> "kill -9 of the daemon";
            case PAUSE -> "SIGSTOP of the daemon";
            case LINK -> "link of the node cut";
        };
    }
}

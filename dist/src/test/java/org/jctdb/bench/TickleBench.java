package org.jctdb.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jctdb.lab.AddressWatch;
import org.jctdb.lab.NetnsCluster;
import org.jctdb.testing.TickleScenario;

/**
 * What a client of a killed node feels, with and without tickle ACKs (root, 3 JCTDB nodes in
 * network namespaces): a client holds a TCP connection to a public address, idle or sending a
 * line a second; its node is killed with kill -9; the time from the address moving to the
 * client's connection failing (a reset from the new host). RUNS kills per row.
 *
 *     bench/run TickleBench [runs] [limitSeconds] [on|off|both]
 */
public final class TickleBench {
    private TickleBench() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long limit = (args.length > 1 ? Long.parseLong(args[1]) : 30) * 1000;
        NetnsCluster.unavailableReason().ifPresent(r -> {
            System.err.println("cannot run: " + r);
            System.exit(2);
        });
        try (NetnsCluster c = NetnsCluster.create(3, 3, Map.of());
                AddressWatch watch = AddressWatch.start(c.nodeNamespaces(), Set.copyOf(c.publicIps()))) {
            c.startAll();
            try (TickleScenario s = new TickleScenario(c, watch)) {
                if (!s.waitSettled(60_000)) {
                    throw new IllegalStateException("cluster did not settle: " + watch.now());
                }
                System.out.println("| system | fault | tickle ACKs | client | runs | kill to moved, median (s) "
                        + "| moved to reset, median (s) | max (s) | not noticed within " + limit / 1000 + " s |");
                System.out.println("|---|---|---|---|---|---|---|---|---|");
                String rows = args.length > 2 ? args[2] : "both";
                List<Integer> modes = rows.equals("on") ? List.of(1) : rows.equals("off") ? List.of(0) : List.of(1, 0);
                for (int acks : modes) {
                    for (int k = 0; k < c.nodes; k++) {
                        c.jctdb(k, "setvar", "JctdbTickleAcks", String.valueOf(acks));
                    }
                    for (long period : List.of(0L, 1000L)) {
                        List<Long> moved = new ArrayList<>();
                        List<Long> failed = new ArrayList<>();
                        int missed = 0;
                        for (int i = 0; i < runs; i++) {
                            TickleScenario.Outcome o = s.killHostOfClient(period, limit);
                            System.err.println("acks=" + acks + " period=" + period + ": " + o);
                            moved.add(o.movedMillis());
                            if (o.failedMillis() < 0) {
                                missed++;
                            } else {
                                failed.add(o.failedMillis());
                            }
                            if (!s.heal(o, 60_000)) {
                                throw new IllegalStateException("did not heal: " + watch.now());
                            }
                            // The restarted node applies ctdb.tunables, not the setvar: set it again.
                            c.jctdb(o.victim(), "setvar", "JctdbTickleAcks", String.valueOf(acks));
                        }
                        System.out.printf(
                                "| JCTDB | kill -9 | %s | %s | %d | %.2f | %s | %s | %d |%n",
                                acks == 1 ? "on" : "off",
                                period == 0 ? "idle" : "1 line/s",
                                runs,
                                median(moved) / 1000.0,
                                failed.isEmpty() ? "-" : String.format("%.3f", median(failed) / 1000.0),
                                failed.isEmpty() ? "-" : String.format("%.3f", max(failed) / 1000.0),
                                missed);
                    }
                }
            }
        }
    }

    private static long median(List<Long> l) {
        List<Long> s = new ArrayList<>(l);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static long max(List<Long> l) {
        return l.stream().mapToLong(Long::longValue).max().orElse(-1);
    }
}

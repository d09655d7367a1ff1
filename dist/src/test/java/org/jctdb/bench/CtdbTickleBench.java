package org.jctdb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jctdb.lab.AddressWatch;
import org.jctdb.lab.Commands;
import org.jctdb.lab.CtdbSystem;
import org.jctdb.lab.NetnsCluster;
import org.jctdb.testing.TickleScenario;

/**
 * TickleBench's measurement with Debian's CTDB 4.17 in the same namespaces (root): 3 ctdbd
 * nodes with the stock 10.interface. ctdbd learns a connection only when told (smbd's TCP_CLIENT,
 * or `ctdb addtickle` as here for "on"; "off" registers nothing) and shares it at its next
 * TickleUpdateInterval (20 s). A ctdbd killed with kill -9 leaves its addresses configured, so
 * the fault here is kill -9 plus the node's link going down (its host gone), and the address is
 * deleted before ctdbd starts again.
 *
 *     bench/run CtdbTickleBench [runs] [limitSeconds]
 */
public final class CtdbTickleBench {
    private CtdbTickleBench() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        long limit = (args.length > 1 ? Long.parseLong(args[1]) : 30) * 1000;
        NetnsCluster.unavailableReason().or(CtdbSystem::unavailableReason).ifPresent(r -> {
            System.err.println("cannot run: " + r);
            System.exit(2);
        });
        try (NetnsCluster c = NetnsCluster.create(
                        "jtc", Files.createTempDirectory("jctdb-ctdb-tickle-"), null, 3, 3, Map.of());
                AddressWatch watch = AddressWatch.start(c.nodeNamespaces(), Set.copyOf(c.publicIps()))) {
            CtdbSystem ctdb = new CtdbSystem(c);
            ctdb.configure();
            for (int k = 0; k < c.nodes; k++) {
                ctdb.start(k);
            }
            boolean[] register = {true};
            List<ProcessHandle> left = new ArrayList<>();
            TickleScenario.Nodes nodes = new TickleScenario.Nodes() {
                @Override
                public int leader() {
                    return ctdb.poll(0, 4000).leader();
                }

                @Override
                public boolean lists(int k, String ip, String clientEnd) {
                    if (!register[0]) {
                        return true; // nothing to wait for
                    }
                    try {
                        return ctdb.tool(k, 4000, "-X", "gettickles", ip)
                                .output()
                                .contains(TickleScenario.row(ip, clientEnd));
                    } catch (IOException e) {
                        return false;
                    }
                }

                @Override
                public void register(int host, String ip, String clientEnd) throws IOException {
                    if (register[0]) {
                        ctdb.tool(host, 4000, "addtickle", clientEnd, ip + ":" + TickleScenario.PORT)
                                .requireOk();
                    }
                }

                @Override
                public void kill(int k) throws IOException {
                    long pid = ctdb.daemonPid(k)
                            .orElseThrow(() -> new IOException("ctdbd of node " + k + " is not running"));
                    ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(left::add));
                    Commands.run(Duration.ofSeconds(10), "kill", "-KILL", String.valueOf(pid))
                            .requireOk();
                    c.link(k, false);
                }

                @Override
                public void restart(int k) throws IOException {
                    for (String ip : c.publicIps()) {
                        Commands.run(
                                Duration.ofSeconds(10),
                                "ip",
                                "-n",
                                c.nodeNs(k),
                                "addr",
                                "del",
                                ip + "/24",
                                "dev",
                                NetnsCluster.IFACE);
                    }
                    c.link(k, true);
                    // ctdb-eventd and ctdb-recoverd outlive a killed ctdbd by seconds; a new ctdbd cannot start before.
                    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (left.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < until) {
                        Commands.parkBriefly();
                    }
                    left.clear();
                    ctdb.start(k);
                }
            };
            try (TickleScenario s = new TickleScenario(c, watch, nodes)) {
                if (!s.waitSettled(180_000)) {
                    throw new IllegalStateException("CTDB did not settle: " + watch.now());
                }
                System.out.println("| system | fault | tickles | client | runs | kill to moved, median (s) "
                        + "| moved to reset, median (s) | max (s) | not noticed within " + limit / 1000 + " s |");
                System.out.println("|---|---|---|---|---|---|---|---|---|");
                for (boolean on : List.of(true, false)) {
                    register[0] = on;
                    for (long period : List.of(0L, 1000L)) {
                        List<Long> moved = new ArrayList<>();
                        List<Long> failed = new ArrayList<>();
                        int missed = 0;
                        for (int i = 0; i < runs; i++) {
                            TickleScenario.Outcome o = s.killHostOfClient(period, limit, 40_000);
                            System.err.println("ctdb tickles=" + on + " period=" + period + ": " + o);
                            moved.add(o.movedMillis());
                            if (o.failedMillis() < 0) {
                                missed++;
                            } else {
                                failed.add(o.failedMillis());
                            }
                            if (!s.heal(o, 180_000)) {
                                throw new IllegalStateException("CTDB did not heal: " + watch.now());
                            }
                        }
                        moved.sort(null);
                        failed.sort(null);
                        System.out.printf(
                                "| CTDB 4.17 | kill -9 + link down | %s | %s | %d | %.2f | %s | %s | %d |%n",
                                on ? "on (addtickle)" : "off (none registered)",
                                period == 0 ? "idle" : "1 line/s",
                                runs,
                                moved.get(moved.size() / 2) / 1000.0,
                                failed.isEmpty() ? "-" : String.format("%.3f", failed.get(failed.size() / 2) / 1000.0),
                                failed.isEmpty() ? "-" : String.format("%.3f", failed.get(failed.size() - 1) / 1000.0),
                                missed);
                    }
                }
            }
        }
    }
}

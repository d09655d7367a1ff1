package org.jctdb.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jctdb.lab.AddressWatch;
import org.jctdb.lab.Commands;
import org.jctdb.lab.NetnsCluster;
import org.jctdb.lab.ReachProbe;
import org.jctdb.testing.FailoverScenario;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * A node's own address events on real network stacks (root): updateip when the interface of
 * an address goes down while another of its interfaces is up, shutdown releasing the node's
 * addresses before the daemon exits, and the gratuitous ARP that announces a taken address.
 */
class IpNodeEventsIT {
    private static final Duration CMD = Duration.ofSeconds(20);

    @Test
    void anAddressWhoseInterfaceGoesDownMovesToItsOtherInterfaceOnTheSameNode() throws Exception {
        TestEnvironment.require(NetnsCluster.unavailableReason());
        // The links stay up (a monitor event would find a down link and make the node unhealthy, so
        // every address would leave it): the administrator marks eth1 down with setifacelink.
        try (NetnsCluster c = NetnsCluster.create(2, 1, Map.of())) {
            String ip = c.publicIps().get(0);
            for (int k = 0; k < c.nodes; k++) {
                for (String extra : List.of("eth1", "eth2")) {
                    // A veth pair inside the namespace (no dummy module here): two more interfaces with links.
                    ip(c.nodeNs(k), "link", "add", extra, "type", "veth", "peer", "name", extra + "p");
                    ip(c.nodeNs(k), "link", "set", extra + "p", "up");
                    ip(c.nodeNs(k), "link", "set", extra, "up");
                }
                Files.writeString(c.nodeDir(k).resolve("public_addresses"), ip + "/24 eth1,eth2\n");
                // The first monitor event must see both links up (carrier comes a moment after "up").
                int node = k;
                assertThat(await(
                                5_000,
                                () -> lowerUp(c, node, "eth1") && lowerUp(c, node, "eth2")
                                        ? Optional.of(true)
                                        : Optional.empty()))
                        .as("links of node %d up", k)
                        .isPresent();
            }
            try (AddressWatch watch = AddressWatch.start(c.nodeNamespaces(), Set.of(ip))) {
                c.startAll();
                awaitAllOk(c);
                // On eth1 and its takeip done (not merely added by a script still running).
                int host = await(
                                30_000,
                                () -> hostOn(c, ip, "eth1")
                                        .filter(k -> c.log(k).contains("took " + ip + "/24 on eth1")))
                        .orElseThrow(
                                () -> new AssertionError("never hosted on eth1: " + watch.now() + "\n" + c.log(0)));
                long t0 = System.nanoTime();
                c.jctdb(host, "setifacelink", "eth1", "down").requireOk();

                Optional<Integer> moved = await(10_000, () -> hostOn(c, ip, "eth2"));
                long took = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("setifacelink eth1 down to %s on eth2: %d ms%n", ip, took);
                assertThat(moved)
                        .as("moved to eth2 of the same node; %s\n%s", watch.now(), c.log(host))
                        .contains(host);
                assertThat(onIface(c, host, ip, "eth1")).as("left eth1").isFalse();
                // It stays on eth2 for longer than its kernel lifetime: the daemon refreshes it there.
                Optional<Integer> lost =
                        await(3_000, () -> onIface(c, host, ip, "eth2") ? Optional.empty() : Optional.of(1));
                assertThat(lost).as("stays on eth2 for 3 s").isEmpty();
                assertThat(c.log(host))
                        .contains("moved " + ip + "/24 from eth1 to eth2")
                        .doesNotContain("released " + ip);
                for (AddressWatch.Change ch : watch.snapshot()) {
                    assertThat(ch.ns()).as("never on another node: %s", ch).isEqualTo(c.nodeNs(host));
                }
            }
        }
    }

    @Test
    void shutdownReleasesTheNodesAddressesBeforeItExitsAndOthersHostThemSoonAfter() throws Exception {
        TestEnvironment.require(NetnsCluster.unavailableReason());
        try (NetnsCluster c = NetnsCluster.create(3, 3, Map.of())) {
            try (AddressWatch watch = AddressWatch.start(c.nodeNamespaces(), Set.copyOf(c.publicIps()));
                    ReachProbe probe = ReachProbe.start(c.clientNs(), c.publicIps())) {
                c.startAll();
                FailoverScenario s = new FailoverScenario(c, watch, probe);
                assertThat(s.waitSettled(60_000)).as("settled: %s", watch.now()).isTrue();
                int victim = s.pickVictim();
                String ns = c.nodeNs(victim);
                List<String> ips = new ArrayList<>();
                watch.now().forEach((a, where) -> {
                    if (where.contains(ns)) {
                        ips.add(a);
                    }
                });
                ProcessHandle daemon =
                        ProcessHandle.of(c.pid(victim).orElseThrow()).orElseThrow();
                AtomicLong exitedAt = new AtomicLong(-1);
                Thread exitWatch = new Thread(
                        () -> {
                            while (daemon.isAlive()) {
                                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                            }
                            exitedAt.set(System.nanoTime());
                        },
                        "exit-watch");
                exitWatch.start();
                long t0 = System.nanoTime();
                c.jctdb(victim, "shutdown").requireOk();
                exitWatch.join(20_000);
                assertThat(exitedAt.get()).as("daemon exited").isPositive();

                for (String a : ips) {
                    long gone = lastRemoval(watch, ns, a);
                    assertThat(gone).as("%s removed from node %d", a, victim).isPositive();
                    assertThat(gone)
                            .as("%s removed before the daemon exited", a)
                            .isLessThan(exitedAt.get());
                    assertThat(c.log(victim)).contains("released " + a + "/");
                }
                long elsewhere = await(
                                10_000, () -> allElsewhere(watch, probe, ips, ns) ? Optional.of(1) : Optional.empty())
                        .map(x -> System.nanoTime())
                        .orElse(-1L);
                long configured = watch.snapshot().stream()
                        .filter(ch -> ch.nanos() > t0
                                && ch.present()
                                && ips.contains(ch.ip())
                                && !ch.ns().equals(ns))
                        .mapToLong(AddressWatch.Change::nanos)
                        .max()
                        .orElse(-1);
                System.out.printf(
                        "shutdown of node %d (%s), ms after the command: released %d, configured elsewhere %d,"
                                + " daemon exited %d, answering elsewhere %d%n",
                        victim,
                        ips,
                        (ips.stream()
                                                .mapToLong(a -> lastRemoval(watch, ns, a))
                                                .max()
                                                .orElse(0)
                                        - t0)
                                / 1_000_000,
                        (configured - t0) / 1_000_000,
                        (exitedAt.get() - t0) / 1_000_000,
                        (elsewhere - t0) / 1_000_000);
                assertThat(elsewhere)
                        .as("hosted elsewhere and answering: %s", watch.now())
                        .isPositive();
                assertThat(watch.longestOverlapMillis(t0)).isZero();
            }
        }
    }

    @Test
    void afterATakeoverTheClientsStaleNeighbourEntryPointsAtTheNewNodeWithoutAskingAgain() throws Exception {
        TestEnvironment.require(NetnsCluster.unavailableReason());
        try (NetnsCluster c = NetnsCluster.create(2, 1, Map.of())) {
            String ip = c.publicIps().get(0);
            c.startAll();
            awaitAllOk(c);
            int from = await(30_000, () -> hostOn(c, ip, NetnsCluster.IFACE))
                    .orElseThrow(() -> new AssertionError("never hosted\n" + c.log(0)));
            int to = 1 - from;
            // The client has an entry for the address with the old node's MAC, stale: nothing makes it ask again.
            ip(c.clientNs(), "neigh", "replace", ip, "dev", NetnsCluster.IFACE, "lladdr", mac(c, from), "nud", "stale");
            java.util.concurrent.locks.LockSupport.parkNanos(
                    Duration.ofMillis(1100).toNanos()); // the kernel's locktime
            assertThat(neighbour(c, ip)).isEqualTo(mac(c, from));

            long t0 = System.nanoTime();
            c.jctdb(from, "moveip", ip, String.valueOf(to)).requireOk();
            String want = mac(c, to);
            Optional<String> seen =
                    await(5_000, () -> want.equals(neighbour(c, ip)) ? Optional.of(want) : Optional.empty());
            System.out.printf(
                    "moveip %s to node %d: client's neighbour entry updated after %d ms%n",
                    ip, to, (System.nanoTime() - t0) / 1_000_000);
            assertThat(seen)
                    .as("client's entry for %s: %s (node %d has %s)\n%s", ip, neighbour(c, ip), to, want, c.log(to))
                    .contains(want);
            String announced = "announced " + ip + " on eth0 with gratuitous ARP"; // logged after the last round
            assertThat(await(5_000, () -> c.log(to).contains(announced) ? Optional.of(true) : Optional.empty()))
                    .as("%s", c.log(to))
                    .isPresent();

            // jctdb gratarp on demand: the entry, set back to the old MAC, points at the host again.
            ip(c.clientNs(), "neigh", "replace", ip, "dev", NetnsCluster.IFACE, "lladdr", mac(c, from), "nud", "stale");
            java.util.concurrent.locks.LockSupport.parkNanos(
                    Duration.ofMillis(1100).toNanos());
            c.jctdb(to, "gratarp", ip, "eth0").requireOk();
            assertThat(await(3_000, () -> want.equals(neighbour(c, ip)) ? Optional.of(want) : Optional.empty()))
                    .as("after jctdb gratarp")
                    .contains(want);
            Commands.Result bad = c.jctdb(to, "gratarp", ip, "nosuch0");
            assertThat(bad.exitCode()).isEqualTo(1);
            assertThat(bad.output()).contains("Failed to send gratuitous ARP for " + ip + " on nosuch0");
        }
    }

    private static boolean lowerUp(NetnsCluster c, int k, String iface) {
        try {
            return Commands.run(CMD, "ip", "-n", c.nodeNs(k), "-o", "link", "show", iface)
                    .output()
                    .contains("LOWER_UP");
        } catch (IOException e) {
            return false;
        }
    }

    /** Every node healthy (nodestatus exits with the OR of the flags): any may host, nothing moves for health. */
    private static void awaitAllOk(NetnsCluster c) {
        assertThat(await(60_000, () -> {
                    try {
                        return c.query(0, "nodestatus", "all").exitCode() == 0 ? Optional.of(true) : Optional.empty();
                    } catch (IOException e) {
                        return Optional.empty();
                    }
                }))
                .as("all nodes OK: %s", c.log(0))
                .isPresent();
    }

    /** The client's neighbour entry for {@code ip}: its MAC, or "" when it has none. */
    private static String neighbour(NetnsCluster c, String ip) {
        try {
            String out = Commands.run(CMD, "ip", "-n", c.clientNs(), "neigh", "show", ip)
                    .output();
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("lladdr (\\S+)").matcher(out);
            return m.find() ? m.group(1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String mac(NetnsCluster c, int k) throws IOException {
        String out = Commands.run(CMD, "ip", "-n", c.nodeNs(k), "-o", "link", "show", NetnsCluster.IFACE)
                .requireOk()
                .output();
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("link/ether (\\S+)").matcher(out);
        if (!m.find()) {
            throw new IOException("no MAC in: " + out);
        }
        return m.group(1);
    }

    private static boolean allElsewhere(AddressWatch watch, ReachProbe probe, List<String> ips, String victimNs) {
        Map<String, Set<String>> now = watch.now();
        ReachProbe.Round r = probe.latest();
        for (String a : ips) {
            Set<String> where = now.get(a);
            if (where.size() != 1
                    || where.contains(victimNs)
                    || r == null
                    || !Boolean.TRUE.equals(r.answered().get(a))) {
                return false;
            }
        }
        return true;
    }

    private static long lastRemoval(AddressWatch watch, String ns, String ip) {
        long at = -1;
        for (AddressWatch.Change ch : watch.snapshot()) {
            if (ch.ns().equals(ns) && ch.ip().equals(ip)) {
                at = ch.present() ? -1 : ch.nanos();
            }
        }
        return at;
    }

    /** The node whose {@code iface} carries {@code ip}. */
    private static Optional<Integer> hostOn(NetnsCluster c, String ip, String iface) {
        for (int k = 0; k < c.nodes; k++) {
            if (onIface(c, k, ip, iface)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    private static boolean onIface(NetnsCluster c, int k, String ip, String iface) {
        try {
            return Commands.run(CMD, "ip", "-n", c.nodeNs(k), "-o", "-4", "addr", "show", "dev", iface)
                    .output()
                    .contains(" " + ip + "/");
        } catch (IOException e) {
            return false;
        }
    }

    private static <T> Optional<T> await(long millis, java.util.function.Supplier<Optional<T>> poll) {
        long until = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < until) {
            Optional<T> v = poll.get();
            if (v.isPresent()) {
                return v;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
        }
        return Optional.empty();
    }

    private static void ip(String ns, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        Commands.run(CMD, cmd).requireOk();
    }
}

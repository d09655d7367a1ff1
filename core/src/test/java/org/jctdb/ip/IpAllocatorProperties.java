package org.jctdb.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jctdb.protocol.NodeFlags;

/** Properties that hold for CTDB's allocation algorithms, checked on random clusters. */
class IpAllocatorProperties {

    private static final int[] FLAG_CHOICES = {
        0,
        0,
        0,
        0,
        NodeFlags.UNHEALTHY,
        NodeFlags.PERMANENTLY_DISABLED,
        NodeFlags.BANNED,
        NodeFlags.STOPPED,
        NodeFlags.DISCONNECTED,
        NodeFlags.DELETED
    };

    @Provide
    Arbitrary<AllocationInput> clusters() {
        return Arbitraries.integers().between(1, 7).flatMap(numNodes -> {
            Arbitrary<List<NodeState>> nodes = Combinators.combine(
                            Arbitraries.of(toList(FLAG_CHOICES)),
                            Arbitraries.integers().between(0, 9))
                    .as((flags, r) -> new NodeState(flags, r == 0 ? RunState.STARTUP : RunState.RUNNING))
                    .list()
                    .ofSize(numNodes);
            Arbitrary<PublicAddress> address = Combinators.combine(
                            addresses(),
                            Arbitraries.integers().between(-1, numNodes - 1),
                            Arbitraries.integers()
                                    .between(0, numNodes - 1)
                                    .set()
                                    .ofMinSize(0)
                                    .ofMaxSize(numNodes),
                            Arbitraries.integers().between(0, 3))
                    .as((ip, cur, known, mode) -> {
                        Set<Integer> k = mode == 0 ? known : allNodes(numNodes);
                        return PublicAddress.of(ip, cur, k);
                    });
            Arbitrary<List<PublicAddress>> addrs = address.list().ofMaxSize(30).uniqueElements(PublicAddress::address);
            Arbitrary<IpAllocTunables> tunables = Combinators.combine(
                            Arbitraries.of(IpAllocAlgorithm.class),
                            Arbitraries.integers().between(0, 3),
                            Arbitraries.integers().between(0, 5))
                    .as((alg, f, t) -> new IpAllocTunables(alg, f == 0, t == 0));
            return Combinators.combine(nodes, addrs, tunables).as(AllocationInput::new);
        });
    }

    private static List<Integer> toList(int[] a) {
        List<Integer> l = new ArrayList<>();
        for (int x : a) {
            l.add(x);
        }
        return l;
    }

    private static Set<Integer> allNodes(int n) {
        Set<Integer> s = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            s.add(i);
        }
        return s;
    }

    /** IPv4 from a few nearby subnets, plus some IPv6. */
    static Arbitrary<IpAddress> addresses() {
        Arbitrary<IpAddress> v4 = Combinators.combine(
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(1, 254))
                .as((net, host) -> IpAddress.ipv4((10 << 24) | (net << 16) | (7 << 8) | host));
        Arbitrary<IpAddress> v6 = Combinators.combine(
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(1, 0xffff))
                .as((net, host) -> new IpAddress(0xfd000000, net, 0, host, true));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, v4), net.jqwik.api.Tuple.of(1, v6));
    }

    private static boolean eligible(AllocationInput in, PublicAddress a, int node) {
        return a.availableOn().contains(node) && in.nodes().get(node).canHostIps();
    }

    private static Map<IpAddress, PublicAddress> byAddress(AllocationInput in) {
        Map<IpAddress, PublicAddress> m = new HashMap<>();
        for (PublicAddress a : in.addresses()) {
            m.put(a.address(), a);
        }
        return m;
    }

    @Property(tries = 400)
    void neverOnAnIneligibleNode(@ForAll("clusters") AllocationInput in) {
        Map<IpAddress, PublicAddress> m = byAddress(in);
        for (Assignment a : IpAllocator.allocate(in).assignments()) {
            if (a.assigned()) {
                assertThat(eligible(in, m.get(a.address()), a.pnn()))
                        .as(a.toString())
                        .isTrue();
            }
        }
    }

    @Property(tries = 400)
    void unassignedOnlyWhenNoEligibleNodeExists(@ForAll("clusters") AllocationInput in) {
        Assume.that(!in.tunables().noIpTakeover());
        Map<IpAddress, PublicAddress> m = byAddress(in);
        for (Assignment a : IpAllocator.allocate(in).assignments()) {
            boolean someEligible = false;
            for (int node = 0; node < in.nodes().size(); node++) {
                someEligible |= eligible(in, m.get(a.address()), node);
            }
            assertThat(a.assigned()).as(a.toString()).isEqualTo(someEligible);
        }
    }

    @Property(tries = 300)
    void listsEveryKnownAddressOnceInCtdbOrder(@ForAll("clusters") AllocationInput in) {
        List<IpAddress> expected = new ArrayList<>();
        for (PublicAddress a : in.addresses()) {
            if (!a.knownOn().isEmpty()) {
                expected.add(a.address());
            }
        }
        expected.sort(IpAddress.CTDB_ORDER);
        assertThat(IpAllocator.allocate(in).assignments())
                .extracting(Assignment::address)
                .containsExactlyElementsOf(expected);
    }

    @Property(tries = 300)
    void lcp2MatchesTheNaiveReference(@ForAll("clusters") AllocationInput in) {
        AllocationInput lcp2 = new AllocationInput(
                in.nodes(),
                in.addresses(),
                in.tunables().withAlgorithm(IpAllocAlgorithm.LCP2),
                in.forceRebalanceNodes());
        assertThat(IpAllocator.allocate(lcp2).assignments()).isEqualTo(NaiveLcp2.allocate(lcp2));
    }

    /** IPv4 alone takes Lcp2Allocation's one-word path (the same first three key words). */
    @Property(tries = 300)
    void lcp2MatchesTheNaiveReferenceOnIpv4Alone(@ForAll("clusters") AllocationInput in) {
        List<PublicAddress> v4 =
                in.addresses().stream().filter(a -> !a.address().ipv6()).toList();
        AllocationInput lcp2 = new AllocationInput(
                in.nodes(), v4, in.tunables().withAlgorithm(IpAllocAlgorithm.LCP2), in.forceRebalanceNodes());
        assertThat(IpAllocator.allocate(lcp2).assignments()).isEqualTo(NaiveLcp2.allocate(lcp2));
    }

    /** Re-running on its own result changes nothing (LCP2 and deterministic). */
    @Property(tries = 300)
    void stableWhenNothingChanges(@ForAll("clusters") AllocationInput in) {
        Assume.that(in.tunables().algorithm() != IpAllocAlgorithm.NONDETERMINISTIC);
        Allocation first = IpAllocator.allocate(in);
        Allocation second = IpAllocator.allocate(withCurrent(in, first));
        assertThat(second).isEqualTo(first);
    }

    /** Deterministic placement ignores where addresses are now. */
    @Property(tries = 200)
    void deterministicIgnoresCurrentPlacement(@ForAll("clusters") AllocationInput in, @ForAll long seed) {
        AllocationInput det = new AllocationInput(
                in.nodes(), in.addresses(), in.tunables().withAlgorithm(IpAllocAlgorithm.DETERMINISTIC));
        List<PublicAddress> moved = new ArrayList<>();
        java.util.Random r = new java.util.Random(seed);
        for (PublicAddress a : det.addresses()) {
            moved.add(PublicAddress.of(a.address(), r.nextInt(in.nodes().size() + 1) - 1, a.knownOn()));
        }
        assertThat(IpAllocator.allocate(new AllocationInput(det.nodes(), moved, det.tunables())))
                .isEqualTo(IpAllocator.allocate(det));
    }

    /**
     * LCP2 with failback never leaves a healthy node empty while another hosts two or more,
     * in a cluster where every node may host every (IPv4) address.
     */
    @Property(tries = 300)
    void lcp2LeavesNoHealthyNodeIdleWhileAnotherHostsTwo(@ForAll("clusters") AllocationInput in) {
        int n = in.nodes().size();
        List<PublicAddress> homogeneous = new ArrayList<>();
        for (PublicAddress a : in.addresses()) {
            if (!a.address().ipv6()) {
                homogeneous.add(PublicAddress.of(a.address(), a.currentPnn(), allNodes(n)));
            }
        }
        AllocationInput h =
                new AllocationInput(in.nodes(), homogeneous, new IpAllocTunables(IpAllocAlgorithm.LCP2, false, false));
        int[] count = new int[n];
        for (Assignment a : IpAllocator.allocate(h).assignments()) {
            if (a.assigned()) {
                count[a.pnn()]++;
            }
        }
        int max = java.util.Arrays.stream(count).max().orElse(0);
        for (int node = 0; node < n; node++) {
            if (in.nodes().get(node).canHostIps() && max >= 2) {
                assertThat(count[node])
                        .as("node %d of %s", node, java.util.Arrays.toString(count))
                        .isGreaterThan(0);
            }
        }
    }

    /** Applying the takeover plan to the old placement yields the new one. */
    @Property(tries = 200)
    void planTurnsOldPlacementIntoNew(@ForAll("clusters") AllocationInput in) {
        Map<IpAddress, Hosting> before = new LinkedHashMap<>();
        for (PublicAddress a : in.addresses()) {
            before.put(a.address(), a.currentPnn() >= 0 ? new Hosting(a.currentPnn(), "eth0") : Hosting.NOWHERE);
        }
        Allocation after = IpAllocator.allocate(in);
        TakeoverPlan plan = TakeoverPlanner.plan(before, after);
        Map<IpAddress, Integer> state = new HashMap<>();
        before.forEach((ip, h) -> state.put(ip, h.pnn()));
        for (TakeoverStep.Release r : plan.releases()) {
            assertThat(state.get(r.address())).isEqualTo(r.pnn());
            state.put(r.address(), -1);
        }
        for (TakeoverStep.Take t : plan.takes()) {
            assertThat(state.get(t.address())).isEqualTo(-1);
            state.put(t.address(), t.pnn());
        }
        for (Assignment a : after.assignments()) {
            assertThat(state.get(a.address())).isEqualTo(a.pnn());
        }
    }

    private static AllocationInput withCurrent(AllocationInput in, Allocation result) {
        Map<IpAddress, Integer> m = result.asMap();
        List<PublicAddress> l = new ArrayList<>();
        for (PublicAddress a : in.addresses()) {
            l.add(new PublicAddress(a.address(), m.getOrDefault(a.address(), -1), a.knownOn(), a.availableOn()));
        }
        return new AllocationInput(in.nodes(), l, in.tunables(), in.forceRebalanceNodes());
    }
}

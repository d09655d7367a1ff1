package org.jctdb.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CTDB's takeover unit-test scenarios (ctdb_takeover_tests ipalloc), run through
 * {@code jctdb ipalloc}. Cases named after a CTDB test reproduce that test's input and
 * expected output; "derived" cases are expectations worked out by hand from CTDB's rules.
 */
class CtdbScenarioTest {

    /** Nine addresses, spread 0,1,2 round robin (CTDB tests' usual starting layout). */
    static final String SPREAD = """
            192.168.20.249 0
            192.168.20.250 1
            192.168.20.251 2
            192.168.20.252 0
            192.168.20.253 1
            192.168.20.254 2
            192.168.21.252 0
            192.168.21.253 1
            192.168.21.254 2
            """;

    static final String ALL_ON_1 = SPREAD.replaceAll(" [0-2]\n", " 1\n");
    static final String ALL_ON_2 = SPREAD.replaceAll(" [0-2]\n", " 2\n");
    static final String UNASSIGNED = SPREAD.replaceAll(" [0-2]\n", " -1\n");

    /** Nine results in CTDB order (21.254 first) from nine PNNs. */
    static String nine(int... pnns) {
        String[] ips = {
            "192.168.21.254",
            "192.168.21.253",
            "192.168.21.252",
            "192.168.20.254",
            "192.168.20.253",
            "192.168.20.252",
            "192.168.20.251",
            "192.168.20.250",
            "192.168.20.249"
        };
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ips.length; i++) {
            sb.append(ips[i]).append(' ').append(pnns[i]).append('\n');
        }
        return sb.toString();
    }

    static Stream<Scenario> scenarios() {
        return Stream.concat(
                Stream.concat(deterministic(), nondeterministic()),
                Stream.concat(lcp2(), Stream.concat(ipv6(), tunables())));
    }

    static Stream<Scenario> deterministic() {
        return Stream.of(
                Scenario.of("det.001 3 nodes, 1 healthy", "det", "2,2,0", SPREAD, nine(2, 2, 2, 2, 2, 2, 2, 2, 2)),
                Scenario.of("det.002 3 nodes, 2 healthy", "det", "0,2,0", SPREAD, nine(0, 0, 2, 0, 2, 2, 0, 0, 2)),
                Scenario.of(
                        "det.003 3 nodes, 1 -> all healthy", "det", "0,0,0", ALL_ON_1, nine(0, 1, 2, 0, 1, 2, 0, 1, 2)),
                Scenario.of(
                        "derived from det.002: node 1 banned",
                        "det",
                        "0,0x8,0",
                        SPREAD,
                        nine(0, 0, 2, 0, 2, 2, 0, 0, 2)),
                Scenario.of(
                        "derived from det.002: node 1 disconnected",
                        "det",
                        "0,1,0",
                        SPREAD,
                        nine(0, 0, 2, 0, 2, 2, 0, 0, 2)),
                Scenario.of(
                        "derived from det.002: node 1 deleted",
                        "det",
                        "0,0x10,0",
                        SPREAD,
                        nine(0, 0, 2, 0, 2, 2, 0, 0, 2)),
                Scenario.of(
                        "derived: det, all unhealthy",
                        "det",
                        "2,2,2",
                        SPREAD,
                        nine(-1, -1, -1, -1, -1, -1, -1, -1, -1)),
                Scenario.of(
                        "derived: det, all disabled",
                        "det",
                        "4,4,4",
                        SPREAD,
                        nine(-1, -1, -1, -1, -1, -1, -1, -1, -1)));
    }

    static Stream<Scenario> nondeterministic() {
        return Stream.of(
                Scenario.of(
                        "nondet.001 3 nodes, 1 healthy", "nondet", "2,2,0", SPREAD, nine(2, 2, 2, 2, 2, 2, 2, 2, 2)),
                Scenario.of(
                        "derived: nondet, 3 nodes, 0 -> all healthy",
                        "nondet",
                        "0,0,0",
                        UNASSIGNED,
                        nine(0, 1, 2, 0, 1, 2, 0, 1, 2)),
                Scenario.of(
                        "derived: nondet, 3 nodes, 1 -> all healthy (basic failback)",
                        "nondet",
                        "0,0,0",
                        ALL_ON_1,
                        nine(0, 2, 0, 2, 0, 2, 1, 1, 1)),
                Scenario.of(
                        "derived: nondet, all unhealthy",
                        "nondet",
                        "2,2,2",
                        ALL_ON_2,
                        nine(-1, -1, -1, -1, -1, -1, -1, -1, -1)));
    }

    static Stream<Scenario> lcp2() {
        return Stream.of(
                Scenario.of(
                        "lcp2.002 3 nodes, 3 -> 2 healthy", "lcp2", "0,2,0", SPREAD, nine(2, 2, 0, 2, 2, 0, 2, 0, 0)),
                Scenario.of(
                        "lcp2.003 3 nodes, 1 -> all healthy",
                        "lcp2",
                        "0,0,0",
                        ALL_ON_1,
                        nine(2, 0, 1, 2, 0, 1, 2, 0, 1)),
                Scenario.of(
                        "lcp2.007 3 nodes, 0 -> 2 healthy",
                        "lcp2",
                        "2,0,0",
                        UNASSIGNED,
                        nine(1, 2, 1, 1, 2, 1, 1, 2, 2)),
                Scenario.of(
                        "lcp2.008 3 nodes, 0 -> all healthy",
                        "lcp2",
                        "0,0,0",
                        UNASSIGNED,
                        nine(0, 1, 2, 0, 1, 2, 0, 1, 2)),
                Scenario.of(
                        "lcp2.010 2 disjoint groups of nodes/addresses, a node becomes healthy",
                        "lcp2",
                        "0,0,0,0",
                        """
                    192.168.140.1\t\t0\t0,1
                    192.168.140.2\t\t0\t0,1
                    192.168.140.3\t\t1\t0,1
                    192.168.140.4\t\t1\t0,1
                    192.168.209.101\t\t2\t2,3
                    192.168.209.102\t\t2\t2,3
                    """,
                        """
                    192.168.209.102 3
                    192.168.209.101 2
                    192.168.140.4 1
                    192.168.140.3 1
                    192.168.140.2 0
                    192.168.140.1 0
                    """),
                Scenario.of(
                        "lcp2.016 3 nodes, all IPs assigned, 2->3 unhealthy",
                        "lcp2",
                        "2,2,2",
                        ALL_ON_2,
                        nine(-1, -1, -1, -1, -1, -1, -1, -1, -1)),
                Scenario.of(
                                "lcp2.024 all healthy, all in STARTUP runstate",
                                "lcp2",
                                "0,0,0",
                                UNASSIGNED,
                                nine(-1, -1, -1, -1, -1, -1, -1, -1, -1))
                        .withEnv("CTDB_TEST_RUNSTATE", "4,4,4"),
                Scenario.of(
                                "lcp2.025 all healthy, 1 in STARTUP runstate",
                                "lcp2",
                                "0,0,0",
                                UNASSIGNED,
                                nine(1, 2, 1, 1, 2, 1, 1, 2, 2))
                        .withEnv("CTDB_TEST_RUNSTATE", "4,5,5"),
                Scenario.of(
                        "lcp2.027 4 nodes, all IPs assigned, 3->4 unhealthy",
                        "lcp2",
                        "0,0,2,0",
                        LCP2_027_IN,
                        LCP2_027_OUT),
                Scenario.of(
                        "lcp2.029 multi: 4 nodes, some IPs unassigned on target nodes",
                        "lcp2",
                        "0,0,0,0",
                        Lcp2Data.LCP2_029_IN,
                        Lcp2Data.LCP2_029_OUT),
                Scenario.of("lcp2.034 3 nodes, 1 without IP addresses", "lcp2", "0,0,0", """
                    192.168.140.1\t\t-1\t0,1
                    192.168.140.2\t\t-1\t0,1
                    192.168.140.3\t\t-1\t0,1
                    192.168.140.4\t\t-1\t0,1
                    """, """
                    192.168.140.4 0
                    192.168.140.3 1
                    192.168.140.2 0
                    192.168.140.1 1
                    """),
                Scenario.of(
                        "derived: lcp2, all administratively disabled",
                        "lcp2",
                        "0x4,0x4,0x4",
                        SPREAD,
                        nine(-1, -1, -1, -1, -1, -1, -1, -1, -1)),
                // 10.0.0.1's claim to be on node 1 is dropped (node 1 does not list it), so node 1
                // hosts nothing, is a failback target, and receives 10.0.0.2.
                Scenario.of(
                        "derived: lcp2, claim by a node that does not list the address is dropped",
                        "lcp2",
                        "0,0",
                        "10.0.0.1 1 0\n10.0.0.2 0 0,1\n",
                        "10.0.0.2 1\n10.0.0.1 0\n"));
    }

    static Stream<Scenario> ipv6() {
        return Stream.of(
                Scenario.of("derived: det, IPv6, 3 nodes, 2 healthy", "det", "0,2,0", """
                    fd00::1
                    fd00::2
                    fd00::3
                    fd00::4
                    fd00::5
                    fd00::6
                    """, """
                    fd00::6 0
                    fd00::5 0
                    fd00::4 2
                    fd00::3 0
                    fd00::2 2
                    fd00::1 2
                    """),
                Scenario.of("derived: det, mixed IPv4/IPv6 ordering (IPv6 keys sort higher)", "det", "0,0", """
                    10.0.0.1 -1
                    ::ffff:10.0.0.1 -1
                    fd00::1 -1
                    10.0.0.2 -1
                    """, """
                    fd00::1 0
                    ::ffff:10.0.0.1 1
                    10.0.0.2 0
                    10.0.0.1 1
                    """),
                // CTDB's distance adds 32 for every equal word after the first difference, so
                // fd00::1 is "closer" to fd00:0:0:1::1 (127) than to fd00::2 (126).
                Scenario.of("derived: lcp2, IPv6 distance quirk", "lcp2", "0,0", """
                    fd00::1 -1
                    fd00::2 -1
                    fd00:0:0:1::1 -1
                    fd00:0:0:1::2 -1
                    """, """
                    fd00:0:0:1::2 0
                    fd00:0:0:1::1 1
                    fd00::2 1
                    fd00::1 0
                    """));
    }

    static Stream<Scenario> tunables() {
        return Stream.of(
                Scenario.of(
                                "derived from lcp2.003: NoIPFailback keeps everything on node 1",
                                "lcp2",
                                "0,0,0",
                                ALL_ON_1,
                                nine(1, 1, 1, 1, 1, 1, 1, 1, 1))
                        .withEnv("CTDB_SET_NoIPFailback", "1"),
                Scenario.of(
                                "derived: nondet, NoIPFailback keeps everything on node 1",
                                "nondet",
                                "0,0,0",
                                ALL_ON_1,
                                nine(1, 1, 1, 1, 1, 1, 1, 1, 1))
                        .withEnv("CTDB_SET_NoIPFailback", "1"),
                Scenario.of(
                                "derived from det.003: deterministic ignores NoIPFailback",
                                "det",
                                "0,0,0",
                                ALL_ON_1,
                                nine(0, 1, 2, 0, 1, 2, 0, 1, 2))
                        .withEnv("CTDB_SET_NoIPFailback", "1"),
                Scenario.of(
                                "derived from lcp2.002: NoIPTakeover leaves the unhealthy node's IPs unhosted",
                                "lcp2",
                                "0,2,0",
                                SPREAD,
                                nine(2, -1, 0, 2, -1, 0, 2, -1, 0))
                        .withEnv("CTDB_SET_NoIPTakeover", "1"),
                Scenario.of(
                                "derived from det.003: IPAllocAlgorithm=0 selects deterministic",
                                "lcp2",
                                "0,0,0",
                                ALL_ON_1,
                                nine(0, 1, 2, 0, 1, 2, 0, 1, 2))
                        .withEnv("CTDB_IP_ALGORITHM", null)
                        .withEnv("CTDB_SET_IPAllocAlgorithm", "0"));
    }

    static final String LCP2_027_IN = """
            130.216.30.170 3
            130.216.30.171 2
            130.216.30.172 3
            130.216.30.173 2
            130.216.30.174 1
            130.216.30.175 0
            130.216.30.176 1
            130.216.30.177 0
            130.216.30.178 3
            130.216.30.179 2
            130.216.30.180 1
            130.216.30.181 0
            10.19.99.250 3
            10.19.99.251 2
            10.19.99.252 1
            10.19.99.253 0
            """;

    static final String LCP2_027_OUT = """
            130.216.30.181 0
            130.216.30.180 1
            130.216.30.179 3
            130.216.30.178 3
            130.216.30.177 0
            130.216.30.176 1
            130.216.30.175 0
            130.216.30.174 1
            130.216.30.173 0
            130.216.30.172 3
            130.216.30.171 1
            130.216.30.170 3
            10.19.99.253 0
            10.19.99.252 1
            10.19.99.251 0
            10.19.99.250 3
            """;

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void matchesCtdb(Scenario s) {
        Scenario.Result r = s.run();
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo(s.expected());
    }

    /** lcp2.032: a chain of stop/continue transitions, each fed the previous output. */
    @ParameterizedTest(name = "lcp2.032 step {index}")
    @MethodSource("org.jctdb.ip.Lcp2Data#lcp2032Steps")
    void lcp2_032_chain(int step) {
        List<String[]> steps = Lcp2Data.LCP2_032;
        String input = step == 0 ? Lcp2Data.LCP2_032_START : steps.get(step - 1)[1];
        Scenario.Result r = Scenario.run(java.util.Map.of("CTDB_IP_ALGORITHM", "lcp2"), input, steps.get(step)[0]);
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo(steps.get(step)[1]);
    }
}

package org.jctdb.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvariantCheckerTest {
    private static final List<String> IPS = List.of("198.18.7.101", "198.18.7.102");

    private final InvariantChecker checker = new InvariantChecker(30_000, IPS);

    private static NodeSample node(int pnn, String status, int hung) {
        return new NodeSample(pnn, !status.equals("UNKNOWN"), status, 0, 0, hung, Map.of());
    }

    private static Sample sample(long t, List<Integer> first, List<Integer> second, int lockHolders, String... status) {
        List<NodeSample> nodes = new ArrayList<>();
        for (int k = 0; k < status.length; k++) {
            nodes.add(node(k, status[k], 0));
        }
        return new Sample(
                t,
                nodes,
                Map.of(IPS.get(0), first, IPS.get(1), second),
                lockHolders,
                Map.of(IPS.get(0), true, IPS.get(1), true));
    }

    private static FaultEvent event(long t, int id, String phase, FaultKind kind) {
        return new FaultEvent(t, id, phase, kind, List.of(1), "");
    }

    @Test
    void aHealthyRunHasNoViolations() {
        for (long t = 0; t < 100_000; t += 100) {
            assertThat(checker.onSample(sample(t, List.of(0), List.of(1), 1, "OK", "OK")))
                    .isEmpty();
        }
        assertThat(checker.finish(100_000)).isEmpty();
    }

    @Test
    void anAddressInTwoPlacesIsReportedOncePerStretchWithItsNodes() {
        assertThat(checker.onSample(sample(100, List.of(0), List.of(1), 1, "OK", "OK")))
                .isEmpty();
        List<Violation> v = checker.onSample(sample(200, List.of(0, 1), List.of(1), 1, "OK", "OK"));
        assertThat(v).extracting(Violation::invariant).containsExactly(Violation.ADDRESS_IN_TWO_PLACES);
        assertThat(v.get(0).detail()).isEqualTo("198.18.7.101 on nodes 0 and 1");
        assertThat(v.get(0).line()).startsWith("+0.200 s address-in-two-places: ");
        assertThat(checker.onSample(sample(300, List.of(0, 1), List.of(1), 1, "OK", "OK")))
                .isEmpty();
        assertThat(checker.onSample(sample(400, List.of(0), List.of(1), 1, "OK", "OK")))
                .isEmpty();
        assertThat(checker.onSample(sample(500, List.of(1, 0), List.of(1), 1, "OK", "OK")))
                .hasSize(1);
    }

    @Test
    void twoLockHoldersAndDuplicateHungProbes() {
        assertThat(checker.onSample(sample(100, List.of(0), List.of(1), 2, "OK", "OK")))
                .extracting(Violation::invariant)
                .containsExactly(Violation.TWO_LOCK_HOLDERS);
        Sample hung = new Sample(
                200,
                List.of(node(0, "OK", 0), node(1, "UNHEALTHY", 2)),
                Map.of(IPS.get(0), List.of(0), IPS.get(1), List.of(0)),
                1,
                Map.of());
        List<Violation> v = checker.onSample(hung);
        assertThat(v).extracting(Violation::invariant).containsExactly(Violation.DUPLICATE_HUNG_PROBE);
        assertThat(v.get(0).detail()).contains("node 1").contains("2 hung");
        Sample one = new Sample(
                300,
                List.of(node(0, "OK", 1), node(1, "UNHEALTHY", 1)),
                Map.of(IPS.get(0), List.of(0), IPS.get(1), List.of(0)),
                1,
                Map.of());
        assertThat(checker.onSample(one)).isEmpty();
    }

    @Test
    void afterTheLastFaultEndsTheClusterMustHealWithinTheBound() {
        checker.onFault(event(1_000, 1, FaultEvent.START, FaultKind.CRASH));
        checker.onFault(event(2_000, 2, FaultEvent.START, FaultKind.PAUSE));
        checker.onFault(event(5_000, 1, FaultEvent.END, FaultKind.CRASH));
        // Fault 2 still runs: no heal is awaited however long it takes.
        assertThat(checker.onSample(sample(40_000, List.of(), List.of(1), 1, "OK", "UNKNOWN")))
                .isEmpty();
        assertThat(checker.awaitingHealSince()).isEqualTo(-1);
        checker.onFault(event(41_000, 2, FaultEvent.END, FaultKind.PAUSE));
        assertThat(checker.awaitingHealSince()).isEqualTo(41_000);
        assertThat(checker.onSample(sample(70_000, List.of(), List.of(1), 1, "OK", "UNHEALTHY")))
                .isEmpty();
        List<Violation> v = checker.onSample(sample(71_100, List.of(), List.of(1), 1, "OK", "UNHEALTHY"));
        assertThat(v).extracting(Violation::invariant).containsExactly(Violation.NOT_HEALED_IN_BOUND);
        assertThat(v.get(0).detail()).contains("node 1 UNHEALTHY").contains("198.18.7.101 on 0 nodes");
        // Reported once.
        assertThat(checker.onSample(sample(72_000, List.of(), List.of(1), 1, "OK", "UNHEALTHY")))
                .isEmpty();
    }

    @Test
    void aClusterThatHealsInTimeIsFineAndALockDeletionAlsoAwaitsHealing() {
        checker.onFault(event(1_000, 1, FaultEvent.START, FaultKind.FREEZE));
        checker.onFault(event(9_000, 1, FaultEvent.END, FaultKind.FREEZE));
        assertThat(checker.onSample(sample(20_000, List.of(0), List.of(1), 1, "OK", "OK")))
                .isEmpty();
        assertThat(checker.awaitingHealSince()).isEqualTo(-1);
        checker.onFault(event(50_000, 2, FaultEvent.START, FaultKind.LOCKDELETE));
        checker.onFault(event(50_000, 2, FaultEvent.END, FaultKind.LOCKDELETE));
        assertThat(checker.awaitingHealSince()).isEqualTo(50_000);
        assertThat(checker.onSample(sample(60_000, List.of(0), List.of(0, 1), 1, "OK", "OK")))
                .hasSize(1);
        assertThat(checker.finish(90_000))
                .extracting(Violation::invariant)
                .containsExactly(Violation.NOT_HEALED_IN_BOUND);
    }

    @Test
    void nodeListsReadNaturally() {
        assertThat(InvariantChecker.joinNodes(List.of(2, 0, 1))).isEqualTo("0, 1 and 2");
        assertThat(InvariantChecker.joinNodes(List.of(3))).isEqualTo("3");
    }
}

package org.jctdb.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jctdb.config.Tunables;
import org.jctdb.leader.Generation;
import org.junit.jupiter.api.Test;

class HostingNodeTest {
    static final FailoverTiming T = FailoverTiming.fromTunables(Tunables.defaults());
    final HostingNode node = new HostingNode(1, T, 1, -10_000);

    @Test
    void aQueuedTakeOfAnOlderGenerationDoesNotBegin() {
        long old = Generation.next(0, 1);
        long newer = Generation.next(old, 2);
        org.assertj.core.api.Assertions.assertThat(node.superseded(old, old)).isFalse();
        org.assertj.core.api.Assertions.assertThat(node.superseded(old, newer))
                .as("the leader core saw a newer leader")
                .isTrue();
        node.fence(new IpMessage.Grant(2, newer, 1, Map.of(), 1, 0, -1, false), 0);
        org.assertj.core.api.Assertions.assertThat(node.superseded(old, 0))
                .as("a newer grant arrived")
                .isTrue();
    }

    @Test
    void aTakeOfARunOlderThanTheLatestGrantsIsStaleWhenThatGrantPutsTheAddressElsewhere() {
        long g = Generation.next(0, 0);
        String ip = "198.18.5.101";
        IpMessage.Report r = node.report(0, List.of(), true, Set.of());
        node.granted(new IpMessage.Grant(0, g, r.seq(), Map.of(ip, 1), 1, 2, -1, false), 5);
        assertThat(node.takeRefusal(ip, g, 2, 10, g)).as("this run's own take").isEmpty();
        IpMessage.Report r2 = node.report(20, List.of(), true, Set.of());
        node.granted(new IpMessage.Grant(0, g, r2.seq(), Map.of(ip, 2), 1, 4, -1, false), 25);
        assertThat(node.takeRefusal(ip, g, 2, 30, g))
                .hasValueSatisfying(why -> assertThat(why).contains("run 2 is stale", "node 2"));
        assertThat(node.takeRefusal(ip, g, 4, 30, g))
                .as("the run that made the assignment")
                .isEmpty();
        assertThat(node.takeRefusal("198.18.5.102", g, 3, 30, g))
                .as("an address the assignment does not list")
                .isPresent();
        assertThat(node.takeRefusal(ip, g, 4, 30 + T.holdMs(), g))
                .hasValueSatisfying(why -> assertThat(why).contains("no current grant"));
    }

    @Test
    void aLeaderMessageOfAGenerationTheLeaderCoreHasNotAcceptedIsDropped() {
        long g = Generation.next(4096, 1);
        IpMessage.Grant grant = new IpMessage.Grant(1, g, 1, Map.of(), 1, 0, -1, false);
        org.assertj.core.api.Assertions.assertThat(node.aheadOfLeaderCore(grant, 4096))
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(node.aheadOfLeaderCore(grant, g))
                .isFalse();
    }

    @Test
    void theHoldRunsFromWhenTheGrantedReportWasSentNotWhenTheGrantArrived() {
        IpMessage.Report r = node.report(1_000, List.of(), true, Set.of());
        node.granted(new IpMessage.Grant(0, Generation.next(0, 0), r.seq(), Map.of(), 1, 0, -1, false), 1_010);
        assertThat(node.mayHost(1_000 + T.holdMs() - 1)).isTrue();
        assertThat(node.mayHost(1_000 + T.holdMs())).isFalse();
    }

    @Test
    void aGrantForAnUnknownReportGivesNoHold() {
        node.granted(new IpMessage.Grant(0, Generation.next(0, 0), 42, Map.of(), 1, 0, -1, false), 0);
        assertThat(node.mayHost(0)).isFalse();
    }

    @Test
    void afterTheHoldEveryHostedAddressIsToBeReleased() {
        IpMessage.Report r = node.report(0, List.of(), true, Set.of());
        node.granted(new IpMessage.Grant(0, Generation.next(0, 0), r.seq(), Map.of(), 1, 0, -1, false), 5);
        HostedAddress a = new HostedAddress("198.18.5.101", 24, "eth0");
        node.taken(a, node.epoch());
        assertThat(node.toRelease(T.holdMs() - 1)).isEmpty();
        assertThat(node.refreshable(T.holdMs() - 1)).containsExactly(a);
        assertThat(node.toRelease(T.holdMs())).containsExactly(a);
        assertThat(node.toRelease(T.holdMs())).as("handed out once").isEmpty();
        assertThat(node.refreshable(T.holdMs())).isEmpty();
    }

    @Test
    void anAddressOfALapsedHoldIsNeverRefreshedAgainEvenAfterANewGrant() {
        IpMessage.Report r = node.report(0, List.of(), true, Set.of());
        node.granted(new IpMessage.Grant(0, Generation.next(0, 0), r.seq(), Map.of(), 1, 0, -1, false), 5);
        HostedAddress a = new HostedAddress("198.18.5.101", 24, "eth0");
        long epoch = node.epoch();
        node.taken(a, epoch);
        // Paused past the hold: no tick ran, the next thing seen is a grant for a new report.
        long later = T.holdMs() + 5_000;
        IpMessage.Report r2 = node.report(later, List.of(), true, Set.of());
        node.granted(new IpMessage.Grant(0, Generation.next(0, 0), r2.seq(), Map.of(), 1, 0, -1, false), later + 1);
        assertThat(node.mayHost(later + 1)).isTrue();
        assertThat(node.refreshable(later + 1)).isEmpty();
        assertThat(node.toRelease(later + 1)).containsExactly(a);
        // A takeip that began before the lapse lapses on arrival.
        HostedAddress b = new HostedAddress("198.18.5.102", 24, "eth0");
        node.taken(b, epoch);
        assertThat(node.refreshable(later + 1)).isEmpty();
    }

    @Test
    void olderGenerationsAreRefused() {
        long g2 = Generation.next(Generation.next(0, 0), 2);
        assertThat(node.fence(new IpMessage.Reallocated(2, g2, 1), 0)).isEmpty();
        long g0 = Generation.next(0, 0);
        assertThat(node.fence(new IpMessage.Reallocated(0, g0, 1), 0)).hasValueSatisfying(r -> {
            assertThat(r.refusedGeneration()).isEqualTo(g0);
            assertThat(r.seenGeneration()).isEqualTo(g2);
        });
        // The leader core's fence counts too.
        long g3 = Generation.next(g2, 0);
        assertThat(node.fence(new IpMessage.Reallocated(0, g3, 1), g3 + 1024)).isPresent();
        // A generation that does not belong to its sender is refused.
        assertThat(node.fence(new IpMessage.Reallocated(1, Generation.next(g3 + 1024, 0), 1), 0))
                .isPresent();
    }

    @Test
    void anAddressGoesOnTheLeastUsedInterfaceThatIsUp() {
        node.taken(new HostedAddress("198.18.5.101", 24, "eth0"), node.epoch());
        assertThat(node.chooseInterface(List.of("eth0", "eth1"), java.util.Set.of()))
                .hasValue("eth1");
        assertThat(node.chooseInterface(List.of("eth0", "eth1"), java.util.Set.of("eth1")))
                .hasValue("eth0");
        assertThat(node.chooseInterface(List.of("eth1"), java.util.Set.of("eth1")))
                .isEmpty();
    }

    @Test
    void aMoveIsCheckedAgainstWhatIsHostedTheHoldAndTheNewLink() {
        IpMessage.Report r = node.report(0, List.of(), true, Set.of());
        node.granted(new IpMessage.Grant(0, Generation.next(0, 0), r.seq(), Map.of(), 1, 0, -1, false), 5);
        HostedAddress a = new HostedAddress("198.18.5.101", 24, "eth0");
        node.taken(a, node.epoch());
        IpMessage.Move m = new IpMessage.Move(a.ip(), 24, "eth0", "eth1");
        assertThat(node.move(m, Set.of("eth0"), 10))
                .isEqualTo(new HostingNode.MoveAction.Update(a, new HostedAddress(a.ip(), 24, "eth1")));
        assertThat(node.move(m, Set.of("eth1"), 10)).isInstanceOf(HostingNode.MoveAction.Refuse.class);
        assertThat(node.move(new IpMessage.Move(a.ip(), 24, "eth1", "eth0"), Set.of(), 10))
                .as("already there")
                .isInstanceOf(HostingNode.MoveAction.None.class);
        assertThat(node.move(new IpMessage.Move("198.18.5.102", 24, "eth0", "eth1"), Set.of(), 10))
                .isInstanceOf(HostingNode.MoveAction.Refuse.class);
        assertThat(node.move(m, Set.of(), T.holdMs())).as("no hold").isInstanceOf(HostingNode.MoveAction.Refuse.class);
    }

    @Test
    void anAddressWhoseScriptIsRunningIsHostedButNotRefreshed() {
        IpMessage.Report r = node.report(0, List.of(), true, Set.of());
        node.granted(new IpMessage.Grant(0, Generation.next(0, 0), r.seq(), Map.of(), 1, 0, -1, false), 5);
        HostedAddress a = new HostedAddress("198.18.5.101", 24, "eth0");
        node.begin(a, node.epoch());
        assertThat(node.hostedList()).containsExactly(a);
        assertThat(node.refreshable(10))
                .as("a refresh would race the script's add")
                .isEmpty();
        node.taken(a, node.epoch());
        assertThat(node.refreshable(10)).containsExactly(a);
    }

    // ---- without a leader: vouches ----

    static final long G = Generation.next(0, 0);
    static final HostedAddress A = new HostedAddress("198.18.5.101", 24, "eth0");

    /** A node of a 3-node cluster that hosts A, granted by the leader (node 0) every report interval until {@code until}. */
    HostingNode hostingUntil(long until) {
        HostingNode n = new HostingNode(1, T, 7, 0);
        for (long t = 1_000; t <= until; t += T.reportMs()) {
            IpMessage.Report r = n.report(t, List.of(), true, Set.of());
            n.granted(new IpMessage.Grant(0, G, r.seq(), Map.of(A.ip(), 1), 1, 1, -1, false), t + 5);
            if (t == 1_000) {
                n.begin(A, n.epoch()); // taken on the first grant
                n.taken(A, n.epoch());
            }
        }
        return n;
    }

    @Test
    void aGrantedNodeReportsItsPromiseAndVouchesForNobodyUntilThePromiseTimeHasPassed() {
        HostingNode n = hostingUntil(3_000);
        IpMessage.Report r = n.report(3_100, List.of(), true, Set.of());
        assertThat(r.incarnation()).isEqualTo(7);
        assertThat(r.promise()).isNotNull();
        assertThat(r.promise().chainSeq()).as("the first grant began the chain").isEqualTo(1);
        assertThat(r.promise().lastGrantSeq()).isEqualTo(r.seq() - 1);
        IpMessage.VouchRequest ask = new IpMessage.VouchRequest(2, 1, List.of(), 0);
        assertThat(n.vouchFor(ask, 3_005 + T.promiseMs() - 1).given()).isFalse();
        assertThat(n.vouchFor(ask, 3_005 + T.promiseMs()).given()).isTrue();
        assertThat(n.report(3_005 + T.promiseMs(), List.of(), true, Set.of()).promise())
                .as("no promise to report once it has run out")
                .isNull();
    }

    @Test
    void aNodeVouchesOnlyForHoldsOfTheLeaderItsOwnLatestGrantCameFrom() {
        HostingNode n = new HostingNode(1, T, 8, 50_000);
        IpMessage.VouchRequest ask = new IpMessage.VouchRequest(2, 1, List.of(), 0);
        assertThat(n.vouchFor(ask, 50_000 + T.promiseMs() - 1).given())
                .as("just started")
                .isFalse();
        assertThat(n.vouchFor(ask, 50_000 + T.promiseMs()).given())
                .as("no grant yet")
                .isFalse();
        IpMessage.Report r = n.report(60_000, List.of(), true, Set.of());
        n.granted(new IpMessage.Grant(0, G, r.seq(), Map.of(), 1, 0, -1, false), 60_005);
        long free = 60_005 + T.promiseMs();
        assertThat(n.vouchFor(ask, free).given())
                .as("both last granted by node 0")
                .isTrue();
        assertThat(n.vouchFor(new IpMessage.VouchRequest(2, 2, List.of(), 3), free)
                        .given())
                .as("a hold resting on another leader's grant")
                .isFalse();
        assertThat(n.vouchFor(new IpMessage.VouchRequest(2, 3, List.of(), -1), free)
                        .given())
                .as("no grant at all")
                .isFalse();
    }

    @Test
    void noVouchForAnAddressHostedHereOrPlacedHereByTheLatestMap() {
        long g = Generation.next(0, 0);
        IpMessage.Report r = node.report(0, List.of(), true, Set.of());
        Map<String, Integer> map = Map.of("198.18.5.101", 1, "198.18.5.102", 2, "198.18.5.103", -1, "198.18.5.105", 1);
        node.granted(new IpMessage.Grant(0, g, r.seq(), map, 1, 1, -1, false), 5);
        node.taken(new HostedAddress("198.18.5.101", 24, "eth0"), node.epoch());
        node.taken(new HostedAddress("198.18.5.106", 24, "eth0"), node.epoch());
        long free = 5 + T.promiseMs();
        assertThat(vouched(2, "198.18.5.102", free))
                .as("the map places it on the asking node")
                .isTrue();
        assertThat(vouched(2, "198.18.5.103", free)).as("unassigned").isTrue();
        assertThat(vouched(2, "198.18.5.104", free)).as("not in the map").isTrue();
        assertThat(vouched(3, "198.18.5.102", free))
                .as("on node 2 in the map: a run cut short may have moved it on to node 3")
                .isTrue();
        assertThat(vouched(0, "198.18.5.101", free))
                .as("hosted here, and here in the map")
                .isFalse();
        assertThat(vouched(0, "198.18.5.106", free)).as("hosted here").isFalse();
        assertThat(vouched(2, "198.18.5.105", free)).as("here in the map").isFalse();
        assertThat(node.vouchFor(new IpMessage.VouchRequest(0, 9, List.of("198.18.5.102", "198.18.5.105"), 0), free)
                        .given())
                .as("one of two is enough to refuse")
                .isFalse();
    }

    private boolean vouched(int from, String ip, long now) {
        return node.vouchFor(new IpMessage.VouchRequest(from, 1, List.of(ip), 0), now)
                .given();
    }

    @Test
    void anIdleClusterReportsEveryIdlePeriodOrAtOnceOnAChange() {
        long g = Generation.next(0, 0);
        assertThat(node.reportDue(0, 0, List.of(), true, Set.of()))
                .as("no grant yet")
                .isTrue();
        IpMessage.Report r = node.report(0, List.of(), true, Set.of());
        assertThat(node.granted(new IpMessage.Grant(0, g, r.seq(), Map.of(), 1, 0, 1, true), 5))
                .as("no report at once for a new run of promises in an idle cluster")
                .isFalse();
        assertThat(node.idle()).isTrue();
        assertThat(node.reportDue(T.reportMs(), 0, List.of(), true, Set.of())).isFalse();
        assertThat(node.reportDue(T.idleReportMs() - 1, 0, List.of(), true, Set.of()))
                .isFalse();
        assertThat(node.reportDue(T.idleReportMs(), 0, List.of(), true, Set.of()))
                .isTrue();
        long t = 300;
        assertThat(node.reportDue(t, 2, List.of(), true, Set.of()))
                .as("another leader")
                .isTrue();
        assertThat(node.reportDue(
                        t, 0, List.of(new IpMessage.Listed("198.18.5.101", 24, List.of("eth0"))), true, Set.of()))
                .as("its list changed")
                .isTrue();
        assertThat(node.reportDue(t, 0, List.of(), false, Set.of()))
                .as("stopping")
                .isTrue();
        assertThat(node.reportDue(t, 0, List.of(), true, Set.of("eth1")))
                .as("a link went down")
                .isTrue();
        IpMessage.Report r2 = node.report(t, List.of(), true, Set.of());
        node.granted(new IpMessage.Grant(0, g, r2.seq(), null, 1, 0, 1, false), t + 5);
        assertThat(node.idle()).isFalse();
        assertThat(node.reportDue(t + 10, 0, List.of(), true, Set.of()))
                .as("the cluster is no longer idle: every report interval")
                .isTrue();
    }

    @Test
    void withoutGrantsAMajorityOfVouchesKeepsTheAddressesButTakesNothingNew() {
        HostingNode n = hostingUntil(3_000);
        long last = 3_000; // the last granted report was sent then: held until last + D
        assertThat(n.vouchRequest(3_200, true, 3))
                .as("still promised: the grant came at 3,005")
                .isEmpty();
        long t = 3_005 + T.promiseMs();
        IpMessage.VouchRequest ask = n.vouchRequest(t, true, 3).orElseThrow();
        assertThat(n.holdUntil()).as("its own vouch alone is no majority of 3").isEqualTo(last + T.holdMs());
        n.vouched(new IpMessage.Vouch(2, ask.seq(), false), t + 3, 3);
        assertThat(n.holdUntil()).as("a refusal").isEqualTo(last + T.holdMs());
        n.vouched(new IpMessage.Vouch(1, ask.seq(), true), t + 3, 3);
        assertThat(n.holdUntil()).as("its own number from a peer counts once").isEqualTo(last + T.holdMs());
        n.vouched(new IpMessage.Vouch(0, ask.seq(), true), t + 4, 3);
        assertThat(n.holdUntil()).as("two of three").isEqualTo(t + T.holdMs());
        assertThat(n.mayHost(last + T.holdMs() + 100)).isTrue();
        assertThat(n.refreshable(last + T.holdMs() + 100)).containsExactly(A);
        assertThat(n.mayTake(last + T.holdMs() + 100)).isFalse();
        assertThat(n.takeRefusal("198.18.5.102", G, 1, last + T.holdMs() + 100, G))
                .hasValueSatisfying(why -> assertThat(why).contains("no current grant"));
        assertThat(n.toRelease(last + T.holdMs() + 100)).isEmpty();
        assertThat(n.toRelease(t + T.holdMs()))
                .as("no further vouches: the hold lapses")
                .containsExactly(A);
    }

    @Test
    void vouchesThatCompleteAfterTheHoldEndedDoNotReviveItsAddresses() {
        HostingNode n = hostingUntil(3_000);
        long t = 3_005 + T.promiseMs();
        IpMessage.VouchRequest ask = n.vouchRequest(t, true, 3).orElseThrow();
        long late = 3_000 + T.holdMs() + 10;
        n.vouched(new IpMessage.Vouch(2, ask.seq(), true), late, 3);
        assertThat(n.mayHost(late))
                .as("the round itself was sent within the hold")
                .isTrue();
        assertThat(n.refreshable(late))
                .as("but the hold had a gap: A lapsed for good")
                .isEmpty();
        assertThat(n.toRelease(late)).containsExactly(A);
    }

    @Test
    void noVouchRequestFromANodeThatCannotHostHostsNothingOrHasLapsed() {
        HostingNode n = hostingUntil(3_000);
        long t = 3_005 + T.promiseMs();
        assertThat(n.vouchRequest(t, false, 3)).as("stopping").isEmpty();
        assertThat(n.vouchRequest(3_000 + T.holdMs(), true, 3))
                .as("the hold has ended")
                .isEmpty();
        HostingNode empty = new HostingNode(1, T, 9, 0);
        assertThat(empty.vouchRequest(t, true, 3)).as("hosts nothing").isEmpty();
    }

    @Test
    void aNewGrantAfterABreakBeginsANewChain() {
        HostingNode n = hostingUntil(3_000);
        long t = 3_005 + T.promiseMs() + 100;
        IpMessage.Report r = n.report(t, List.of(), true, Set.of());
        n.granted(new IpMessage.Grant(0, G, r.seq(), Map.of(A.ip(), 1), 1, 1, -1, false), t + 5);
        IpMessage.Report next = n.report(t + 250, List.of(), true, Set.of());
        assertThat(next.promise().chainSeq()).isEqualTo(r.seq());
        assertThat(next.promise().lastGrantSeq()).isEqualTo(r.seq());
    }

    // ---- what a report and a grant leave out ----

    @Test
    void aReportSendsItsListOnlyUntilTheLeaderHoldsThatVersion() {
        HostingNode n = new HostingNode(1, T, 3, 0);
        List<IpMessage.Listed> list = List.of(new IpMessage.Listed(A.ip(), 24, List.of("eth0")));
        IpMessage.Report first = n.report(1_000, list, true, Set.of());
        assertThat(first.listed()).isEqualTo(list);
        n.granted(new IpMessage.Grant(0, G, first.seq(), Map.of(), 1, 0, first.listedVersion(), false), 1_005);
        IpMessage.Report second = n.report(1_250, list, true, Set.of());
        assertThat(second.listed()).as("the leader holds this version").isNull();
        assertThat(second.listedVersion()).isEqualTo(first.listedVersion());
        List<IpMessage.Listed> more = List.of(list.get(0), new IpMessage.Listed("198.18.5.102", 24, List.of("eth0")));
        IpMessage.Report third = n.report(1_500, more, true, Set.of());
        assertThat(third.listed()).as("a changed list goes whole").isEqualTo(more);
        assertThat(third.listedVersion()).isGreaterThan(first.listedVersion());
        n.granted(new IpMessage.Grant(0, G, third.seq(), Map.of(), 1, 0, -1, false), 1_505);
        assertThat(n.report(1_750, more, true, Set.of()).listed())
                .as("a leader without it (a new term) gets it whole")
                .isEqualTo(more);
    }

    @Test
    void aGrantWithoutTheMapKeepsTheOneHeldAndTheReportNamesIt() {
        HostingNode n = new HostingNode(1, T, 3, 0);
        IpMessage.Report r = n.report(1_000, List.of(), true, Set.of());
        assertThat(r.assignmentVersion()).isEqualTo(-1);
        n.granted(new IpMessage.Grant(0, G, r.seq(), Map.of(A.ip(), 1), 4, 0, -1, false), 1_005);
        IpMessage.Report r2 = n.report(1_250, List.of(), true, Set.of());
        assertThat(r2.assignmentGeneration()).isEqualTo(G);
        assertThat(r2.assignmentVersion()).isEqualTo(4);
        n.granted(new IpMessage.Grant(0, G, r2.seq(), null, 4, 0, -1, false), 1_255);
        assertThat(n.assignment()).containsExactly(Map.entry(A.ip(), 1));
    }
}

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
    final HostingNode node = new HostingNode(1, T);

    @Test
    void aQueuedTakeOfAnOlderGenerationDoesNotBegin() {
        long old = Generation.next(0, 1);
        long newer = Generation.next(old, 2);
        org.assertj.core.api.Assertions.assertThat(node.superseded(old, old)).isFalse();
        org.assertj.core.api.Assertions.assertThat(node.superseded(old, newer))
                .as("the leader core saw a newer leader")
                .isTrue();
        node.fence(new IpMessage.Grant(2, newer, 1, Map.of(), 0), 0);
        org.assertj.core.api.Assertions.assertThat(node.superseded(old, 0))
                .as("a newer grant arrived")
                .isTrue();
    }

    @Test
    void aTakeOfARunOlderThanTheLatestGrantsIsStaleWhenThatGrantPutsTheAddressElsewhere() {
        long g = Generation.next(0, 0);
        String ip = "198.18.5.101";
        IpMessage.Report r = node.report(0, List.of(), true, Set.of());
        node.granted(new IpMessage.Grant(0, g, r.seq(), Map.of(ip, 1), 2), 5);
        assertThat(node.takeRefusal(ip, g, 2, 10, g)).as("this run's own take").isEmpty();
        IpMessage.Report r2 = node.report(20, List.of(), true, Set.of());
        node.granted(new IpMessage.Grant(0, g, r2.seq(), Map.of(ip, 2), 4), 25);
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
        IpMessage.Grant grant = new IpMessage.Grant(1, g, 1, Map.of(), 0);
        org.assertj.core.api.Assertions.assertThat(node.aheadOfLeaderCore(grant, 4096))
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(node.aheadOfLeaderCore(grant, g))
                .isFalse();
    }

    @Test
    void theHoldRunsFromWhenTheGrantedReportWasSentNotWhenTheGrantArrived() {
        IpMessage.Report r = node.report(1_000, List.of(), true, Set.of());
        node.granted(new IpMessage.Grant(0, Generation.next(0, 0), r.seq(), Map.of(), 0), 1_010);
        assertThat(node.mayHost(1_000 + T.holdMs() - 1)).isTrue();
        assertThat(node.mayHost(1_000 + T.holdMs())).isFalse();
    }

    @Test
    void aGrantForAnUnknownReportGivesNoHold() {
        node.granted(new IpMessage.Grant(0, Generation.next(0, 0), 42, Map.of(), 0), 0);
        assertThat(node.mayHost(0)).isFalse();
    }

    @Test
    void afterTheHoldEveryHostedAddressIsToBeReleased() {
        IpMessage.Report r = node.report(0, List.of(), true, Set.of());
        node.granted(new IpMessage.Grant(0, Generation.next(0, 0), r.seq(), Map.of(), 0), 5);
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
        node.granted(new IpMessage.Grant(0, Generation.next(0, 0), r.seq(), Map.of(), 0), 5);
        HostedAddress a = new HostedAddress("198.18.5.101", 24, "eth0");
        long epoch = node.epoch();
        node.taken(a, epoch);
        // Paused past the hold: no tick ran, the next thing seen is a grant for a new report.
        long later = T.holdMs() + 5_000;
        IpMessage.Report r2 = node.report(later, List.of(), true, Set.of());
        node.granted(new IpMessage.Grant(0, Generation.next(0, 0), r2.seq(), Map.of(), 0), later + 1);
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
        node.granted(new IpMessage.Grant(0, Generation.next(0, 0), r.seq(), Map.of(), 0), 5);
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
        node.granted(new IpMessage.Grant(0, Generation.next(0, 0), r.seq(), Map.of(), 0), 5);
        HostedAddress a = new HostedAddress("198.18.5.101", 24, "eth0");
        node.begin(a, node.epoch());
        assertThat(node.hostedList()).containsExactly(a);
        assertThat(node.refreshable(10))
                .as("a refresh would race the script's add")
                .isEmpty();
        node.taken(a, node.epoch());
        assertThat(node.refreshable(10)).containsExactly(a);
    }
}

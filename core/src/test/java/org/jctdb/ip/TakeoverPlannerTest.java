package org.jctdb.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TakeoverPlannerTest {
    static final IpAddress A = IpAddress.parse("10.0.0.1");
    static final IpAddress B = IpAddress.parse("10.0.0.2");
    static final IpAddress C = IpAddress.parse("10.0.0.3");
    static final IpAddress D = IpAddress.parse("10.0.0.4");

    @Test
    void movesBecomeReleaseThenTakeAndInterfaceChangesBecomeUpdateIp() {
        Map<IpAddress, Hosting> before = new LinkedHashMap<>();
        before.put(A, new Hosting(0, "eth0"));
        before.put(B, new Hosting(1, "eth0"));
        before.put(C, new Hosting(2, "eth0"));
        before.put(D, Hosting.NOWHERE);
        Map<IpAddress, Hosting> after = new LinkedHashMap<>();
        after.put(A, new Hosting(1, "eth1")); // moved
        after.put(B, new Hosting(1, "eth1")); // same node, new interface
        after.put(C, Hosting.NOWHERE); // dropped
        after.put(D, new Hosting(0, null)); // newly hosted

        TakeoverPlan p = TakeoverPlanner.plan(before, after);
        assertThat(p.releases())
                .containsExactly(new TakeoverStep.Release(C, 2, "eth0"), new TakeoverStep.Release(A, 0, "eth0"));
        assertThat(p.takes()).containsExactly(new TakeoverStep.Take(D, 0, null), new TakeoverStep.Take(A, 1, "eth1"));
        assertThat(p.updates()).containsExactly(new TakeoverStep.UpdateIp(B, 1, "eth0", "eth1"));
        assertThat(p.steps()).hasSize(5).first().isInstanceOf(TakeoverStep.Release.class);
        assertThat(p.stepsFor(1))
                .containsExactly(new TakeoverStep.Take(A, 1, "eth1"), new TakeoverStep.UpdateIp(B, 1, "eth0", "eth1"));
    }

    @Test
    void addressRemovedFromConfigurationIsReleased() {
        TakeoverPlan p = TakeoverPlanner.plan(Map.of(A, new Hosting(0, "eth0")), Map.of());
        assertThat(p.releases()).containsExactly(new TakeoverStep.Release(A, 0, "eth0"));
        assertThat(p.takes()).isEmpty();
    }

    @Test
    void unchangedAssignmentGivesEmptyPlan() {
        Map<IpAddress, Hosting> m = Map.of(A, new Hosting(0, "eth0"), B, Hosting.NOWHERE);
        assertThat(TakeoverPlanner.plan(m, m).isEmpty()).isTrue();
    }

    @Test
    void planFromAllocationKeepsInterfacesOfAddressesThatStay() {
        Map<IpAddress, Hosting> before = Map.of(A, new Hosting(0, "eth0"), B, new Hosting(1, "eth0"));
        Allocation alloc = new Allocation(List.of(new Assignment(B, 0), new Assignment(A, 0)));
        TakeoverPlan p = TakeoverPlanner.plan(before, alloc);
        assertThat(p.releases()).containsExactly(new TakeoverStep.Release(B, 1, "eth0"));
        assertThat(p.takes()).containsExactly(new TakeoverStep.Take(B, 0, null));
        assertThat(p.updates()).isEmpty();
    }

    @Test
    void anAddressThatStaysButMustChangeInterfaceGetsUpdateIpNotReleaseAndTake() {
        Map<IpAddress, Hosting> before = Map.of(A, new Hosting(0, "eth0"), B, new Hosting(1, "eth0"));
        Allocation alloc = new Allocation(List.of(new Assignment(A, 0), new Assignment(B, 0)));
        TakeoverPlan p = TakeoverPlanner.plan(before, alloc, (ip, pnn, current) -> "eth1");
        assertThat(p.updates()).containsExactly(new TakeoverStep.UpdateIp(A, 0, "eth0", "eth1"));
        assertThat(p.releases()).containsExactly(new TakeoverStep.Release(B, 1, "eth0"));
        assertThat(p.takes())
                .as("a moving address gets no interface: its new node picks")
                .containsExactly(new TakeoverStep.Take(B, 0, null));
    }
}

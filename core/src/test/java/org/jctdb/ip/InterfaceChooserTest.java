package org.jctdb.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InterfaceChooserTest {

    @Test
    void firstUpInterfaceWithoutReferenceCounts() {
        assertThat(InterfaceChooser.choose(List.of("eth2", "eth1"), Set.of("eth1", "eth2")))
                .contains("eth2");
        assertThat(InterfaceChooser.choose(List.of("eth2", "eth1"), Set.of("eth1")))
                .contains("eth1");
    }

    @Test
    void leastReferencedUpInterfaceWinsEarliestOnTies() {
        Map<String, Integer> refs = Map.of("eth2", 3, "eth1", 1, "eth0", 1);
        assertThat(InterfaceChooser.choose(List.of("eth2", "eth1", "eth0"), Set.of("eth0", "eth1", "eth2"), refs))
                .contains("eth1");
        assertThat(InterfaceChooser.choose(List.of("eth2", "eth1", "eth0"), Set.of("eth0", "eth2"), refs))
                .contains("eth0");
    }

    @Test
    void noneUpMeansCannotHost() {
        assertThat(InterfaceChooser.choose(List.of("eth0"), Set.of())).isEmpty();
    }

    @Test
    void anAddressStaysOnItsInterfaceWhileThatIsUpAndListed() {
        Map<String, Integer> refs = Map.of("eth0", 5, "eth1", 0);
        assertThat(InterfaceChooser.keepOrMove("eth0", List.of("eth0", "eth1"), Set.of(), refs))
                .contains("eth0");
    }

    @Test
    void anAddressLeavesADownOrNoLongerListedInterface() {
        Map<String, Integer> refs = Map.of("eth1", 2, "eth2", 1);
        assertThat(InterfaceChooser.keepOrMove("eth0", List.of("eth0", "eth1", "eth2"), Set.of("eth0"), refs))
                .contains("eth2");
        assertThat(InterfaceChooser.keepOrMove("eth0", List.of("eth1"), Set.of(), refs))
                .contains("eth1");
        assertThat(InterfaceChooser.keepOrMove("eth0", List.of("eth0", "eth1"), Set.of("eth0", "eth1"), refs))
                .isEmpty();
    }
}

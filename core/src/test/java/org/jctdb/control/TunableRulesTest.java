package org.jctdb.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jctdb.config.Tunables;
import org.junit.jupiter.api.Test;

/** One rule set for setvar, start-up and config validate. */
class TunableRulesTest {
    @Test
    void defaultsAreValid() {
        assertThat(TunableRules.violations(Tunables.defaults())).isEmpty();
    }

    @Test
    void everyBoundedTunableIsNamedWithItsValue() {
        for (String name : List.of(
                "KeepaliveInterval",
                "KeepaliveLimit",
                "ElectionTimeout",
                "TakeoverTimeout",
                "MonitorInterval",
                "EventScriptTimeout",
                "RecoverTimeout",
                "HealthProbeIntervalMs",
                "HealthProbeTimeoutMs",
                "HealthProbeFailCount")) {
            assertThat(TunableRules.violations(Tunables.defaults().with(name, 0)))
                    .containsExactly(name + "=0 must be at least 1");
        }
        assertThat(TunableRules.violations(Tunables.defaults().with("IPAllocAlgorithm", 3)))
                .containsExactly("IPAllocAlgorithm=3 must be 0, 1 or 2");
        assertThat(TunableRules.violations(Tunables.defaults().with("JctdbIPLease", 0)))
                .anyMatch(v -> v.startsWith("JctdbIPLease=0 must be at least 1 s"));
    }
}

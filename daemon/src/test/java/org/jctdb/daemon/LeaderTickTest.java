package org.jctdb.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.jctdb.config.Tunables;
import org.junit.jupiter.api.Test;

class LeaderTickTest {
    @Test
    void theLeaderTickFallsOnTheIpTicksGridSoBothShareOneWakeUp() {
        // A leader tick off the IP tick's grid wakes the I/O thread between IP ticks (8 timer wake-ups a
        // second instead of 4 with 200 ms against 250 ms); the simulator's Simulation.TICK_MS models 250 ms.
        long report = Tunables.defaults().get("JctdbIPReportMs");
        assertThat(LeaderDriver.TICK_MILLIS).isEqualTo(report).isEqualTo(250);
    }
}

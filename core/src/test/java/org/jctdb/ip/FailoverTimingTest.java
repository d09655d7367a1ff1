package org.jctdb.ip;

import static org.assertj.core.api.Assertions.assertThat;

import org.jctdb.config.Tunables;
import org.junit.jupiter.api.Test;

class FailoverTimingTest {

    @Test
    void defaultsKeepTheBudget() {
        FailoverTiming t = FailoverTiming.fromTunables(Tunables.defaults());
        assertThat(t.violations()).isEmpty();
        // hold 1.5 s + lease 1 s + kernel slack 0.5 s
        assertThat(t.goneAfterMs()).isEqualTo(3_000);
        assertThat(t.silentFailoverMs()).isLessThanOrEqualTo(FailoverTiming.SILENT_FAILOVER_TARGET_MS);
        assertThat(t.crashGraceMs()).isLessThan(t.goneAfterMs());
    }

    @Test
    void eachBrokenSettingIsNamed() {
        Tunables d = Tunables.defaults();
        assertThat(FailoverTiming.fromTunables(d.with("JctdbIPHoldMs", 500)).violations())
                .anyMatch(v -> v.startsWith("JctdbIPHoldMs=500"));
        assertThat(FailoverTiming.fromTunables(d.with("JctdbIPLease", 0)).violations())
                .anyMatch(v -> v.startsWith("JctdbIPLease=0"));
        assertThat(FailoverTiming.fromTunables(d.with("JctdbIPReportMs", 800)).violations())
                .anyMatch(v -> v.contains("lapse between refreshes"));
        assertThat(FailoverTiming.fromTunables(d.with("JctdbIPLease", 5)).violations())
                .anyMatch(v -> v.contains("failover budget"));
    }
}

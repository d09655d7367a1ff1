package org.jctdb.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.jctdb.health.HealthReport;
import org.jctdb.health.PathStatus;
import org.jctdb.health.ProbeState;
import org.jctdb.protocol.StorageSummary;
import org.junit.jupiter.api.Test;

class StorageSummaryTest {
    private static HealthReport.PathReport path(String p, ProbeState s, long since) {
        return new HealthReport.PathReport(
                new PathStatus(Path.of(p), s, since, 5, 0, s.answering(), ""), false, 0, 0, List.of());
    }

    @Test
    void theWorstPathIsSentWithItsStartInWallClockTime() {
        HealthReport r = new HealthReport(
                10_000,
                false,
                "x",
                List.of(
                        path("/a", ProbeState.SLOW, 9_000),
                        path("/b", ProbeState.HUNG, 4_000),
                        path("/c", ProbeState.OK, 1_000)),
                -1);
        StorageSummary s = HealthLifecycle.summarize(r, StorageSummary.OK, 1_000_000);
        assertThat(s).isEqualTo(new StorageSummary("HUNG", "/b", 994_000));
        // Same state later: the summary object is kept, so no new broadcast and no drift.
        assertThat(HealthLifecycle.summarize(r.at(12_000), s, 1_002_050)).isSameAs(s);
    }

    @Test
    void answeringPathsOrNoPathsAreOk() {
        assertThat(HealthLifecycle.summarize(new HealthReport(1, true, "", List.of(), -1), StorageSummary.OK, 5))
                .isSameAs(StorageSummary.OK);
        HealthReport ok = new HealthReport(
                10_000, true, "", List.of(path("/a", ProbeState.OK, 1), path("/b", ProbeState.UNKNOWN, 1)), -1);
        assertThat(HealthLifecycle.summarize(ok, new StorageSummary("HUNG", "/a", 3), 9))
                .isEqualTo(StorageSummary.OK);
    }
}

package org.jctdb.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jctdb.health.HealthEdge;
import org.jctdb.health.HealthReport;
import org.jctdb.health.PathStatus;
import org.jctdb.health.ProbePolicy;
import org.jctdb.health.ProbeSettings;
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

    /**
     * The daemon recomputes the summary only after the monitor reports a path's state change (no timer):
     * that misses nothing only if the summary never changes otherwise, with time or any other step.
     */
    @Property
    void theSummaryChangesOnlyWhenAPathsStateDoes(
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 13) Integer> steps,
            @ForAll @IntRange(min = 0, max = 3000) int dt) {
        ProbeSettings s = new ProbeSettings(1000, 2000, 3, 500);
        List<ProbePolicy> paths = List.of(new ProbePolicy(Path.of("/a"), 0), new ProbePolicy(Path.of("/b"), 0));
        long now = 0;
        long wallOffset = 1_700_000_000_000L;
        StorageSummary summary = StorageSummary.OK;
        for (int step : steps) {
            now += dt / 3 + step * 97L;
            ProbePolicy p = paths.get(step % 2);
            List<HealthEdge> edges = switch (step / 2) {
                case 0 -> p.tick(now, s, false).edges();
                case 1 -> p.tick(now, s, true).edges();
                case 2 -> {
                    p.started(now);
                    yield List.of();
                }
                case 3 -> p.answered(now, true, "", s); // as fast or slow as the time since its start
                case 4 -> p.answered(now, false, "EIO", s);
                default -> List.of(); // only time passes
            };
            List<HealthReport.PathReport> reports = new ArrayList<>();
            for (ProbePolicy q : paths) {
                reports.add(new HealthReport.PathReport(q.status(), false, 0, 0, List.of()));
            }
            HealthReport r = new HealthReport(now, true, "", reports, -1);
            StorageSummary next = HealthLifecycle.summarize(r, summary, now + wallOffset);
            boolean stateChanged = edges.stream().anyMatch(e -> e instanceof HealthEdge.StateChanged);
            if (!stateChanged) {
                assertThat(next).as("after step %d at %d", step, now).isSameAs(summary);
            }
            summary = next;
        }
    }
}

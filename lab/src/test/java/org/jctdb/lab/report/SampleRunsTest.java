package org.jctdb.lab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jctdb.lab.report.Samples.at;
import static org.jctdb.lab.report.Samples.run;

import java.util.List;
import org.junit.jupiter.api.Test;

class SampleRunsTest {
    @Test
    void longestOverlapCountsConsecutiveSamplesWithAnAddressOnTwoNodes() {
        RunData r = run(
                List.of(),
                at(0, "A:0+1", "B:2"),
                at(100, "A:0", "B:2"),
                at(200, "A:0+1", "B:2"),
                at(300, "A:0", "B:1+2"), // another address, still an overlap
                at(400, "A:0+1+2", "B:2"),
                at(500, "A:0", "B:2"));
        SampleRuns.Longest o = SampleRuns.overlap(r);
        assertThat(o.samples()).isEqualTo(3);
        assertThat(o.millis()).isEqualTo(300);
        assertThat(o.startT()).isEqualTo(200);
        assertThat(o.lastT()).isEqualTo(400);
        assertThat(o.addresses()).containsExactlyInAnyOrder("A", "B");
        assertThat(o.totalSamples()).isEqualTo(4);
    }

    @Test
    void clientOutageIncludesAddressesOnNoNodeAndTheFirstLongestRunWins() {
        RunData r = run(
                List.of(),
                at(0, "A:-"),
                at(100, "A:0x"),
                at(200, "A:0"),
                at(300, "A:1x"),
                at(400, "A:1+2"),
                at(500, "A:1"));
        SampleRuns.Longest o = SampleRuns.outage(r);
        assertThat(o.startT()).isEqualTo(0);
        assertThat(o.samples()).isEqualTo(2);
        assertThat(o.totalSamples()).isEqualTo(4);
        assertThat(o.addresses()).containsExactly("A");
    }

    @Test
    void aSamplerThatFallsBehindStillGivesTheRealSpan() {
        RunData r =
                run(List.of(), at(0, "A:0"), at(250, "A:0+1"), at(520, "A:0+1"), at(800, "A:1+2"), at(1_000, "A:2"));
        SampleRuns.Longest o = SampleRuns.overlap(r);
        assertThat(o.samples()).isEqualTo(3);
        assertThat(o.millis()).isEqualTo(800 - 250 + 100);
    }

    @Test
    void aRunWithoutSamplesOrProblemsHasNone() {
        assertThat(SampleRuns.overlap(run(List.of())).none()).isTrue();
        SampleRuns.Longest clean = SampleRuns.outage(run(List.of(), at(0, "A:0"), at(100, "A:0")));
        assertThat(clean.none()).isTrue();
        assertThat(clean.millis()).isZero();
        assertThat(clean.totalSamples()).isZero();
    }
}

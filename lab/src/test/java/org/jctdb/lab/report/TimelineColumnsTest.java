package org.jctdb.lab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jctdb.lab.report.Samples.at;

import java.util.List;
import org.jctdb.lab.report.RunData.NodeSample;
import org.jctdb.lab.report.RunData.Sample;
import org.junit.jupiter.api.Test;

class TimelineColumnsTest {
    private static Sample withState(Sample s, String status) {
        return new Sample(s.t(), List.of(new NodeSample(0, true, status, 0, 0, 0)), s.addrs(), 1, s.client());
    }

    @Test
    void aColumnShowsTheWorstOfItsSamples() {
        // 4 samples of 100 ms in 2 columns of 200 ms.
        RunData r = Samples.run(
                List.of(),
                withState(at(0, "A:0"), "OK"),
                withState(at(100, "A:0+1"), "UNHEALTHY"),
                withState(at(200, "A:-"), "OK"),
                withState(at(300, "A:1x"), "OK"));
        TimelineColumns c = TimelineColumns.of(r, List.of("A"), 2, 400);
        assertThat(c.state[0]).containsExactly(TimelineColumns.STATES.indexOf("UNHEALTHY"), 0);
        assertThat(c.host[0]).containsExactly(TimelineColumns.OVERLAP, TimelineColumns.NOWHERE);
        assertThat(c.unreachable[0]).containsExactly(true, true);
        assertThat(c.lockHolders).containsExactly(1, 1);
    }

    @Test
    void aSampleFillsTheColumnsUntilTheNextOneButGapsStayEmpty() {
        RunData r = Samples.run(List.of(), at(0, "A:0"), at(200, "A:1"), at(2_000, "A:2"));
        TimelineColumns c = TimelineColumns.of(r, List.of("A"), 21, 2_100);
        assertThat(c.host[0][0]).isEqualTo(0);
        assertThat(c.host[0][1]).isEqualTo(0);
        assertThat(c.host[0][2]).isEqualTo(1);
        assertThat(c.host[0][6]).isEqualTo(1); // 500 ms: covered (at most 5 intervals)
        assertThat(c.host[0][7]).isEqualTo(TimelineColumns.NO_DATA); // a gap in the samples
        assertThat(c.host[0][20]).isEqualTo(2);
    }

    @Test
    void combinedFlagsRankAsTheWorstAndUnknownFlagsAsOther() {
        assertThat(TimelineColumns.rank("UNHEALTHY|DISABLED")).isEqualTo(TimelineColumns.STATES.indexOf("UNHEALTHY"));
        assertThat(TimelineColumns.rank("PARTIALLYONLINE")).isEqualTo(TimelineColumns.STATES.indexOf("OTHER"));
        assertThat(TimelineColumns.rank("ok")).isZero();
    }
}
